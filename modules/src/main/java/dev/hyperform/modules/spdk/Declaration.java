package dev.hyperform.modules.spdk;

import dev.hyperform.module.Args;
import dev.hyperform.module.EditDistance;
import dev.hyperform.module.ModuleException;
import dev.hyperform.vars.Secret;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@code spdk_rpc} task declares, checked before anything is sent to SPDK (and so the same in {@code --check}
 * and in a real run): every entry names itself, names are unique, every option is one SPDK v23.09 decodes for that
 * call, with the JSON type SPDK's decoder wants (a YAML number where SPDK wants a string is refused, not guessed),
 * and cpumasks parse the way SPDK parses them. SPDK's relaxed decoder of {@code vhost_create_blk_controller} ignores
 * unknown keys, so a misspelt {@code read_only} would otherwise be silently dropped.
 */
record Declaration(List<Entry> clusters, List<Entry> bdevs, List<Controller> controllers) {

    /** One declared cluster registration or bdev: its name, SPDK's create method and the params to send. */
    record Entry(String name, String method, Map<String, Object> params) {
        String type() {
            return method.equals("bdev_malloc_create") ? "malloc" : "rbd";
        }
    }

    /** One declared vhost-blk controller. {@code mask} is null when no cpumask is declared (SPDK's default: all cores). */
    record Controller(String name, String devName, CpuMask mask, boolean readonly, Map<String, Object> params) {
    }

    private enum Kind { STRING, INT, BOOL, MAP }

    /** The params SPDK v23.09 decodes (module/bdev/*_rpc.c, lib/vhost/vhost_rpc.c), with their JSON types. */
    private record Schema(String what, String method, Map<String, Kind> options, List<String> required) {
    }

    private static final Schema CLUSTER = new Schema("rbd_clusters", "bdev_rbd_register_cluster",
            ordered("name", Kind.STRING, "user_id", Kind.STRING, "config_param", Kind.MAP, "config_file", Kind.STRING,
                    "key_file", Kind.STRING, "core_mask", Kind.STRING), List.of("name"));
    private static final Schema MALLOC = new Schema("bdevs", "bdev_malloc_create",
            ordered("name", Kind.STRING, "type", Kind.STRING, "num_blocks", Kind.INT, "block_size", Kind.INT,
                    "physical_block_size", Kind.INT, "uuid", Kind.STRING, "optimal_io_boundary", Kind.INT, "md_size", Kind.INT,
                    "md_interleave", Kind.BOOL, "dif_type", Kind.INT, "dif_is_head_of_md", Kind.BOOL),
            List.of("name", "num_blocks", "block_size"));
    private static final Schema RBD = new Schema("bdevs", "bdev_rbd_create",
            ordered("name", Kind.STRING, "type", Kind.STRING, "user_id", Kind.STRING, "pool_name", Kind.STRING,
                    "rbd_name", Kind.STRING, "block_size", Kind.INT, "config", Kind.MAP, "cluster_name", Kind.STRING,
                    "uuid", Kind.STRING), List.of("name", "pool_name", "rbd_name", "block_size"));
    private static final Schema CONTROLLER = new Schema("vhost_blk_controllers", "vhost_create_blk_controller",
            ordered("ctrlr", Kind.STRING, "dev_name", Kind.STRING, "cpumask", Kind.STRING, "transport", Kind.STRING,
                    "readonly", Kind.BOOL, "packed_ring", Kind.BOOL), List.of("ctrlr", "dev_name"));
    private static final List<String> TYPES = List.of("rbd", "malloc");

    static Declaration of(Args args) {
        Check check = new Check(args);
        List<Entry> clusters = new ArrayList<>();
        for (Object o : args.list("rbd_clusters")) {
            Map<String, Object> p = check.entry(CLUSTER, o, clusters.size());
            clusters.add(new Entry((String) p.get("name"), CLUSTER.method(), p));
        }
        List<Entry> bdevs = new ArrayList<>();
        for (Object o : args.list("bdevs")) {
            Schema schema = check.bdevSchema(o, bdevs.size());
            Map<String, Object> p = check.entry(schema, o, bdevs.size());
            p.remove("type");
            check.bdevValues(schema, p);
            bdevs.add(new Entry((String) p.get("name"), schema.method(), p));
        }
        List<Controller> controllers = new ArrayList<>();
        for (Object o : args.list("vhost_blk_controllers")) {
            Map<String, Object> p = check.entry(CONTROLLER, o, controllers.size());
            CpuMask mask = p.containsKey("cpumask") ? check.mask((String) p.get("ctrlr"), (String) p.get("cpumask")) : null;
            controllers.add(new Controller((String) p.get("ctrlr"), (String) p.get("dev_name"), mask,
                    Boolean.TRUE.equals(p.get("readonly")), p));
        }
        check.unique("rbd_clusters", "name", clusters.stream().map(Entry::name).toList());
        check.unique("bdevs", "name", bdevs.stream().map(Entry::name).toList());
        check.unique("vhost_blk_controllers", "ctrlr", controllers.stream().map(Controller::name).toList());
        return new Declaration(clusters, bdevs, controllers);
    }

    /** Names of the declared bdevs, and the UUIDs declared for them (SPDK accepts either as dev_name). */
    Set<String> bdevNames() {
        Set<String> out = new HashSet<>();
        bdevs.forEach(b -> {
            out.add(b.name());
            if (b.params().get("uuid") instanceof String u) {
                out.add(u);
            }
        });
        return out;
    }

    Set<String> clusterNames() {
        Set<String> out = new HashSet<>();
        clusters.forEach(c -> out.add(c.name()));
        return out;
    }

