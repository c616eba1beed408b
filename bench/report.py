#!/usr/bin/env python3
"""Turns bench/run's results.tsv into the markdown table of docs/benchmarks.md."""
import csv, datetime, os, platform, re, statistics, sys

results, ping, inventory, smoke = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
rows = list(csv.DictReader(open(results), delimiter="\t"))
def runs(tool, hosts, run):
    return [float(r["wall_s"]) for r in rows if r["tool"] == tool and r["hosts"] == hosts and r["run"] == run]
def field(tool, hosts, run, name):
    return [float(r[name]) for r in rows if r["tool"] == tool and r["hosts"] == hosts and r["run"] == run]
def fmt(v):
    return f"{statistics.median(v):.2f} ({min(v):.2f}–{max(v):.2f})" if v else "–"

ping_text = open(ping).read()
floor = [float(m) for m in re.findall(r"median ([0-9.]+) ms", ping_text)]
inv = open(inventory).read().strip()
mem_kb = int(open("/proc/meminfo").read().split()[1])
print(f"# Benchmarks: hyperform vs ansible-playbook on the same lab hosts")
print()
print(f"Measured {datetime.date.today().isoformat()} by `bench/run{' --smoke' if smoke else ''}` on this machine: "
      f"{os.cpu_count()} cores, {mem_kb // 1024 // 1024} GiB, {platform.platform()}. Lab hosts are systemd-nspawn "
      f"containers on the same machine (see docs/lab.md), reached over real SSH on a bridge.")
print()
print("Workload: one 20-task playbook written once per tool with the same effects (file, copy, lineinfile, template, "
      "sysctl-like line edits, command, a systemd state check, a package-present check), `gather_facts: false` for "
      "both. First run = on clean hosts (changes); second run = no changes. Tools alternate, repetitions as listed. "
      "Ansible is tuned: pipelining on, ControlMaster/ControlPersist 60s, forks = hosts, /usr/bin/python3; its first "
      "apt run (installs python3-apt) is a warm-up and not recorded. hyperform runs with -Xmx256m.")
print()
print("| hosts | run | hyperform wall s median (min–max) | ansible wall s median (min–max) | ansible / hyperform | hyperform CPU s | ansible CPU s | hyperform peak RSS MiB | ansible peak RSS MiB |")
print("|---|---|---|---|---|---|---|---|---|")
goal_rows = []
for hosts in sorted({r["hosts"] for r in rows}, key=int):
    for run in ("first", "second"):
        h, a = runs("hyperform", hosts, run), runs("ansible", hosts, run)
        if not h or not a:
            continue
        ratio = statistics.median(a) / statistics.median(h)
        goal_rows.append((hosts, run, ratio))
        cpu = lambda t: statistics.median([u + s for u, s in zip(field(t, hosts, run, "user_s"), field(t, hosts, run, "sys_s"))])
        rss = lambda t: max(field(t, hosts, run, "maxrss_kb")) / 1024
        print(f"| {hosts} | {run} | {fmt(h)} | {fmt(a)} | {ratio:.1f}× | {cpu('hyperform'):.2f} | {cpu('ansible'):.2f} | {rss('hyperform'):.0f} | {rss('ansible'):.0f} |")
print()
print("## Per task, and the floor")
print()
print("| hosts | hyperform ms per task (second run / 20) | ansible ms per task | hyperform added ms per task ((second − one-task run) / 19) | SSH round trip on an open connection, ms (median) | added / round trip |")
print("|---|---|---|---|---|---|")
fl = statistics.median(floor) if floor else float("nan")
added_rows = []
for hosts in sorted({r["hosts"] for r in rows}, key=int):
    h, a, one = runs("hyperform", hosts, "second"), runs("ansible", hosts, "second"), runs("hyperform", hosts, "one")
    if not h or not one:
        continue
    added = (statistics.median(h) - statistics.median(one)) / 19 * 1000
    added_rows.append((hosts, added))
    print(f"| {hosts} | {statistics.median(h) / 20 * 1000:.0f} | {statistics.median(a) / 20 * 1000 if a else float('nan'):.0f} | {added:.1f} | {fl:.2f} | {added / fl:.1f}× |")
print()
print(f"Inventory parsing: `{inv}` (10,000 hosts in 100 groups, one JVM, 7 parses).")
print()
print("## Against the goals")
print()
for hosts, run, ratio in goal_rows:
    print(f"- ≥ 20× faster than tuned ansible-playbook, {hosts} hosts, {run} run: {ratio:.1f}× — {'met' if ratio >= 20 else 'MISSED'}")
for hosts, added in added_rows:
    print(f"- added cost per task ≤ 2× the raw round trip ({hosts} hosts, all in parallel): {added:.1f} ms vs {2 * fl:.2f} ms — {'met' if added <= 2 * fl else 'MISSED'}")
m = re.search(r"parse_ms_median=(\d+)", inv)
if m:
    print(f"- 10,000-host inventory parsed < 1 s: {m.group(1)} ms — {'met' if int(m.group(1)) < 1000 else 'MISSED'}")
scale = [r for r in rows if r["tool"] == "hyperform-scale"]
if scale:
    n = scale[0]["hosts"]
    ok = all(r["exit"] == "0" for r in scale)
    rss = max(float(r["maxrss_kb"]) for r in scale) / 1024
    walls = ", ".join(f'{r["run"]} {float(r["wall_s"]):.1f} s' for r in scale)
    print(f"- {n} hosts with controller heap ≤ 256 MB (-Xmx256m): {'met' if ok else 'MISSED'} — a 10-task playbook on {n} cheap "
          f"hosts (sshd in a chroot on this machine) ran to the end ({walls}; peak RSS of the whole JVM {rss:.0f} MiB)")
else:
    print("- 200 hosts with controller heap ≤ 256 MB: not measured in this run (smoke mode)")
