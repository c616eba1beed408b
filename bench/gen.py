#!/usr/bin/env python3
"""Writes the bench's 20-task playbook twice, for hyperform and for ansible-playbook, with the same effects.
Only the template syntax differs (FreeMarker .ftl vs Jinja .j2). Run from the bench directory."""
TASKS = [
    ("directory", "file", {"path": "/opt/bench", "state": "directory", "mode": "0755"}),
    ("config", "copy", {"content": "alpha=1\nbeta=2\n", "dest": "/opt/bench/app.conf", "mode": "0644"}),
    ("line a", "lineinfile", {"path": "/opt/bench/edit.conf", "regexp": "^alpha=", "line": "alpha=10", "create": True}),
    ("line b", "lineinfile", {"path": "/opt/bench/edit.conf", "line": "gamma=3"}),
    ("template", "template", {"src": "TEMPLATE", "dest": "/opt/bench/motd"}),
    ("sysctl-like 1", "lineinfile", {"path": "/opt/bench/99-bench.conf", "regexp": "^vm.swappiness", "line": "vm.swappiness = 10", "create": True}),
    ("sysctl-like 2", "lineinfile", {"path": "/opt/bench/99-bench.conf", "regexp": "^net.core.somaxconn", "line": "net.core.somaxconn = 1024"}),
    ("sysctl-like 3", "lineinfile", {"path": "/opt/bench/99-bench.conf", "regexp": "^fs.file-max", "line": "fs.file-max = 100000"}),
    ("subdir", "file", {"path": "/opt/bench/data", "state": "directory", "mode": "0700"}),
    ("marker", "copy", {"content": "m\n", "dest": "/opt/bench/data/marker", "mode": "0600"}),
    ("link", "file", {"src": "/opt/bench/app.conf", "path": "/opt/bench/current.conf", "state": "link"}),
    ("mode", "file", {"path": "/opt/bench/motd", "mode": "0640"}),
    ("second config", "copy", {"content": "x=1\n", "dest": "/opt/bench/second.conf"}),
    ("line c", "lineinfile", {"path": "/opt/bench/edit.conf", "line": "delta=4"}),
    ("command check", "command", "cat /opt/bench/app.conf"),
    ("command uname", "command", "uname -r"),
    ("ssh running", "systemd", {"name": "ssh", "state": "started"}),
    ("package present", "apt", {"name": "openssh-server", "state": "present"}),
    ("third config", "copy", {"content": "z=9\n", "dest": "/opt/bench/third.conf"}),
    ("stat", "stat", {"path": "/opt/bench/app.conf"}),
]


def emit(tool):
    out = ["# 20 tasks with the same effects for hyperform and ansible-playbook (written by bench/gen.py).",
           "- hosts: lab", "  gather_facts: false", "  vars:", "    bench_tag: bench", "  tasks:"]
    for name, module, args in TASKS:
        out.append(f"    - name: {name}")
        if isinstance(args, str):
            out += [f"      {module}: {args}", "      changed_when: false"]
            continue
        out.append(f"      {module}:")
        for k, v in args.items():
            if k == "src" and v == "TEMPLATE":
                v = "templates/motd.ftl" if tool == "hyperform" else "templates/motd.j2"
            if isinstance(v, bool):
                v = "true" if v else "false"
            else:
                v = '"' + str(v).replace("\n", "\\n") + '"'
            out.append(f"        {k}: {v}")
    return "\n".join(out) + "\n"


for tool in ("hyperform", "ansible"):
    with open(f"playbook.{tool}.yaml", "w") as f:
        f.write(emit(tool))
