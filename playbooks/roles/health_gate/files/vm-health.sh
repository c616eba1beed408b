#!/bin/sh
# Health of the libvirt VMs on this host, one line per domain (used by the health_gate role).
# usage: vm-health.sh WINDOW IO [IGNORED-DOMAIN...]
#   WINDOW  seconds between the two samples of the disks' request counters
#   IO      true: a running VM's read+write requests must grow over WINDOW; false: only its state counts
# Prints "VM NAME ok|RED WHAT"; "NO-VIRSH" when libvirt's client is not installed. Always exits 0 when it could look.
window=$1; io=$2; shift 2
command -v virsh >/dev/null 2>&1 || { echo NO-VIRSH; exit 0; }
names=$(virsh list --all --name) || { echo "RED libvirt: virsh list failed"; exit 0; }
ignored() { for i in "$@"; do [ "$i" = "$name" ] && return 0; done; return 1; }
# read+write requests of every disk libvirt has block statistics for; "none" when it has none (vhost-user disks)
reqs() {
    virsh domstats --block "$1" 2>/dev/null | awk -F= '/block\.[0-9]+\.(rd|wr)\.reqs=/ { s += $2; n++ } END { if (n) print s; else print "none" }'
}
samples=$(mktemp) || exit 1
trap 'rm -f "$samples"' EXIT
for name in $names; do
    ignored "$@" && { echo "VM $name ok ignored (health_gate_vms_ignore)"; continue; }
    state=$(virsh domstate "$name" 2>&1 | head -n 1)
    if [ "$state" != "running" ]; then
        echo "VM $name RED state '$state', not running"
    elif [ "$io" = "true" ]; then
        printf '%s %s\n' "$(reqs "$name")" "$name" >> "$samples"
    else
        echo "VM $name ok running"
    fi
done
[ -s "$samples" ] || exit 0
sleep "$window"
while read -r before name; do
    after=$(reqs "$name")
    state=$(virsh domstate "$name" 2>&1 | head -n 1)
    if [ "$state" != "running" ]; then
        echo "VM $name RED state '$state' (was running ${window} s before)"
    elif [ "$after" = "none" ]; then
        echo "VM $name ok running, I/O not measured (no disk with block statistics: vhost-user disks are served outside QEMU)"
    elif [ "$after" -gt "$before" ]; then
        echo "VM $name ok running, I/O progressing ($before -> $after requests in ${window} s)"
    else
        echo "VM $name RED running but no I/O progress: read+write requests stayed at $after for ${window} s"
    fi
done < "$samples"
