<#import "vm.ftl" as vm>
<#-- the VirtIO baseline: data disks on RWX Block PVCs of vm_storage_class -->
<@vm.vms kind="virtio"/>
