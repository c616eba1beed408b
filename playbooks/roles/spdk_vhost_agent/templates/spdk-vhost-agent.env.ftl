# written by hyperform (role spdk_vhost_agent): settings of spdk-vhost-agent.service
AGENT_MESSAGE_FILE=${spdk_vhost_agent_message_file}
AGENT_MARKER=${spdk_vhost_agent_marker}
AGENT_RPC_SOCKET=${spdk_vhost_agent_rpc_socket}
AGENT_STATE_DIR=${spdk_vhost_agent_state_dir}
AGENT_POOL=${spdk_vhost_agent_pool}
AGENT_BLOCK_SIZE=${spdk_vhost_agent_block_size?c}
AGENT_RBD=${spdk_vhost_agent_rbd}
AGENT_RBD_ARGS="${spdk_vhost_agent_rbd_args?join(' ')}"
AGENT_RBD_CLUSTER=${spdk_vhost_agent_rbd_cluster}
AGENT_RBD_USER=${spdk_vhost_agent_rbd_user}
AGENT_CPUMASKS="${spdk_vhost_agent_cpumasks?join(' ')}"
AGENT_REMOVE_IMAGE=${spdk_vhost_agent_remove_image?c}
AGENT_INTERVAL=${spdk_vhost_agent_interval?c}
AGENT_RETRY_SECONDS=${spdk_vhost_agent_retry_seconds?c}
