#!/usr/bin/env bash
# How the fio JSON fixtures here were produced (once, on the development machine: Debian 12, fio-3.33 from Debian's
# fio package, ext4 on a virtio disk). Not run by the tests; rerun by hand to refresh the fixtures.
#   multi.json            two jobs (randread 4k iodepth 64, seqread 1M iodepth 8), numjobs=2, no group_reporting:
#                         four job entries, two per job name
#   grouped.json          the same jobs with group_reporting: one entry per group (json)
#   grouped-jsonplus.json the same with --output-format=json+ (adds latency bins)
#   error.json            one good job and one that fails (bs=1000 with direct=1: EINVAL, error 22); fio prints its
#                         'fio: pid=..., err=22/...' line before the JSON document on stdout
set -euo pipefail
out=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/jobs.fio" <<JOBS
[global]
ioengine=libaio
direct=1
time_based=1
runtime=2
ramp_time=1
size=16m
directory=$work
[randread-4k]
rw=randread
bs=4k
iodepth=64
numjobs=2
[seqread-1m]
stonewall
rw=read
bs=1M
iodepth=8
numjobs=2
JOBS
sed 's/^\[global\]/[global]\ngroup_reporting=1/' "$work/jobs.fio" > "$work/grouped.fio"
head -c 4M /dev/urandom > "$work/data.bin"
cat > "$work/error.fio" <<JOBS
[good]
ioengine=libaio
direct=1
filename=$work/data.bin
rw=randread
bs=4k
size=4m
runtime=1
time_based=1
[bad]
ioengine=libaio
direct=1
filename=$work/data.bin
rw=read
bs=1000
size=4m
JOBS
fio --output-format=json "$work/jobs.fio" > "$out/multi.json"
fio --output-format=json "$work/grouped.fio" > "$out/grouped.json"
fio --output-format=json+ "$work/grouped.fio" > "$out/grouped-jsonplus.json"
fio --output-format=json "$work/error.fio" > "$out/error.json" 2>/dev/null || true   # fio exits 1: a job failed
