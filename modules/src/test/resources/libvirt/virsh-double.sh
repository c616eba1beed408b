#!/bin/sh
# TEST DOUBLE of virsh (hyperform's tests), from the files in $HF_VIRSH: "running" (the running domains), D.xml
# (dumpxml D), D.labels (the chardev labels QMP query-chardev lists for D), D.after (query-chardev shows them
# disconnected for that many calls, then connected); D.calls counts the calls.
d="$HF_VIRSH"
case "$1" in
  list) cat "$d/running" ;;
  dumpxml) cat "$d/$2.xml" ;;
  qemu-monitor-command)
    n=$(cat "$d/$2.calls" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$d/$2.calls"
    after=$(cat "$d/$2.after" 2>/dev/null || echo 0)
    printf '{"return":['; first=1
    for label in $(cat "$d/$2.labels"); do
      [ $first = 1 ] || printf ','; first=0
      if [ $n -gt $after ]; then f='unix:'; else f="disconnected:unix:/var/tmp/x"; fi
      printf '{"frontend-open":true,"filename":"%s","label":"%s"}' "$f" "$label"
    done
    printf '],"id":"libvirt-1"}\n' ;;
  *) echo "virsh double: unknown $1" >&2; exit 1 ;;
esac
