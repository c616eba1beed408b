# written by hyperform (role spdk): Ceph client for SPDK's RBD bdevs
[global]
mon_host = ${spdk_ceph.mon_host}

[client.${spdk_ceph.user!"admin"}]
keyring = /etc/ceph/keyring
