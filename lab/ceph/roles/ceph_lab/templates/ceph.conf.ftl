# written by hyperform (lab/ceph, role ceph_lab)
[global]
fsid = ${ceph_fsid}
mon_initial_members = ${ceph_mon_host}
mon_host = [v2:${ceph_mon_ip}:3300,v1:${ceph_mon_ip}:6789]
public_network = ${ceph_mon_ip?keep_before_last(".")}.0/24
auth_cluster_required = cephx
auth_service_required = cephx
auth_client_required = cephx
# fresh clusters need no insecure global_id reclaim (Ceph warns while it is allowed)
auth_allow_insecure_global_id_reclaim = false
osd_pool_default_size = ${ceph_pool_size}
osd_pool_default_min_size = ${ceph_pool_min_size}
# failure domain host (also the default rule's)
osd_crush_chooseleaf_type = 1
mon_data_avail_warn = ${ceph_mon_data_avail_warn}

[osd]
osd_objectstore = bluestore
bluestore_block_size = ${size_bytes(ceph_osd_block_size)?c}
osd_memory_target = ${ceph_osd_memory_target?c}
