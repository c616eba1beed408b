<#-- The benchmark's VMs, one VirtualMachine per name PREFIX1..PREFIXN (vm_names) (plus, for virtio, its data disks' PVCs), as WSF's
     Edge-Ceph-VirtIO VM.yaml.m4 defines them. kind: virtio | spdk_vhost. -->
<#macro vms kind>
<#assign hugepages = "hugepages-" + vm_hugepages_page_size>
<#assign userdata>
#cloud-config
users:
  - name: ${vm_ssh_user}
    sudo: ALL=(ALL) NOPASSWD:ALL
    shell: /bin/bash
    ssh_authorized_keys: [${to_json(vm_ssh_public_key)}]
</#assign>
<#list 1..vm_count?number as n>
<#assign name = vm_name_prefix + n?c>
<#if kind == "virtio">
<#list 1..vm_disk_count?number as d>
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}-data${d?c}
  namespace: ${vm_namespace}
  labels: {hyperform.dev/vm-set: ${to_json(vm_name_prefix)}}
spec:
  storageClassName: ${vm_storage_class}
  volumeMode: Block
  accessModes: [ReadWriteMany]
  resources:
    requests: {storage: ${vm_disk_size}}
</#list>
</#if>
---
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: ${name}
  namespace: ${vm_namespace}
  labels: {hyperform.dev/vm-set: ${to_json(vm_name_prefix)}, hyperform.dev/vm-kind: ${kind}}
spec:
  running: true
  template:
    metadata:
      labels: {hyperform.dev/vm-set: ${to_json(vm_name_prefix)}, hyperform.dev/vm-kind: ${kind}, kubevirt.io/vm: ${name}}
    spec:
      terminationGracePeriodSeconds: 0
<#if vm_anti_affinity != "none" || kind == "spdk_vhost">
      affinity:
<#if kind == "spdk_vhost">
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
<#list vm_spdk_vhost_node_labels as label, value>
              - {key: ${to_json(label)}, operator: In, values: [${to_json(value)}]}
</#list>
</#if>
<#if vm_anti_affinity == "required">
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - topologyKey: kubernetes.io/hostname
            labelSelector:
              matchLabels: {hyperform.dev/vm-set: ${to_json(vm_name_prefix)}}
<#elseif vm_anti_affinity == "preferred">
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              topologyKey: kubernetes.io/hostname
              labelSelector:
                matchLabels: {hyperform.dev/vm-set: ${to_json(vm_name_prefix)}}
</#if>
</#if>
      domain:
        cpu:
          cores: ${vm_cpu_cores}
          dedicatedCpuPlacement: ${vm_dedicated_cpu}
<#if kind == "spdk_vhost">
        memory:
          hugepages: {pageSize: ${to_json(vm_hugepages_page_size)}}
</#if>
        resources:
          requests: {memory: ${vm_memory}<#if kind == "spdk_vhost">, ${hugepages}: ${vm_memory}</#if>}
          limits: {memory: ${vm_memory}<#if kind == "spdk_vhost">, ${hugepages}: ${vm_memory}</#if>}
        devices:
          disks:
          - {name: rootdisk, disk: {bus: virtio}}
          - {name: cloudinitdisk, disk: {bus: virtio}}
<#list 1..vm_disk_count?number as d>
          - {name: data${d?c}, disk: {bus: virtio}}
</#list>
          interfaces:
          - {name: default, masquerade: {}}
      networks:
      - {name: default, pod: {}}
      volumes:
      - name: rootdisk
        containerDisk: {image: ${to_json(vm_boot_image)}}
      - name: cloudinitdisk
        cloudInitNoCloud:
          userData: ${to_json(userdata)}
<#list 1..vm_disk_count?number as d>
<#if kind == "spdk_vhost">
      - name: data${d?c}
        spdkVhostBlkDisk: {capacity: ${vm_disk_size}}
<#else>
      - name: data${d?c}
        persistentVolumeClaim: {claimName: ${name}-data${d?c}}
</#if>
</#list>
</#list>
</#macro>
