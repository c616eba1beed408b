package dev.hyperform.modules.libvirt;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Diff;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import dev.hyperform.transport.ExecResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code libvirt_domain}: a VM defined (and running, shut or absent) with vhost-user-blk disks that reconnect,
 * shared memory (memfd, optionally hugepages) and NUMA {@code memAccess='shared'}. The XML is compared with what
 * libvirt has on the managed parts only (every value the module writes); on the target it is validated with
 * virt-xml-validate before {@code virsh define}, and the result says when that tool is missing. A running domain
 * keeps its old definition until it is started again: the result says so.
 */
public final class LibvirtDomainModule implements Module {
    private static final String DEFINE = """
            set -e
            t=$(mktemp)
            trap 'rm -f "$t"' EXIT
            cat > "$t"
            if command -v virt-xml-validate >/dev/null 2>&1; then virt-xml-validate "$t" domain >&2; fi
            virsh define "$t"
            """;
    private static final ArgSpec SPEC = ArgSpec.builder("Define and start a VM with vhost-user-blk disks (reconnect on) and shared memory.")
            .arg(ArgDef.required("name", ArgType.STRING, "domain name"))
            .arg(ArgDef.optional("memory_mib", ArgType.INT, 1024L, "guest memory, MiB"))
            .arg(ArgDef.optional("vcpus", ArgType.INT, 1L, "virtual CPUs"))
            .arg(ArgDef.optional("hugepages", ArgType.BOOL, false, "back guest memory with hugepages"))
            .arg(ArgDef.optional("hugepage_kib", ArgType.INT, 2048L, "hugepage size, KiB"))
            .arg(ArgDef.optional("domain_type", ArgType.STRING, "kvm", "kvm, or qemu (TCG, no /dev/kvm)").choices("kvm", "qemu"))
            .arg(ArgDef.optional("machine", ArgType.STRING, "q35", "machine type"))
            .arg(ArgDef.optional("emulator", ArgType.PATH, "/usr/bin/qemu-system-x86_64", "QEMU binary"))
            .arg(ArgDef.optional("kernel", ArgType.PATH, null, "direct kernel boot (else the first disk boots)"))
            .arg(ArgDef.optional("initrd", ArgType.PATH, null, "initrd for direct kernel boot"))
            .arg(ArgDef.optional("cmdline", ArgType.STRING, null, "kernel command line"))
            .arg(ArgDef.optional("disks", ArgType.LIST, List.of(),
                    "list of {type: vhostuser, socket: /var/tmp/vhost.x, queues: 2, reconnect: 10}, {type: file, path: ..., format: raw}"
                    + " or {type: rbd, name: POOL/IMAGE, hosts: [MON_ADDR:PORT], user: qemu, secret_uuid: UUID of a libvirt ceph secret}"))
            .arg(ArgDef.optional("serial_log", ArgType.PATH, null, "file that keeps the serial console's output (virsh console still works)"))
            .arg(ArgDef.optional("ssh_port", ArgType.INT, 0L,
                    "host port forwarded to the guest's port 22 through QEMU user networking (a virtio NIC, guest 10.0.2.15); 0: no network"))
            .arg(ArgDef.optional("ssh_listen", ArgType.STRING, null,
                    "host address the ssh_port forward binds to (default: all of the host's addresses); 127.0.0.1 makes the guest"
                    + " reachable only from its host, e.g. through it as a jump host"))
            .arg(ArgDef.optional("state", ArgType.STRING, "running", "running, defined, shut or absent").choices("running", "defined", "shut", "absent"))
            .arg(ArgDef.optional("autostart", ArgType.BOOL, null, "start with libvirtd"))
            .example("- libvirt_domain:\n    name: vm1\n    domain_type: qemu\n    disks: [{type: vhostuser, socket: /var/tmp/vhost.vm1-0, queues: 2, reconnect: 10}]")
            .build();

