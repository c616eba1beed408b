package dev.hyperform.modules.spdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.Location;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.modules.testing.LocalShellTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Registering an RBD cluster whose monitors do not answer, as the real v23.09 target does it: SPDK blocks for Ceph's
 * client_mount_timeout (300 s by default; 15 s in one capture) answering nothing else, then answers -1 "Operation not
 * permitted". The SPDK JSON-RPC TEST DOUBLE (lab/spdk-double) plays that with its test-only option --ceph-unreachable 16.
 */
class SpdkRpcCephTest {
    @TempDir
    Path dir;

    static Stream<Arguments> unreachableCeph() {
        return Stream.of(
                Arguments.of("default rpc_timeout outlasts the mount timeout", null,
                        "the files are there, so Ceph refused or could not be reached"),
                Arguments.of("a shorter rpc_timeout says so", 3L, "SPDK gave no answer to bdev_rbd_register_cluster within 3 s"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreachableCeph")
    void anUnreachableCephIsReportedAsSuch(String why, Long timeout, String expected) throws Exception {
        Path conf = Files.writeString(dir.resolve("ceph.conf"), "[global]\nmon_host = 192.0.2.1\n");
        try (SpdkDoubleProcess spdk = SpdkDoubleProcess.start(dir, "0x1", "--ceph-unreachable", "16")) {
            Map<String, Object> raw = new LinkedHashMap<>(Map.of("socket", spdk.socket.toString(),
                    "rbd_clusters", List.of(Map.of("name", "ceph", "config_file", conf.toString()))));
            if (timeout != null) {
                raw.put("rpc_timeout", timeout);
            }
            SpdkRpcModule module = new SpdkRpcModule();
            Args a = module.spec().validate("spdk_rpc", raw, Location.UNKNOWN);
            LocalShellTarget t = new LocalShellTarget(dir, false);
            Change c = module.plan(t, a);
            long start = System.nanoTime();
            ModuleResult r = module.apply(t, a, c);
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(r.failed());
            assertTrue(r.message().contains(expected), why + ": " + r.message());
            assertTrue(!r.message().contains("hyperform bug"), r.message());
            assertEquals(false, r.changed(), "nothing was created");
            assertTrue(seconds >= (timeout == null ? 16 : timeout), "waited " + seconds + " s");
            if (timeout != null) {
                assertTrue(seconds < 2 * timeout, "after no answer, no second wait for the state: " + seconds + " s");
            }
        }
    }
}
