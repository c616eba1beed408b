package dev.hyperform.modules.spdk;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code spdk_rpc}: the SPDK vhost target's resources, declared: RBD cluster registrations, bdevs (RBD, or malloc
 * for labs) and vhost-blk controllers. It reads what the running target has in one batched call and issues only the
 * calls that bring it to the declaration. SPDK keeps nothing across a restart, so after one this re-creates
 * everything with the same names (and so the same socket paths). A controller whose bdev or cpumask differs is
 * deleted and re-created; undeclared controllers are deleted with {@code prune_controllers} unless a VM is attached.
 * The declaration is checked before anything is sent ({@link Declaration}), and what SPDK would refuse for reasons
 * it does not say (a cpumask outside its cores, a missing Ceph file) is refused here with the reason.
 */
public final class SpdkRpcModule implements Module {
    /**
     * Above Ceph's default client_mount_timeout (300 s): with no monitor answering, real SPDK v23.09 answered
     * bdev_rbd_register_cluster after 300 s, and no other call meanwhile (docs/spdk.md, "Checked against the real target").
     */
    static final long DEFAULT_TIMEOUT = 330L;
    static final String PACKED_RING_NOTE = "note: packed_ring applies only when a controller is created; SPDK does not report it, "
            + "so a changed packed_ring alone does not re-create a controller";
    private static final ArgSpec SPEC = ArgSpec.builder("Declare the SPDK vhost target's RBD clusters, bdevs and vhost-blk controllers (JSON-RPC).")
            .arg(ArgDef.optional("socket", ArgType.PATH, "/var/tmp/spdk.sock", "the target's RPC socket (-r)"))
            .arg(ArgDef.optional("rbd_clusters", ArgType.LIST, List.of(), "list of {name (required), user_id, config_file, key_file, config_param, core_mask}: SPDK's bdev_rbd_register_cluster"))
            .arg(ArgDef.optional("bdevs", ArgType.LIST, List.of(),
                    "list of {name (required), type: rbd|malloc, and the options of SPDK's bdev_rbd_create (pool_name, rbd_name, "
                            + "block_size, cluster_name, user_id, config, uuid) or bdev_malloc_create (num_blocks, block_size, ...)}"))
            .arg(ArgDef.optional("vhost_blk_controllers", ArgType.LIST, List.of(),
                    "list of {ctrlr, dev_name, cpumask, readonly, packed_ring, transport}; cpumask as SPDK reads it: a quoted hex "
                            + "string ('0x3', or '3' which is also hex) or a core list ('[0,1]'); packed_ring is applied only when a "
                            + "controller is created (SPDK does not report it, so changing it alone changes nothing)"))
            .arg(ArgDef.optional("state", ArgType.STRING, "present",
                    "present: the declared resources exist; absent: the declared vhost_blk_controllers and bdevs are deleted (never a "
                            + "controller a VM is attached to; RBD cluster registrations and the RBD images stay)"))
            .arg(ArgDef.optional("prune_controllers", ArgType.BOOL, false, "delete controllers that are not declared (never one a VM is attached to)"))
            .arg(ArgDef.optional("wait_for_socket", ArgType.INT, 10L, "seconds to wait for the RPC socket to appear"))
            .arg(ArgDef.optional("rpc_timeout", ArgType.INT, DEFAULT_TIMEOUT,
                    "seconds to wait for each SPDK answer (registering an RBD cluster blocks for up to Ceph's client_mount_timeout)"))
            .example("- spdk_rpc:\n    bdevs: [{name: vm1-0, type: rbd, pool_name: replicapool, rbd_name: vm1-0, block_size: 512, cluster_name: ceph}]\n"
                    + "    vhost_blk_controllers: [{ctrlr: vhost.vm1-0, dev_name: vm1-0, cpumask: '0x2'}]")
            .build();

