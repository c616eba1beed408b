package dev.hyperform.modules.spdk;

import dev.hyperform.module.Command;
import dev.hyperform.module.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SPDK's answer to a call it refused, with the context SPDK leaves out. SPDK v23.09 answers every vhost failure with
 * {@code -32602} and strerror text ({@code "Invalid argument"} for a cpumask outside its cores, a missing key or an
 * unknown transport) and every RBD failure with {@code -1 "Operation not permitted"}; the reason is only in its log.
 * What can be probed is probed (the target's cores, the Ceph files on the node, the registered clusters) and the
 * message says which it is; for the rest it points at the log.
 *
 * @param message what failed and why, as far as it can be known
 * @param hint    what to do
 */
record Refusal(String message, String hint) {
    private static final String LOG = "SPDK's log has the reason: journalctl -u spdk-vhost (or the target's stderr)";

    static Refusal of(SpdkRpc.Call call, SpdkRpc.Answer answer, TargetState state, Target target) {
        String said = call.method() + " " + SpdkRpc.describe(call.params()) + " failed: SPDK answered " + answer.code()
                + " \"" + answer.message() + "\"";
        Map<String, Object> p = call.params() == null ? Map.of() : call.params();
        return switch (call.method()) {
            case "vhost_create_blk_controller" -> controller(said, answer.message(), p, state);
            case "vhost_delete_controller" -> answer.message().contains("busy")
                    ? new Refusal(said + ": a VM is attached to " + p.get("ctrlr"), "stop or migrate the VM first")
                    : new Refusal(said, LOG);
            case "bdev_rbd_register_cluster", "bdev_rbd_create" -> rbd(said, call.method(), p, state, target);
            case "bdev_malloc_create" -> new Refusal(said + (answer.message().equals("File exists")
                    ? ": a bdev with this name or UUID exists already" : ""), LOG);
            default -> new Refusal(said, LOG);
        };
    }

    private static Refusal controller(String said, String message, Map<String, Object> p, TargetState state) {
        Object ctrlr = p.get("ctrlr");
        switch (message) {
            case "Invalid argument" -> {
                CpuMask want = p.get("cpumask") instanceof String s ? CpuMask.parse(s).orElse(null) : null;
                if (want != null && state.cores() != null && !want.within(state.cores())) {
                    return new Refusal(said + ": cpumask " + p.get("cpumask") + " selects cores " + want.coreList()
                            + " but the target runs on cores " + state.cores().coreList() + " (" + state.cores().hex() + ")",
                            "use cores the target runs on, or widen the target's core mask (spdk_cpumask, -m)");
                }
                return new Refusal(said + ": SPDK says this for a cpumask outside its cores"
                        + (state.cores() == null ? "" : " (it runs on " + state.cores().coreList() + ")")
                        + ", an unknown transport or a missing ctrlr/dev_name", LOG);
            }
            case "No such device" -> {
                return new Refusal(said + ": bdev '" + p.get("dev_name") + "' does not exist on the target",
                        "declare it under bdevs, or check its name");
            }
            case "File exists" -> {
                return new Refusal(said + ": a controller named '" + ctrlr + "' exists already", LOG);
            }
            case "Input/output error" -> {
                return new Refusal(said + ": SPDK could not create the socket for '" + ctrlr + "' in its socket directory (-S)",
                        "check that the directory exists (spdk_socket_dir) and that the name has no '/'; " + LOG);
            }
            default -> {
                return new Refusal(said, LOG);
            }
        }
    }

    private static Refusal rbd(String said, String method, Map<String, Object> p, TargetState state, Target target) {
        List<String> found = new ArrayList<>();
        if (method.equals("bdev_rbd_register_cluster")) {
            if (state.clusters().contains(String.valueOf(p.get("name")))) {
                found.add("a cluster named '" + p.get("name") + "' is registered already");
            }
            missingFiles(target, p, found);
            if (found.isEmpty()) {
                found.add("the files are there, so Ceph refused or could not be reached (monitors, key, user_id '"
                        + p.getOrDefault("user_id", "admin") + "')");
            }
        } else {
            Object cluster = p.get("cluster_name");
            if (cluster != null && !state.clusters().contains(String.valueOf(cluster))) {
                found.add("cluster '" + cluster + "' is not registered");
            } else {
                found.add("SPDK could not open image '" + p.get("rbd_name") + "' in pool '" + p.get("pool_name")
                        + "' (a missing pool or image, or Ceph unreachable; check with: rbd -p " + p.get("pool_name")
                        + " info " + p.get("rbd_name") + ")");
            }
        }
        return new Refusal(said + ": " + String.join("; ", found) + " (SPDK answers -1 to every RBD failure)", LOG);
    }

    /** The Ceph files a cluster registration names that are not readable on the target. */
    static void missingFiles(Target target, Map<String, Object> p, List<String> found) {
        for (String key : List.of("config_file", "key_file")) {
            if (p.get(key) instanceof String f && !target.probe(Command.of("test", "-r", f)).ok()) {
                found.add(key + " " + f + " is missing or unreadable on " + target.host());
            }
        }
    }
}
