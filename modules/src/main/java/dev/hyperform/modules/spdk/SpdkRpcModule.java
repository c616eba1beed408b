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
import java.util.TreeSet;

/**
 * {@code spdk_rpc}: the SPDK vhost target's resources, declared: RBD cluster registrations, bdevs (RBD, or malloc
 * for labs) and vhost-blk controllers. It reads what the running target has in one batched call and issues only the
 * calls that bring it to the declaration. SPDK keeps nothing across a restart, so after one this re-creates
 * everything with the same names (and so the same socket paths). A controller whose bdev or cpumask differs is
 * deleted and re-created; undeclared controllers are deleted with {@code prune_controllers} unless a VM is attached.
 */
public final class SpdkRpcModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Declare the SPDK vhost target's RBD clusters, bdevs and vhost-blk controllers (JSON-RPC).")
            .arg(ArgDef.optional("socket", ArgType.PATH, "/var/tmp/spdk.sock", "the target's RPC socket (-r)"))
            .arg(ArgDef.optional("rbd_clusters", ArgType.LIST, List.of(), "list of {name, user_id, config_file, key_file, config_param}"))
            .arg(ArgDef.optional("bdevs", ArgType.LIST, List.of(),
                    "list of {name, type: rbd|malloc, pool_name, rbd_name, block_size, cluster_name, user_id, config, num_blocks}"))
            .arg(ArgDef.optional("vhost_blk_controllers", ArgType.LIST, List.of(), "list of {ctrlr, dev_name, cpumask, readonly, packed_ring}"))
            .arg(ArgDef.optional("prune_controllers", ArgType.BOOL, false, "delete controllers that are not declared (never one a VM is attached to)"))
            .arg(ArgDef.optional("wait_for_socket", ArgType.INT, 10L, "seconds to wait for the RPC socket to appear"))
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
        String socket = args.string("socket");
        waitForSocket(target, socket, args.integer("wait_for_socket"));
        List<SpdkRpc.Answer> now = SpdkRpc.probe(target, socket, List.of(
                new SpdkRpc.Call("bdev_get_bdevs", null),
                new SpdkRpc.Call("vhost_get_controllers", null),
                new SpdkRpc.Call("bdev_rbd_get_clusters_info", null)));
        Map<String, JsonNode> bdevs = byName(now.get(0), "name");
        Map<String, JsonNode> ctrlrs = byName(now.get(1), "ctrlr");
        TreeSet<String> clusters = new TreeSet<>();
        if (now.get(2).ok()) {
            byName(now.get(2), "cluster_name").keySet().forEach(clusters::add);
        }
        List<SpdkRpc.Call> calls = new ArrayList<>();
        List<String> busy = new ArrayList<>();
        for (Object o : args.list("rbd_clusters")) {
            Map<String, Object> c = map(o, "rbd_clusters", args);
            if (!clusters.contains(String.valueOf(c.get("name")))) {
                calls.add(new SpdkRpc.Call("bdev_rbd_register_cluster", c));
            }
        }
        for (Object o : args.list("bdevs")) {
            Map<String, Object> b = new LinkedHashMap<>(map(o, "bdevs", args));
            String type = String.valueOf(b.getOrDefault("type", "rbd"));
            b.remove("type");
            if (!bdevs.containsKey(String.valueOf(b.get("name")))) {
                calls.add(new SpdkRpc.Call(type.equals("malloc") ? "bdev_malloc_create" : "bdev_rbd_create", b));
            }
        }
        List<String> declared = new ArrayList<>();
        for (Object o : args.list("vhost_blk_controllers")) {
            Map<String, Object> c = map(o, "vhost_blk_controllers", args);
            String name = String.valueOf(c.get("ctrlr"));
            declared.add(name);
            JsonNode have = ctrlrs.get(name);
            if (have != null && !matches(have, c)) {
                if (have.path("sessions").size() > 0) {
                    busy.add(name);
                    continue;
                }
                calls.add(new SpdkRpc.Call("vhost_delete_controller", Map.of("ctrlr", name)));
                have = null;
            }
            if (have == null) {
                calls.add(new SpdkRpc.Call("vhost_create_blk_controller", c));
            }
        }
        if (args.bool("prune_controllers")) {
            for (Map.Entry<String, JsonNode> e : ctrlrs.entrySet()) {
                if (!declared.contains(e.getKey())) {
                    if (e.getValue().path("sessions").size() > 0) {
                        busy.add(e.getKey());
                    } else {
                        calls.add(new SpdkRpc.Call("vhost_delete_controller", Map.of("ctrlr", e.getKey())));
                    }
                }
            }
        }
        if (!busy.isEmpty()) {
            throw new ModuleException("vhost controllers " + busy + " differ from the declaration (or are undeclared) but a VM is attached",
                    "stop or migrate the VM first; SPDK refuses to delete a controller in use (Device or resource busy)");
        }
        Map<String, Object> values = Map.of("bdevs", new ArrayList<>(bdevs.keySet()), "controllers", new ArrayList<>(ctrlrs.keySet()));
        if (calls.isEmpty()) {
            return Change.none("SPDK has the declared " + ctrlrs.size() + " controllers and " + bdevs.size() + " bdevs").withValues(values);
        }
        List<Command> cmds = new ArrayList<>();
        StringBuilder after = new StringBuilder();
        for (SpdkRpc.Call c : calls) {
            cmds.add(SpdkRpc.command(socket, List.of(c)));
            after.append(c.method()).append(' ').append(SpdkRpc.describe(c.params())).append('\n');
        }
        return Change.commands(calls.size() + " SPDK RPC call(s)", cmds,
                List.of(Diff.content("spdk:" + socket, "controllers: " + ctrlrs.keySet() + "\nbdevs: " + bdevs.keySet() + "\n", after.toString())),
                values);
    }

    /** Runs each call and checks SPDK's answer (socat exits 0 whatever SPDK answered). */
    @Override
    public ModuleResult apply(Target target, Args args, Change change) {
        List<ModuleResult.Ran> ran = new ArrayList<>();
        for (Command c : change.commands()) {
            ExecResult r = target.run(c);
            ran.add(new ModuleResult.Ran(c, r));
            String method = c.description().split(" ")[1];
            SpdkRpc.Call call = new SpdkRpc.Call(method, null);
            SpdkRpc.Answer a = SpdkRpc.answers(List.of(call), r, args.string("socket")).get(0);
            if (!a.ok()) {
                return ModuleResult.failed(c.description() + " failed: SPDK answered " + a.code() + " \"" + a.message() + "\"",
                        Map.of("rpc_error", Map.of("code", a.code(), "message", a.message())), ran);
            }
        }
        return ModuleResult.changed(change.summary(), change.values(), ran);
    }

    private static boolean matches(JsonNode have, Map<String, Object> want) {
        JsonNode block = have.path("backend_specific").path("block");
        if (!block.path("bdev").asText("").equals(String.valueOf(want.get("dev_name")))) {
            return false;
        }
        if (want.containsKey("cpumask") && Long.decode(String.valueOf(want.get("cpumask"))) != Long.decode(have.path("cpumask").asText("0x0"))) {
            return false;
        }
        return !want.containsKey("readonly") || Boolean.parseBoolean(String.valueOf(want.get("readonly"))) == block.path("readonly").asBoolean();
    }

    private static Map<String, JsonNode> byName(SpdkRpc.Answer a, String key) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (!a.ok()) {
            throw new ModuleException(a.call().method() + " failed: SPDK answered " + a.code() + " \"" + a.message() + "\"",
                    "is this an SPDK vhost target (v23.09)?");
        }
        JsonNode r = a.result();
        if (r.isArray()) {
            r.forEach(n -> out.put(n.path(key).asText(), n));
        } else if (r.isObject() && r.has(key)) {
            out.put(r.path(key).asText(), r);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String arg, Args args) {
        if (!(o instanceof Map<?, ?> m)) {
            throw ModuleException.invalidArgs(args.location(), arg + " entries must be maps, got " + o, "see: hyperform doc spdk_rpc");
        }
        return new LinkedHashMap<>((Map<String, Object>) m);
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
