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
import dev.hyperform.module.ModuleResult;
import dev.hyperform.module.Target;
import dev.hyperform.transport.ExecResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code libvirt_migrate}: live-migrates a running domain from this host (the source) to another node, with libvirt's
 * peer-to-peer migration over the nodes' own SSH connection ({@code qemu+ssh://ADDRESS/system}, the key of role
 * migration_peers) and QEMU's migration stream straight to the destination's address. The definition moves with it
 * ({@code --persistent --undefinesource}). Disks must be shared storage (vhost-user disks whose controller the
 * destination already serves, RBD network disks): a disk on this host alone is refused. libvirt cannot tell that a
 * vhost-user disk is shared, so the migration runs with {@code --unsafe} only after that check. A migration that
 * takes longer than {@code timeout} is aborted (the VM keeps running here). Afterwards the domain must run on the
 * destination and be gone from here; the result has {@code seconds} (wall time of the migration) and
 * {@code downtime_ms} (libvirt's completed-job statistics on the destination, null when it does not say).
 * Not running here: nothing to do.
 */
public final class LibvirtMigrateModule implements Module {
    private static final Pattern DOWNTIME = Pattern.compile("(?m)^Total downtime:\\s+(\\d+)\\s*ms");
    private static final ArgSpec SPEC = ArgSpec.builder("Live-migrate a running libvirt domain from this host to another node (peer-to-peer over SSH).")
            .arg(ArgDef.required("name", ArgType.STRING, "the domain"))
            .arg(ArgDef.required("destination", ArgType.STRING, "the destination node's address (or a name this host resolves)"))
            .arg(ArgDef.optional("ssh_key", ArgType.PATH, "/etc/libvirt/hyperform-migrate/id_ed25519",
                    "the key this host's libvirtd uses to reach the destination's (role migration_peers)"))
            .arg(ArgDef.optional("ssh_user", ArgType.STRING, "root", "the user on the destination"))
            .arg(ArgDef.optional("timeout", ArgType.INT, 600L, "seconds before the migration is aborted (the VM stays here)"))
            .example("- libvirt_migrate: {name: vm1, destination: 10.0.0.12}\n  register: moved   # moved.seconds, moved.downtime_ms")
            .build();

    @Override
    public String name() {
        return "libvirt_migrate";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    static String uri(Args args) {
        return "qemu+ssh://" + args.string("ssh_user") + "@" + host(args.string("destination")) + "/system?keyfile=" + args.string("ssh_key");
    }

    private static String host(String address) {
        return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    }

    @Override
    public Change plan(Target target, Args args) {
        String name = args.string("name");
        String destination = args.string("destination");
        ExecResult st = target.probe(Command.of("virsh", "domstate", "--", name));
        String state = st.ok() ? st.out().strip() : "absent";
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("migrated", false);
        values.put("state", state);
        if (!state.equals("running")) {
            return Change.none(name + " is not running on this host (" + state + "): nothing to migrate").withValues(values);
        }
        ExecResult xml = target.probe(Command.of("virsh", "dumpxml", "--", name));
        if (!xml.ok()) {
            throw new ModuleException("virsh dumpxml " + name + " failed: " + xml.err().strip(), "is libvirtd running?");
        }
        List<String> local = DomainDisks.of(name, xml.out()).stream().filter(DomainDisks.Disk::local).map(DomainDisks.Disk::toString).toList();
        if (!local.isEmpty()) {
            throw new ModuleException("domain " + name + " has disks on this host alone: " + String.join(", ", local)
                    + "; a live migration would leave them behind", "put its disks on RBD (vhost-user through SPDK, or an rbd network disk)");
        }
        List<String> argv = new ArrayList<>(List.of("timeout", "-s", "INT", "-k", "30", String.valueOf(args.integer("timeout")),
                "virsh", "migrate", "--live", "--p2p", "--persistent", "--undefinesource", "--unsafe", "--", name, uri(args),
                "tcp://" + host(destination)));
        return Change.commands("live-migrate " + name + " to " + destination, List.of(Command.of(argv)
                        .described("virsh migrate --live --p2p --persistent --undefinesource --unsafe " + name + " " + uri(args) + " tcp://" + host(destination))),
                List.of(Diff.attributes(name, Map.of("host", new String[] {"this host", destination}))), values);
    }

    @Override
    public ModuleResult apply(Target target, Args args, Change change) {
        String name = args.string("name");
        String destination = args.string("destination");
        long started = System.nanoTime();
        ModuleResult r = target.execute(change);
        double seconds = Math.round((System.nanoTime() - started) / 1e7) / 100.0;
        Map<String, Object> values = new LinkedHashMap<>(r.values());
        values.put("seconds", seconds);
        if (r.failed()) {
            Object rc = values.get("rc");
            String why = rc instanceof Integer i && (i == 124 || i == 137)
                    ? "did not finish within " + args.integer("timeout") + " s and was aborted"
                    : "failed: " + String.valueOf(values.get("stderr")).strip();
            ExecResult st = target.probe(Command.of("virsh", "domstate", "--", name));
            return ModuleResult.failed("live migration of " + name + " to " + destination + " " + why + "; on this host it is now "
                    + (st.ok() ? st.out().strip() : "absent") + ". Check the destination's libvirtd log and that the nodes reach each other "
                    + "(role migration_peers: virsh -c '" + uri(args) + "' list)", values, r.ran());
        }
        ExecResult here = target.probe(Command.of("virsh", "domstate", "--", name));
        ExecResult there = target.probe(Command.of("virsh", "-c", uri(args), "domstate", "--", name));
        String hereState = here.ok() ? here.out().strip() : "absent";
        String thereState = there.ok() ? there.out().strip() : "absent (" + there.err().strip() + ")";
        values.put("migrated", true);
        values.put("destination_state", thereState);
        ExecResult job = target.probe(Command.of("virsh", "-c", uri(args), "domjobinfo", "--completed", "--", name));
        Matcher m = DOWNTIME.matcher(job.ok() ? job.out() : "");
        values.put("downtime_ms", m.find() ? Long.parseLong(m.group(1)) : null);
        if (!thereState.equals("running") || hereState.equals("running")) {
            return ModuleResult.failed("virsh migrate of " + name + " ended, but the domain is " + thereState + " on " + destination
                    + " and " + hereState + " on this host", values, r.ran());
        }
        return ModuleResult.changed(name + " runs on " + destination + " (" + seconds + " s)", values, r.ran());
    }
}
