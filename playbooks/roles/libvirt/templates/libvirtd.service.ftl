# written by hyperform (role libvirt): libvirt ${libvirt_source_version} built from source in ${libvirt_prefix}
[Unit]
Description=libvirt daemon (source build ${libvirt_source_version})
Requires=virtlogd.service
After=network.target virtlogd.service

[Service]
Type=notify
ExecStart=${libvirt_prefix}/sbin/libvirtd
ExecReload=/bin/kill -HUP $MAINPID
KillMode=process
Restart=on-failure
LimitNOFILE=8192
TasksMax=32768
LimitMEMLOCK=infinity

[Install]
WantedBy=multi-user.target
