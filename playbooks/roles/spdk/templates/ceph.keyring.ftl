[client.${spdk_ceph.user!"admin"}]
    key = ${spdk_ceph.key}
