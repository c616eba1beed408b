<#-- Ceph's settings (rook-config-override, read by every Ceph daemon rook starts) and the CephCluster of the HCI
     nodes: rook_ceph_osd_devices of each host of rook_ceph_osd_group become that node's OSDs; every daemon is placed
     on nodes with the storage label. Without an inventory (syntax-check) the node list is empty. -->
<#assign osd_hosts = ((groups[rook_ceph_osd_group])![])?filter(h -> ((hostvars[h].rook_ceph_osd_devices)![])?size gt 0)>
apiVersion: v1
kind: ConfigMap
metadata:
  name: rook-config-override
  namespace: rook-ceph
data:
  config: |
<#list rook_ceph_config_override as section, settings>
    [${section}]
<#list settings as key, value>
    ${key} = ${value}
</#list>
</#list>
---
apiVersion: ceph.rook.io/v1
kind: CephCluster
metadata:
  name: rook-ceph
  namespace: rook-ceph
spec:
  cephVersion:
    image: "${rook_ceph_image_ceph}"
    allowUnsupported: false
  dataDirHostPath: ${rook_ceph_data_dir_host_path}
  skipUpgradeChecks: false
  continueUpgradeAfterChecksEvenIfNotHealthy: false
  waitTimeoutForHealthyOSDInMinutes: 10
  mon:
    count: ${rook_ceph_mon_count}
    allowMultiplePerNode: false
  mgr:
    count: ${rook_ceph_mgr_count}
    allowMultiplePerNode: false
    modules:
      - name: pg_autoscaler
        enabled: true
  dashboard:
    enabled: ${rook_ceph_dashboard?c}
    ssl: true
  crashCollector:
    disable: false
  placement:
    all:
      nodeAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms:
            - matchExpressions:
                - key: "${rook_ceph_storage_label}"
                  operator: In
                  values: ["${rook_ceph_storage_label_value}"]
  storage:
    useAllNodes: false
    useAllDevices: false
<#if osd_hosts?size == 0>
    nodes: []
<#else>
    nodes:
<#list osd_hosts as h>
      - name: "${(hostvars[h].rook_ceph_node_name)!h}"
        devices:
<#list hostvars[h].rook_ceph_osd_devices as device>
          - name: "${device}"
</#list>
</#list>
</#if>