    /** The argument checks, each failing with the task's location and what to write instead. */
    private record Check(Args args) {

        Schema bdevSchema(Object o, int index) {
            Object type = o instanceof Map<?, ?> m ? m.get("type") : null;
            if (type == null || "rbd".equals(type)) {
                return RBD;
            }
            if ("malloc".equals(type)) {
                return MALLOC;
            }
            throw bad("bdevs[" + index + "]: unknown bdev type '" + type + "'" + didYouMean(String.valueOf(type), TYPES),
                    "type is one of " + TYPES + " (rbd when left out); other SPDK bdev types are not supported by spdk_rpc");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> entry(Schema schema, Object o, int index) {
            if (!(o instanceof Map<?, ?> m)) {
                throw bad(schema.what() + "[" + index + "] must be a map, got " + o, "see: hyperform doc spdk_rpc");
            }
            Map<String, Object> p = new LinkedHashMap<>((Map<String, Object>) m);
            String label = schema.what() + "[" + index + "]";
            for (String required : schema.required()) {
                if (p.get(required) == null) {
                    throw bad(label + " needs '" + required + "'" + (required.equals("name")
                                    ? " (without a name SPDK invents a new one on every run, so the declaration never converges)" : ""),
                            "add '" + required + ":' to " + label + " (" + String.join(", ", schema.required()) + " are required)");
                }
            }
            String id = String.valueOf(p.get(schema.required().contains("ctrlr") ? "ctrlr" : "name"));
            for (Map.Entry<String, Object> e : p.entrySet()) {
                Kind kind = schema.options().get(e.getKey());
                if (kind == null) {
                    throw bad(label + " ('" + id + "'): unknown option '" + e.getKey() + "'" + didYouMean(e.getKey(), schema.options().keySet()),
                            "SPDK's " + schema.method() + " takes " + schema.options().keySet()
                                    + (schema == CONTROLLER ? "; SPDK silently ignores unknown keys here, so a typo would be lost" : ""));
                }
                e.setValue(typed(label, id, e.getKey(), kind, e.getValue()));
            }
            return p;
        }

        private Object typed(String label, String id, String key, Kind kind, Object v) {
            boolean ok = switch (kind) {
                case STRING -> v instanceof String || v instanceof Secret;
                case INT -> v instanceof Integer || v instanceof Long;
                case BOOL -> v instanceof Boolean;
                case MAP -> v instanceof Map<?, ?>;
            };
            if (ok) {
                return v;
            }
            String hint = switch (kind) {
                case STRING -> v instanceof Number n && key.contains("mask")
                        ? "quote it: YAML reads an unquoted 0x" + Long.toHexString(n.longValue()) + " or " + n
                                + " as a number; SPDK reads a mask string as hex ('" + n + "' = cores "
                                + CpuMask.parse(String.valueOf(n)).map(CpuMask::coreList).orElse("?") + ", '0x"
                                + Long.toHexString(n.longValue()) + "' = cores "
                                + CpuMask.parse("0x" + Long.toHexString(n.longValue())).map(CpuMask::coreList).orElse("?") + ")"
                        : "quote it: SPDK wants a string here";
                case INT -> "write a whole number without quotes (SPDK refuses \"" + v + "\" with 'spdk_json_decode_object failed')";
                case BOOL -> "write true or false without quotes (SPDK refuses \"" + v + "\" with 'Invalid argument')";
                case MAP -> "write a map of key: value";
            };
            throw bad(label + " ('" + id + "'): " + key + " must be " + kind.name().toLowerCase() + ", got "
                    + (v == null ? "null" : v.getClass().getSimpleName().toLowerCase() + " " + v), hint);
        }

        void bdevValues(Schema schema, Map<String, Object> p) {
            if (schema != MALLOC) {
                return;
            }
            long blocks = ((Number) p.get("num_blocks")).longValue();
            long size = ((Number) p.get("block_size")).longValue();
            if (blocks <= 0 || size <= 0 || size % 512 != 0) {
                throw bad("bdevs ('" + p.get("name") + "'): malloc bdev with num_blocks " + blocks + " and block_size " + size
                                + " is refused by SPDK (-22 Invalid argument)",
                        "num_blocks must be > 0 and block_size a positive multiple of 512 (e.g. 512 or 4096)");
            }
        }

        CpuMask mask(String ctrlr, String text) {
            CpuMask m = CpuMask.parse(text).orElseThrow(() -> bad("vhost_blk_controllers ('" + ctrlr + "'): cpumask '" + text
                    + "' is not a mask SPDK can parse", "write hex ('0x3', '3' = cores 0 and 1) or a core list ('[0,1]', '[0-3]')"));
            if (m.isEmpty()) {
                throw bad("vhost_blk_controllers ('" + ctrlr + "'): cpumask '" + text + "' selects no core",
                        "select at least one core the target runs on");
            }
            return m;
        }

        void unique(String what, String key, List<String> names) {
            Set<String> seen = new HashSet<>();
            for (String n : names) {
                if (!seen.add(n)) {
                    throw bad(what + ": " + key + " '" + n + "' is declared twice",
                            "give each entry its own " + key + " (SPDK would refuse the second with 'File exists')");
                }
            }
        }

        private ModuleException bad(String message, String hint) {
            return ModuleException.invalidArgs(args.location(), "spdk_rpc: " + message, hint);
        }
    }

    static String didYouMean(String word, Iterable<String> known) {
        return EditDistance.closest(word, known, w -> w.replace("_", "")).map(k -> "; did you mean '" + k + "'?").orElse("");
    }

    private static Map<String, Kind> ordered(Object... pairs) {
        Map<String, Kind> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Kind) pairs[i + 1]);
        }
        return m;
    }
}