    @Override
    public String name() {
        return "spdk_rpc";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        Declaration want = Declaration.of(args);
        String socket = args.string("socket");
        long timeout = args.integer("rpc_timeout");
        waitForSocket(target, socket, args.integer("wait_for_socket"));
        TargetState have = TargetState.of(SpdkRpc.probe(target, socket, TargetState.PROBES, timeout));
        String state = args.string("state");
        if (state.equals("absent")) {
            return absent(want, have, socket, timeout);
        }
        if (!state.equals("present")) {
            throw ModuleException.invalidArgs(args.location(), "state must be present or absent, not '" + state + "'", "see: hyperform doc spdk_rpc");
        }
        refuseWhatSpdkWouldRefuse(target, want, have);
        List<SpdkRpc.Call> calls = new ArrayList<>();
        List<String> busy = new ArrayList<>();
        Set<String> clusters = new LinkedHashSet<>(have.clusters());
        for (Declaration.Entry c : want.clusters()) {
            if (clusters.add(c.name())) {
                calls.add(new SpdkRpc.Call(c.method(), c.params()));
            }
        }
        Set<String> bdevs = new LinkedHashSet<>(have.bdevs().keySet());
        for (Declaration.Entry b : want.bdevs()) {
            if (!have.hasBdev(b.name())) {
                bdevs.add(b.name());
                calls.add(new SpdkRpc.Call(b.method(), b.params()));
            }
        }
        Set<String> controllers = new LinkedHashSet<>(have.controllers().keySet());
        Set<String> declared = new LinkedHashSet<>();
        for (Declaration.Controller c : want.controllers()) {
            declared.add(c.name());
            JsonNode now = have.controllers().get(c.name());
            if (now != null && !matches(now, c, have)) {
                if (TargetState.attached(now)) {
                    busy.add(c.name());
                    continue;
                }
                calls.add(new SpdkRpc.Call("vhost_delete_controller", Map.of("ctrlr", c.name())));
                controllers.remove(c.name());
                now = null;
            }
            if (now == null) {
                calls.add(new SpdkRpc.Call("vhost_create_blk_controller", c.params()));
                controllers.add(c.name());
            }
        }
        if (args.bool("prune_controllers")) {
            for (Map.Entry<String, JsonNode> e : have.controllers().entrySet()) {
                if (!declared.contains(e.getKey())) {
                    if (TargetState.attached(e.getValue())) {
                        busy.add(e.getKey());
                    } else {
                        calls.add(new SpdkRpc.Call("vhost_delete_controller", Map.of("ctrlr", e.getKey())));
                        controllers.remove(e.getKey());
                    }
                }
            }
        }
        if (!busy.isEmpty()) {
            throw new ModuleException("vhost controllers " + busy + " differ from the declaration (or are undeclared) but a VM is attached",
                    "stop or migrate the VM first; SPDK refuses to delete a controller in use (Device or resource busy)");
        }
        Map<String, Object> after = state(clusters, bdevs, controllers);
        boolean packedRing = want.controllers().stream().anyMatch(c -> c.params().containsKey("packed_ring"));
        if (calls.isEmpty()) {
            return Change.none("SPDK has the declared " + want.controllers().size() + " controllers and " + want.bdevs().size() + " bdevs"
                    + (packedRing ? " (" + PACKED_RING_NOTE.substring("note: ".length()) + ")" : "")).withValues(after);
        }
        List<Command> cmds = new ArrayList<>();
        StringBuilder planned = new StringBuilder();
        for (SpdkRpc.Call c : calls) {
            cmds.add(SpdkRpc.command(socket, List.of(c), timeout));
            planned.append(c.method()).append(' ').append(SpdkRpc.describe(c.params())).append('\n');
        }
        if (packedRing) {
            planned.append(PACKED_RING_NOTE).append('\n');
        }
        return Change.commands(calls.size() + " SPDK RPC call(s)", cmds,
                List.of(Diff.content("spdk:" + socket, "controllers: " + have.controllers().keySet() + "\nbdevs: " + have.bdevs().keySet()
                        + "\n", planned.toString())), after);
    }

