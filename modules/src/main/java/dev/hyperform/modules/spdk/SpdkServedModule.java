package dev.hyperform.modules.spdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
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

/**
 * {@code spdk_served}: what the node's SPDK vhost target serves, as a declaration {@code spdk_rpc} takes back
 * ({@code rbd_clusters}, {@code bdevs}, {@code vhost_blk_controllers}), read from the target's JSON-RPC
 * ({@code vhost_get_controllers}, {@code bdev_get_bdevs}, {@code bdev_rbd_get_clusters_info}) and kept in a state
 * file on the node. SPDK persists nothing: after a crash the target is empty (or down), and the record that survives
 * is that file. So when the target serves at least one controller the file is brought up to date (a change, shown
 * in {@code --check}); when it serves none the record is read from the file ({@code source: state_file}). Only
 * what the served controllers need is recorded: their bdevs, and the RBD clusters those bdevs use.
 */
public final class SpdkServedModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Record what the SPDK vhost target serves (controllers, their bdevs and RBD clusters) in a state file; read it back when the target serves nothing.")
            .arg(ArgDef.optional("socket", ArgType.PATH, "/var/tmp/spdk.sock", "the target's RPC socket (-r)"))
            .arg(ArgDef.required("state_file", ArgType.PATH, "the record on the node (JSON), written when the target serves controllers"))
            .arg(ArgDef.optional("rpc_timeout", ArgType.INT, 30L, "seconds to wait for each SPDK answer"))
            .arg(ArgDef.optional("declared", ArgType.MAP, Map.of(),
                    "what the inventory declares ({rbd_clusters, bdevs, vhost_blk_controllers}, as spdk_rpc takes them): added to the record in 'served', a declared entry replacing a recorded one of the same name"))
            .example("- spdk_served: {state_file: /var/lib/hyperform/spdk-served.json}\n  register: served")
            .build();

    @Override
    public String name() {
        return "spdk_served";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        String socket = args.string("socket");
        String file = args.string("state_file");
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> record = null;
        boolean running = target.probe(Command.sh("[ -S \"$1\" ]", List.of(socket))).ok();
        values.put("running", running);
        if (running) {
            record = recordOf(SpdkRpc.probe(target, socket, TargetState.PROBES, args.integer("rpc_timeout")), target.host());
        }
        ExecResult stored = target.probe(Command.sh("[ ! -e \"$1\" ] || cat \"$1\"", List.of(file)));
        if (!stored.ok()) {
            throw new ModuleException("cannot read the SPDK state file " + file + " on " + target.host() + ": " + stored.err().strip(),
                    "check its permissions (the play runs with become)");
        }
        String before = stored.out();
        Map<String, Object> saved = before.isBlank() ? null : parse(before, file, target.host());
        boolean serves = record != null && !((List<?>) record.get("vhost_blk_controllers")).isEmpty();
        Map<String, Object> declared = args.values().get("declared") instanceof Map<?, ?> m ? cast(m) : Map.of();
        if (!serves) {
            Map<String, Object> out = merged(saved == null ? empty() : saved, declared);
            values.put("source", saved != null ? "state_file" : names(out).isEmpty() ? "none" : "declared");
            values.put("recorded", saved == null ? empty() : saved);
            values.put("served", out);
            values.put("controllers", names(out));
            return new Change((running ? "SPDK serves no controller" : "SPDK is not running (no " + socket + ")")
                    + (saved == null ? "; no record in " + file : "; " + names(out).size() + " controllers recorded in " + file),
                    List.of(), List.of(), values, Map.of(), false);
        }
        values.put("source", "target");
        values.put("recorded", record);
        values.put("served", merged(record, declared));
        values.put("controllers", names(cast((Map<?, ?>) values.get("served"))));
        String after = json(record);
        if (after.equals(before.strip())) {
            return new Change("recorded: SPDK serves " + names(record), List.of(), List.of(), values, Map.of(), false);
        }
        Command write = Command.sh("mkdir -p \"$(dirname \"$1\")\" && cat > \"$1.tmp\" && chmod 0600 \"$1.tmp\" && mv \"$1.tmp\" \"$1\"", List.of(file))
                .withStdin(after + "\n").described("record what SPDK serves in " + file);
        return Change.commands("record " + names(record).size() + " controllers in " + file, List.of(write),
                List.of(Diff.content(file, before, after + "\n")), values);
    }

    @Override
    public ModuleResult apply(Target target, Args args, Change change) {
        return target.execute(change);
    }

    /**
     * The declaration that re-creates what the target serves: each controller with its bdev's name, cpumask and
     * readonly flag; each bdev a controller uses, as {@code bdev_rbd_create} or {@code bdev_malloc_create} takes it;
     * each RBD cluster those bdevs use. SPDK shows an RBD bdev's cluster only through the cluster's settings
     * (user_id, config_file, key_file, config_param), so the cluster is the registered one with the same settings.
     */
    static Map<String, Object> recordOf(List<SpdkRpc.Answer> a, String host) {
        TargetState have = TargetState.of(a);
        List<JsonNode> clusters = new ArrayList<>();
        if (a.get(2).ok()) {
            a.get(2).result().forEach(clusters::add);
        }
        List<Map<String, Object>> controllers = new ArrayList<>();
        Map<String, Map<String, Object>> bdevs = new LinkedHashMap<>();
        Map<String, Map<String, Object>> usedClusters = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : have.controllers().entrySet()) {
            JsonNode c = e.getValue();
            if (!c.path("backend_specific").has("block")) {
                unknown.add(e.getKey() + " (not a vhost-blk controller)");
                continue;
            }
            String bdev = TargetState.bdevOf(c);
            JsonNode b = have.bdevs().get(bdev);
            if (b == null) {
                unknown.add(e.getKey() + " (its bdev is gone)");
                continue;
            }
            Map<String, Object> ctrl = new LinkedHashMap<>();
            ctrl.put("ctrlr", e.getKey());
            ctrl.put("dev_name", bdev);
            ctrl.put("cpumask", c.path("cpumask").asText());
            if (c.path("backend_specific").path("block").path("readonly").asBoolean()) {
                ctrl.put("readonly", true);
            }
            controllers.add(ctrl);
            if (!bdevs.containsKey(bdev)) {
                Map<String, Object> decl = bdevOf(b, clusters, usedClusters);
                if (decl == null) {
                    unknown.add(e.getKey() + " (bdev '" + bdev + "' is a " + b.path("product_name").asText() + ", which hyperform cannot re-create)");
                    controllers.remove(ctrl);
                } else {
                    bdevs.put(bdev, decl);
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new ModuleException("SPDK on " + host + " serves controllers that cannot be recorded for re-creation: " + unknown,
                    "only vhost-blk controllers on rbd or malloc bdevs are recorded; declare the others in the inventory");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rbd_clusters", new ArrayList<>(usedClusters.values()));
        out.put("bdevs", new ArrayList<>(bdevs.values()));
        out.put("vhost_blk_controllers", controllers);
        return out;
    }

    private static Map<String, Object> bdevOf(JsonNode b, List<JsonNode> clusters, Map<String, Map<String, Object>> used) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", b.path("name").asText());
        JsonNode rbd = b.path("driver_specific").path("rbd");
        if (rbd.isObject()) {
            d.put("type", "rbd");
            d.put("pool_name", rbd.path("pool_name").asText());
            d.put("rbd_name", rbd.path("rbd_name").asText());
            d.put("block_size", b.path("block_size").asLong());
            d.put("uuid", b.path("uuid").asText());
            for (JsonNode c : clusters) {
                if (sameSettings(rbd, c)) {
                    String name = c.path("cluster_name").asText();
                    d.put("cluster_name", name);
                    used.computeIfAbsent(name, n -> clusterOf(c));
                    return d;
                }
            }
            if (rbd.hasNonNull("user_id")) {
                d.put("user_id", rbd.path("user_id").asText());
            }
            if (rbd.path("config").isObject()) {
                d.put("config", SpdkRpc.JSON.convertValue(rbd.path("config"), new TypeReference<Map<String, Object>>() { }));
            }
            return d;
        }
        if (b.path("product_name").asText().equals("Malloc disk")) {
            d.put("type", "malloc");
            d.put("num_blocks", b.path("num_blocks").asLong());
            d.put("block_size", b.path("block_size").asLong());
            d.put("uuid", b.path("uuid").asText());
            return d;
        }
        return null;
    }

    private static final List<String> CLUSTER_KEYS = List.of("user_id", "config_param", "config_file", "key_file");

    private static boolean sameSettings(JsonNode rbd, JsonNode cluster) {
        for (String k : CLUSTER_KEYS) {
            if (!rbd.path(k).equals(cluster.path(k))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> clusterOf(JsonNode c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.path("cluster_name").asText());
        for (String k : List.of("user_id", "config_param", "config_file", "key_file", "core_mask")) {
            if (c.hasNonNull(k)) {
                m.put(k, SpdkRpc.JSON.convertValue(c.get(k), Object.class));
            }
        }
        return m;
    }

    /** The record with the declared entries added, a declared entry replacing a recorded one of the same name. */
    static Map<String, Object> merged(Map<String, Object> record, Map<String, Object> declared) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String[] list : new String[][] {{"rbd_clusters", "name"}, {"bdevs", "name"}, {"vhost_blk_controllers", "ctrlr"}}) {
            Map<Object, Object> byName = new LinkedHashMap<>();
            for (Object o : listOf(record.get(list[0]))) {
                byName.put(((Map<?, ?>) o).get(list[1]), o);
            }
            for (Object o : listOf(declared.get(list[0]))) {
                if (!(o instanceof Map<?, ?> m) || m.get(list[1]) == null) {
                    throw new ModuleException("declared " + list[0] + " entry " + o + " has no " + list[1], "every declared entry needs its " + list[1]);
                }
                byName.put(m.get(list[1]), o);
            }
            out.put(list[0], new ArrayList<>(byName.values()));
        }
        return out;
    }

    private static List<?> listOf(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static Map<String, Object> empty() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rbd_clusters", List.of());
        m.put("bdevs", List.of());
        m.put("vhost_blk_controllers", List.of());
        return m;
    }

    private static List<String> names(Map<String, Object> record) {
        List<String> out = new ArrayList<>();
        for (Object c : (List<?>) record.getOrDefault("vhost_blk_controllers", List.of())) {
            out.add(String.valueOf(((Map<?, ?>) c).get("ctrlr")));
        }
        return out;
    }

    private static String json(Map<String, Object> record) {
        try {
            return SpdkRpc.JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> parse(String text, String file, String host) {
        try {
            Map<String, Object> m = SpdkRpc.JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() { });
            if (!(m.get("vhost_blk_controllers") instanceof List)) {
                throw new ModuleException("the SPDK state file " + file + " on " + host + " has no vhost_blk_controllers list",
                        "it is written by spdk_served; remove it, or declare the controllers in the inventory (spdk_vhost_blk_controllers)");
            }
            return m;
        } catch (JsonProcessingException e) {
            throw new ModuleException("the SPDK state file " + file + " on " + host + " is not JSON: " + e.getOriginalMessage(),
                    "it is written by spdk_served; remove it, or declare the controllers in the inventory (spdk_vhost_blk_controllers)");
        }
    }
}
