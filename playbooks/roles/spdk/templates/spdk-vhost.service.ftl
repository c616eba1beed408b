# written by hyperform (role spdk)
[Unit]
Description=SPDK vhost target<#if spdk_install_method == "double"> (TEST DOUBLE of the JSON-RPC server)</#if>
After=network.target

[Service]
Type=simple
ExecStartPre=/bin/mkdir -p ${spdk_socket_dir}
ExecStart=${spdk_vhost_binary} -S ${spdk_socket_dir} -m ${spdk_cpumask} -s ${spdk_mem_mb} -r ${spdk_rpc_socket}
Restart=${spdk_restart_policy}
RestartSec=2
LimitMEMLOCK=infinity

[Install]
WantedBy=multi-user.target