    /** Deletes the declared controllers, then their bdevs (RBD or malloc) that no other controller uses. */
    private static Change absent(Declaration want, TargetState have, String socket, long timeout) {
        List<SpdkRpc.Call> calls = new ArrayList<>();
        Set<String> controllers = new LinkedHashSet<>(have.controllers().keySet());
        List<String> busy = new ArrayList<>();
        for (Declaration.Controller c : want.controllers()) {
            JsonNode now = have.controllers().get(c.name());
            if (now == null) {
                continue;
            }
            if (TargetState.attached(now)) {
                busy.add(c.name());
            }
            calls.add(new SpdkRpc.Call("vhost_delete_controller", Map.of("ctrlr", c.name())));
            controllers.remove(c.name());
        }
        if (!busy.isEmpty()) {
            throw new ModuleException("vhost controllers " + busy + " are to be absent but a VM is attached to them",
                    "stop or migrate the VM first; SPDK refuses to delete a controller in use (Device or resource busy)");
        }
        Set<String> stillUsed = new LinkedHashSet<>();
        controllers.forEach(n -> stillUsed.add(TargetState.bdevOf(have.controllers().get(n))));
        Set<String> bdevs = new LinkedHashSet<>(have.bdevs().keySet());
        for (Declaration.Entry b : want.bdevs()) {
            String name = have.canonical(b.name());
            JsonNode now = have.bdevs().get(name);
            if (now == null || stillUsed.contains(name)) {
                continue;
            }
            boolean rbd = now.path("driver_specific").has("rbd");
            calls.add(new SpdkRpc.Call(rbd ? "bdev_rbd_delete" : "bdev_malloc_delete", Map.of("name", name)));
            bdevs.remove(name);
        }
        Map<String, Object> after = state(have.clusters(), bdevs, controllers);
        if (calls.isEmpty()) {
            return Change.none("SPDK has none of the " + want.controllers().size() + " controllers and " + want.bdevs().size()
                    + " bdevs declared absent").withValues(after);
        }
        List<Command> cmds = new ArrayList<>();
        StringBuilder planned = new StringBuilder();
        for (SpdkRpc.Call c : calls) {
            cmds.add(SpdkRpc.command(socket, List.of(c), timeout));
            planned.append(c.method()).append(' ').append(SpdkRpc.describe(c.params())).append('\n');
        }
        return Change.commands(calls.size() + " SPDK RPC call(s)", cmds,
                List.of(Diff.content("spdk:" + socket, "controllers: " + have.controllers().keySet() + "\nbdevs: " + have.bdevs().keySet()
                        + "\n", planned.toString())), after);
    }

    /**
     * Runs each call and checks SPDK's answer (socat exits 0 whatever SPDK answered). The registered state is read
     * back from the target afterwards, also when a call failed; a run that changed something before failing is
     * reported changed as well as failed.
     */
    @Override
    public ModuleResult apply(Target target, Args args, Change change) {
        String socket = args.string("socket");
        long timeout = args.integer("rpc_timeout");
        List<ModuleResult.Ran> ran = new ArrayList<>();
        for (Command c : change.commands()) {
            SpdkRpc.Call call = SpdkRpc.callOf(c);
            SpdkRpc.Answer a;
            try {
                a = SpdkRpc.exchange(cmd -> {
                    ExecResult r = target.run(cmd);
                    ran.add(new ModuleResult.Ran(cmd, r));
                    return r;
                }, c, socket, List.of(call), timeout).get(0);
            } catch (ModuleException e) {
                // no answer (or a closed connection): SPDK answers nothing else while it is blocked, so the state is
                // not read again (that would wait another rpc_timeout)
                return new ModuleResult(ran.size() > 1, true, e.detail() + "; " + e.hint(),
                        Map.of("state_unknown", "not read after the failure: " + e.detail()), ran);
            }
            if (!a.ok()) {
                Refusal why = Refusal.of(call, a, stateOrUnknown(target, socket, timeout), target);
                return failed(target, socket, timeout, ran, why.message() + "; " + why.hint(),
                        Map.of("rpc_error", Map.of("code", a.code(), "message", a.message())));
            }
        }
        return ModuleResult.changed(change.summary(), now(target, socket, timeout), ran);
    }

    private static TargetState stateOrUnknown(Target target, String socket, long timeout) {
        try {
            return TargetState.of(SpdkRpc.probe(target, socket, TargetState.PROBES, timeout));
        } catch (ModuleException e) {
            return TargetState.UNKNOWN;
        }
    }

    private static ModuleResult failed(Target target, String socket, long timeout, List<ModuleResult.Ran> ran, String message,
                                       Map<String, Object> extra) {
        Map<String, Object> values = new LinkedHashMap<>(extra);
        try {
            values.putAll(now(target, socket, timeout));
        } catch (ModuleException e) {
            values.put("state_unknown", e.getMessage());
        }
        boolean changedSomething = ran.size() > 1;
        return new ModuleResult(changedSomething, true, message, values, ran);
    }

