# written by hyperform (role libvirt): libvirt ${libvirt_source_version} built from source in ${libvirt_prefix}
[Unit]
Description=libvirt log daemon (source build ${libvirt_source_version})

[Service]
Type=simple
ExecStart=${libvirt_prefix}/sbin/virtlogd
ExecReload=/bin/kill -USR1 $MAINPID
Restart=on-failure

[Install]
WantedBy=multi-user.target
