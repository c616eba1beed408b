package dev.hyperform.modules.spdk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.modules.testing.LocalShellTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPDK's terse refusals (as the real v23.09 target words them) get the context hyperform can find out. */
class RefusalTest {
    @TempDir
    static Path dir;

    static Stream<Arguments> refusals() throws Exception {
        Path conf = Files.writeString(Files.createDirectories(dir).resolve("ceph.conf"), "[global]\n");
        String missing = dir.resolve("no-keyring").toString();
        return Stream.of(
                Arguments.of("vhost_create_blk_controller", Map.of("ctrlr", "c", "dev_name", "a", "cpumask", "0x4"), -32602, "Invalid argument",
                        Set.of(), "selects cores [2] but the target runs on cores [0, 1] (0x3)"),
                Arguments.of("vhost_create_blk_controller", Map.of("ctrlr", "c", "dev_name", "a"), -32602, "Invalid argument",
                        Set.of(), "an unknown transport or a missing ctrlr/dev_name"),
                Arguments.of("vhost_create_blk_controller", Map.of("ctrlr", "c", "dev_name", "a"), -32602, "No such device",
                        Set.of(), "bdev 'a' does not exist on the target"),
                Arguments.of("vhost_create_blk_controller", Map.of("ctrlr", "a/b", "dev_name", "a"), -32602, "Input/output error",
                        Set.of(), "could not create the socket for 'a/b'"),
                Arguments.of("bdev_rbd_register_cluster", Map.of("name", "ceph", "config_file", conf.toString(), "key_file", missing),
                        -1, "Operation not permitted", Set.of(), "key_file " + missing + " is missing or unreadable"),
                Arguments.of("bdev_rbd_register_cluster", Map.of("name", "ceph"), -1, "Operation not permitted", Set.of("ceph"),
                        "a cluster named 'ceph' is registered already"),
                Arguments.of("bdev_rbd_register_cluster", Map.of("name", "ceph", "config_file", conf.toString()), -1,
                        "Operation not permitted", Set.of(), "the files are there, so Ceph refused or could not be reached"),
                Arguments.of("bdev_rbd_create", Map.of("name", "r", "pool_name", "p", "rbd_name", "i", "block_size", 512, "cluster_name", "x"),
                        -1, "Operation not permitted", Set.of(), "cluster 'x' is not registered"),
                Arguments.of("bdev_rbd_create", Map.of("name", "r", "pool_name", "p", "rbd_name", "i", "block_size", 512, "cluster_name", "x"),
                        -1, "Operation not permitted", Set.of("x"), "could not open image 'i' in pool 'p'"));
    }

    @ParameterizedTest(name = "{0} {3} {5}")
    @MethodSource("refusals")
    void saysWhichItIs(String method, Map<String, Object> params, int code, String message, Set<String> clusters, String expected) {
        SpdkRpc.Call call = new SpdkRpc.Call(method, params);
        TargetState state = new TargetState(Map.of(), Map.of(), Map.of(), new LinkedHashSet<>(clusters), CpuMask.ofCores(List.of(0, 1)));
        Refusal r = Refusal.of(call, new SpdkRpc.Answer(call, null, code, message), state, new LocalShellTarget(dir, true));
        assertTrue(r.message().contains(expected), r.message());
        assertTrue(r.message().contains("SPDK answered " + code + " \"" + message + "\""), "SPDK's own words stay: " + r.message());
    }
}
