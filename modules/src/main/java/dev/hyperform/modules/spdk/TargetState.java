package dev.hyperform.modules.spdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperform.module.ModuleException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the running SPDK target has, read in one round trip: bdevs (with every alias and UUID mapped to the bdev's
 * name, as SPDK reports a controller's bdev by its name even when it was created with an alias), vhost controllers,
 * RBD cluster registrations, and the cores its reactors run on ({@code framework_get_reactors}; null when the target
 * does not answer it).
 */
record TargetState(Map<String, JsonNode> bdevs, Map<String, String> aliases, Map<String, JsonNode> controllers,
                   Set<String> clusters, CpuMask cores) {

    /** The read-only calls whose answers {@link #of} reads, in this order. */
    static final List<SpdkRpc.Call> PROBES = List.of(
            new SpdkRpc.Call("bdev_get_bdevs", null),
            new SpdkRpc.Call("vhost_get_controllers", null),
            new SpdkRpc.Call("bdev_rbd_get_clusters_info", null),
            new SpdkRpc.Call("framework_get_reactors", null));

    /** Nothing known (the target did not answer the probes). */
    static final TargetState UNKNOWN = new TargetState(Map.of(), Map.of(), Map.of(), Set.of(), null);

    static TargetState of(List<SpdkRpc.Answer> a) {
        Map<String, JsonNode> bdevs = byName(a.get(0), "name");
        Map<String, String> aliases = new LinkedHashMap<>();
        bdevs.forEach((name, b) -> {
            b.path("aliases").forEach(x -> aliases.put(x.asText(), name));
            if (b.hasNonNull("uuid")) {
                aliases.put(b.path("uuid").asText(), name);
            }
            aliases.put(name, name);
        });
        // bdev_rbd_get_clusters_info answers -2 "No such file or directory" when no cluster is registered
        Set<String> clusters = a.get(2).ok() ? new LinkedHashSet<>(byName(a.get(2), "cluster_name").keySet()) : new LinkedHashSet<>();
        CpuMask cores = null;
        if (a.get(3).ok()) {
            List<Integer> lcores = new ArrayList<>();
            a.get(3).result().path("reactors").forEach(r -> lcores.add(r.path("lcore").asInt()));
            cores = lcores.isEmpty() ? null : CpuMask.ofCores(lcores);
        }
        return new TargetState(bdevs, aliases, byName(a.get(1), "ctrlr"), clusters, cores);
    }

    /** The bdev name SPDK would report for {@code nameOrAlias} (itself when unknown: a bdev declared in this task). */
    String canonical(String nameOrAlias) {
        return aliases.getOrDefault(nameOrAlias, nameOrAlias);
    }

    boolean hasBdev(String nameOrAlias) {
        return aliases.containsKey(nameOrAlias);
    }

    /** The controller's bdev as SPDK reports it; empty after the bdev was hot-removed ({@code "bdev": null}). */
    static String bdevOf(JsonNode controller) {
        JsonNode b = controller.path("backend_specific").path("block").path("bdev");
        return b.isTextual() ? b.asText() : "";
    }

    static boolean attached(JsonNode controller) {
        return controller.path("sessions").size() > 0;
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
}