    /** The target's state as registered values: names of clusters, bdevs and controllers, read now. */
    private static Map<String, Object> now(Target target, String socket, long timeout) {
        TargetState s = TargetState.of(SpdkRpc.probe(target, socket, TargetState.PROBES, timeout));
        return state(s.clusters(), s.bdevs().keySet(), s.controllers().keySet());
    }

    private static Map<String, Object> state(Set<String> clusters, Set<String> bdevs, Set<String> controllers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rbd_clusters", new ArrayList<>(clusters));
        m.put("bdevs", new ArrayList<>(bdevs));
        m.put("controllers", new ArrayList<>(controllers));
        return m;
    }

    /**
     * What SPDK would refuse, refused before anything is sent (so {@code --check} fails as the run would): a
     * dev_name that is neither declared nor on the target, an RBD bdev on a cluster that is neither declared nor
     * registered, a cpumask outside the cores the target runs on, Ceph files missing on the node.
     */
    private static void refuseWhatSpdkWouldRefuse(Target target, Declaration want, TargetState have) {
        List<String> wrong = new ArrayList<>();
        Set<String> bdevs = want.bdevNames();
        Set<String> clusters = want.clusterNames();
        for (Declaration.Entry b : want.bdevs()) {
            if (b.params().get("cluster_name") instanceof String c && !clusters.contains(c) && !have.clusters().contains(c)) {
                wrong.add("bdev '" + b.name() + "' uses cluster_name '" + c + "', which is neither declared under rbd_clusters nor registered");
            }
        }
        for (Declaration.Controller c : want.controllers()) {
            if (!bdevs.contains(c.devName()) && !have.hasBdev(c.devName())) {
                wrong.add("controller '" + c.name() + "' uses dev_name '" + c.devName() + "', which is neither declared under bdevs nor on the target"
                        + Declaration.didYouMean(c.devName(), union(bdevs, have.bdevs().keySet())));
            }
            if (c.mask() != null && have.cores() != null && !c.mask().within(have.cores())) {
                wrong.add("controller '" + c.name() + "' has cpumask " + c.params().get("cpumask") + " (cores " + c.mask().coreList()
                        + ") but the target runs on cores " + have.cores().coreList() + " (" + have.cores().hex() + ")");
            }
        }
        for (Declaration.Entry c : want.clusters()) {
            if (!have.clusters().contains(c.name())) {
                Refusal.missingFiles(target, c.params(), wrong);
            }
        }
        if (!wrong.isEmpty()) {
            throw new ModuleException("spdk_rpc on " + target.host() + ": " + String.join("; ", wrong),
                    "fix the declaration (or the target's core mask, spdk_cpumask); nothing was sent to SPDK");
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new LinkedHashSet<>(a);
        u.addAll(b);
        return u;
    }

    /**
     * A controller matches when SPDK reports the declared bdev (aliases and UUIDs resolved to the bdev's name), the
     * same cores (masks compared as core sets) and the same readonly flag (false when not declared). packed_ring
     * cannot be compared: SPDK does not report it.
     */
    private static boolean matches(JsonNode now, Declaration.Controller want, TargetState have) {
        if (!TargetState.bdevOf(now).equals(have.canonical(want.devName()))) {
            return false;
        }
        if (want.mask() != null && !CpuMask.parse(now.path("cpumask").asText("")).map(want.mask()::equals).orElse(false)) {
            return false;
        }
        return want.readonly() == now.path("backend_specific").path("block").path("readonly").asBoolean();
    }

    private static void waitForSocket(Target target, String socket, long seconds) {
        ExecResult r = target.probe(Command.sh("i=0; while [ ! -S \"$1\" ] && [ $i -lt $(( $2 * 5 )) ]; do sleep 0.2; i=$((i+1)); done; [ -S \"$1\" ]",
                List.of(socket, Long.toString(seconds))));
        if (!r.ok()) {
            throw new ModuleException("the SPDK RPC socket " + socket + " did not appear within " + seconds + " s on " + target.host(),
                    "is spdk-vhost.service running? see: journalctl -u spdk-vhost");
        }
    }
}
