# written by hyperform (role spdk_vhost_agent)
[Unit]
Description=SPDK-vhost node agent for KubeVirt (answers ${spdk_vhost_agent_message_file})
After=spdk-vhost.service

[Service]
Type=simple
EnvironmentFile=/etc/default/spdk-vhost-agent
ExecStart=/bin/sh ${spdk_vhost_agent_binary}
# SIGTERM to the agent only: it finishes the step it is in (a file rewrite is never cut short)
KillMode=mixed
Restart=always
# exit status 2: invalid settings (see the log); restarting would not help
RestartPreventExitStatus=2
RestartSec=1

[Install]
WantedBy=multi-user.target