    @Override
    public String name() {
        return "libvirt_domain";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    static DomainSpec spec(Args args) {
        List<DomainSpec.Disk> disks = new ArrayList<>();
        int i = 0;
        for (Object o : args.list("disks")) {
            if (!(o instanceof Map<?, ?> m)) {
                throw ModuleException.invalidArgs(args.location(), "disks entries must be maps", "see: hyperform doc libvirt_domain");
            }
            String type = String.valueOf(m.get("type") == null ? "vhostuser" : m.get("type"));
            String target = m.get("target") != null ? String.valueOf(m.get("target")) : "vd" + (char) ('a' + i);
            if (type.equals("vhostuser")) {
                String socket = String.valueOf(m.get("socket"));
                if (!socket.startsWith("/")) {
                    throw ModuleException.invalidArgs(args.location(), "vhostuser socket '" + socket + "' must be an absolute path",
                            "libvirt's schema requires an absolute path, e.g. /var/tmp/vhost.vm1-0");
                }
                disks.add(new DomainSpec.Disk(type, target, socket, num(m.get("queues"), 1), num(m.get("reconnect"), 10), null, null));
            } else if (type.equals("file")) {
                disks.add(new DomainSpec.Disk(type, target, null, 0, 0, String.valueOf(m.get("path")),
                        m.get("format") == null ? "raw" : String.valueOf(m.get("format"))));
            } else if (type.equals("rbd")) {
                disks.add(rbd(args, m, target));
            } else {
                throw ModuleException.invalidArgs(args.location(), "disk type '" + type + "' is not supported", "use vhostuser, file or rbd");
            }
            i++;
        }
        if (args.optString("ssh_listen").isPresent() && args.integer("ssh_port") == 0) {
            throw ModuleException.invalidArgs(args.location(), "ssh_listen needs ssh_port: there is no forward to bind",
                    "set ssh_port (e.g. 2222) or remove ssh_listen");
        }
        return new DomainSpec(args.string("name"), args.integer("memory_mib"), (int) args.integer("vcpus"), args.bool("hugepages"),
                args.integer("hugepage_kib"), args.string("domain_type"), args.string("machine"), args.string("emulator"),
                args.optString("kernel").orElse(null), args.optString("initrd").orElse(null), args.optString("cmdline").orElse(null), disks,
                args.optString("serial_log").orElse(null), (int) args.integer("ssh_port"), args.optString("ssh_listen").orElse(null));
    }

    private static DomainSpec.Disk rbd(Args args, Map<?, ?> m, String target) {
        String name = m.get("name") == null ? "" : String.valueOf(m.get("name"));
        if (!name.matches("[^/@]+/[^/@]+")) {
            throw ModuleException.invalidArgs(args.location(), "rbd disk name '" + name + "' is not POOL/IMAGE", "e.g. name: replicapool/vm1-disk");
        }
        Object user = m.get("user");
        Object secret = m.get("secret_uuid");
        if ((user == null) != (secret == null)) {
            throw ModuleException.invalidArgs(args.location(), "rbd disk " + name + " needs both user and secret_uuid for cephx, or neither",
                    "define a libvirt secret of usage type ceph holding the user's key (virsh secret-define, secret-set-value) and name its uuid");
        }
        List<String> hosts = new ArrayList<>();
        if (m.get("hosts") instanceof List<?> l) {
            l.forEach(h -> hosts.add(String.valueOf(h)));
        } else if (m.get("hosts") != null) {
            throw ModuleException.invalidArgs(args.location(), "rbd disk " + name + ": hosts must be a list", "e.g. hosts: [172.31.250.11:6789]");
        }
        return new DomainSpec.Disk("rbd", target, null, 0, 0, name, m.get("format") == null ? "raw" : String.valueOf(m.get("format")),
                hosts, user == null ? null : String.valueOf(user), secret == null ? null : String.valueOf(secret));
    }

    private static int num(Object o, int fallback) {
        return o == null ? fallback : Integer.parseInt(String.valueOf(o));
    }

    @Override
    public Change plan(Target target, Args args) {
        String name = args.string("name");
        String state = args.string("state");
        ExecResult st = target.probe(Command.of("virsh", "domstate", "--", name));
        boolean exists = st.ok();
        String now = exists ? st.out().strip() : "absent";
        List<Command> cmds = new ArrayList<>();
        List<Diff> diffs = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (state.equals("absent")) {
            if (exists) {
                if (now.equals("running")) {
                    cmds.add(Command.of("virsh", "destroy", "--", name));
                }
                cmds.add(Command.of("virsh", "undefine", "--", name));
                diffs.add(Diff.attributes(name, Map.of("state", new String[] {now, "absent"})));
            }
        } else {
            DomainSpec spec = spec(args);
            String xml = DomainXml.write(spec);
            List<String> wanted = DomainXml.managed(xml);
            String before = "";
            if (exists) {
                ExecResult dump = target.probe(Command.of("virsh", "dumpxml", "--inactive", "--", name));
                before = String.join("\n", DomainXml.withMachineAlias(DomainXml.managed(dump.out()), wanted)) + "\n";
                xml = DomainXml.write(spec, DomainXml.uuid(dump.out()));
            }
            String after = String.join("\n", wanted) + "\n";
            boolean running = now.equals("running");
            if (!before.equals(after)) {
                boolean validator = target.probe(Command.sh("command -v virt-xml-validate >/dev/null")).ok();
                cmds.add(Command.sh(DEFINE).withStdin(xml).described("virsh define (" + name + ")"
                        + (validator ? "" : "; not validated: virt-xml-validate is not installed (package libvirt-clients)")));
                if (!validator) {
                    notes.add("the XML is not validated: virt-xml-validate is not installed (libvirt-clients; the libvirt role installs it)");
                }
                if (running && state.equals("running")) {
                    notes.add("the running domain keeps its old definition until it is shut down and started again");
                }
                diffs.add(Diff.content("domain " + name + (running ? " (running: the new definition applies at its next start)" : ""),
                        exists ? before : null, after));
            }
            if (state.equals("running") && !running) {
                cmds.add(Command.of("virsh", "start", "--", name));
                diffs.add(Diff.attributes(name, Map.of("state", new String[] {now, "running"})));
            } else if (state.equals("shut") && running) {
                cmds.add(Command.of("virsh", "destroy", "--", name));
                diffs.add(Diff.attributes(name, Map.of("state", new String[] {now, "shut off"})));
            }
            args.optBool("autostart").ifPresent(a -> {
                ExecResult info = target.probe(Command.sh("virsh dominfo -- \"$1\" 2>/dev/null | awk '/^Autostart:/ {print $2}'", List.of(name)));
                boolean on = info.out().strip().equals("enable");
                if (a != on) {
                    cmds.add(a ? Command.of("virsh", "autostart", "--", name) : Command.of("virsh", "autostart", "--disable", "--", name));
                    diffs.add(Diff.attributes(name, Map.of("autostart", new String[] {Boolean.toString(on), Boolean.toString(a)})));
                }
            });
        }
        if (cmds.isEmpty()) {
            return Change.none("domain " + name + " is " + now + " as declared").withValues(Map.of("state", now));
        }
        String summary = "domain " + name + ": " + now + " -> " + state + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")");
        return Change.commands(summary, cmds, diffs, Map.of("state", now, "notes", List.copyOf(notes)));
    }
}
