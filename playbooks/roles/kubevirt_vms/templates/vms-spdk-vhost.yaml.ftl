<#import "vm.ftl" as vm>
<#-- SPDK vhost-user-blk data disks (the patched KubeVirt's spdkVhostBlkDisk), hugepage memory -->
<@vm.vms kind="spdk_vhost"/>
