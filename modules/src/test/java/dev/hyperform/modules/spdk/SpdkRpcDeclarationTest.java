package dev.hyperform.modules.spdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.Location;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.modules.testing.LocalShellTarget;
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
 * Declarations SPDK would refuse, half-apply, silently misread or never converge on are refused by spdk_rpc before
 * anything is sent, in {@code --check} as in a run, with a message that names the entry and what to write. Run against
 * the SPDK JSON-RPC TEST DOUBLE (lab/spdk-double) with cores 0-7; after each refusal the target is still empty.
 */
class SpdkRpcDeclarationTest {
    @TempDir
    Path dir;
    private final SpdkRpcModule module = new SpdkRpcModule();

    private static Map<String, Object> malloc(String name, Object... more) {
        Map<String, Object> m = new LinkedHashMap<>(Map.of("type", "malloc", "num_blocks", 2048, "block_size", 512));
        if (name != null) {
            m.put("name", name);
        }
        for (int i = 0; i < more.length; i += 2) {
            m.put((String) more[i], more[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> ctrlr(String name, String bdev, Object... more) {
        Map<String, Object> m = new LinkedHashMap<>(Map.of("ctrlr", name, "dev_name", bdev));
        for (int i = 0; i < more.length; i += 2) {
            m.put((String) more[i], more[i + 1]);
        }
        return m;
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("duplicate controller", List.of(malloc("a"), malloc("b")), List.of(ctrlr("c", "a"), ctrlr("c", "b")), List.of(),
                        "ctrlr 'c' is declared twice"),
                Arguments.of("duplicate bdev", List.of(malloc("a"), malloc("a")), List.of(), List.of(), "name 'a' is declared twice"),
                Arguments.of("bdev without a name", List.of(malloc(null)), List.of(), List.of(), "bdevs[0] needs 'name' (without a name SPDK invents a new one on every run"),
                Arguments.of("controller without dev_name", List.of(), List.of(Map.of("ctrlr", "c")), List.of(), "needs 'dev_name'"),
                Arguments.of("typo in the type", List.of(malloc("a", "type", "mallco")), List.of(), List.of(),
                        "unknown bdev type 'mallco'; did you mean 'malloc'?"),
                Arguments.of("unsupported type", List.of(malloc("a", "type", "aio")), List.of(), List.of(), "unknown bdev type 'aio'"),
                Arguments.of("misspelt readonly", List.of(malloc("a")), List.of(ctrlr("c", "a", "read_only", true)), List.of(),
                        "unknown option 'read_only'; did you mean 'readonly'?"),
                Arguments.of("misspelt malloc option", List.of(malloc("a", "blocksize", 512)), List.of(), List.of(),
                        "unknown option 'blocksize'; did you mean 'block_size'?"),
                Arguments.of("unquoted cpumask 0x1 (YAML reads the number 1)", List.of(malloc("a")), List.of(ctrlr("c", "a", "cpumask", 1)),
                        List.of(), "cpumask must be string, got integer 1"),
                Arguments.of("string where SPDK wants a number", List.of(malloc("a", "num_blocks", "2048")), List.of(), List.of(),
                        "num_blocks must be int"),
                Arguments.of("string where SPDK wants a boolean", List.of(malloc("a")), List.of(ctrlr("c", "a", "readonly", "true")),
                        List.of(), "readonly must be bool"),
                Arguments.of("block size not a multiple of 512", List.of(malloc("a", "block_size", 1000)), List.of(), List.of(),
                        "refused by SPDK (-22 Invalid argument)"),
                Arguments.of("no blocks", List.of(malloc("a", "num_blocks", 0)), List.of(), List.of(), "num_blocks 0"),
                Arguments.of("mask SPDK cannot parse", List.of(malloc("a")), List.of(ctrlr("c", "a", "cpumask", "zz")), List.of(),
                        "cpumask 'zz' is not a mask SPDK can parse"),
                Arguments.of("mask selecting no core", List.of(malloc("a")), List.of(ctrlr("c", "a", "cpumask", "0x0")), List.of(),
                        "selects no core"),
                Arguments.of("mask outside the target's cores", List.of(malloc("a")), List.of(ctrlr("c", "a", "cpumask", "0x100")), List.of(),
                        "cpumask 0x100 (cores [8]) but the target runs on cores [0, 1, 2, 3, 4, 5, 6, 7] (0xff)"),
                Arguments.of("dev_name neither declared nor on the target", List.of(malloc("vm1-0")), List.of(ctrlr("c", "vm1-O")), List.of(),
                        "dev_name 'vm1-O', which is neither declared under bdevs nor on the target; did you mean 'vm1-0'?"),
                Arguments.of("rbd bdev on an undeclared cluster",
                        List.of(Map.of("name", "r", "type", "rbd", "pool_name", "p", "rbd_name", "i", "block_size", 512, "cluster_name", "ceph")),
                        List.of(), List.of(), "uses cluster_name 'ceph', which is neither declared under rbd_clusters nor registered"),
                Arguments.of("cluster whose Ceph files are missing", List.of(), List.of(),
                        List.of(Map.of("name", "ceph", "config_file", "/nonexistent/ceph.conf")),
                        "config_file /nonexistent/ceph.conf is missing or unreadable"),
                Arguments.of("misspelt cluster option", List.of(), List.of(), List.of(Map.of("name", "ceph", "keyfile", "/etc/k")),
                        "unknown option 'keyfile'; did you mean 'key_file'?"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedBeforeAnythingIsSent(String why, List<Object> bdevs, List<Object> controllers, List<Object> clusters, String expected)
            throws Exception {
        try (SpdkDoubleProcess spdk = SpdkDoubleProcess.start(dir, "0xff")) {
            refused(spdk, why, bdevs, controllers, clusters, expected);
        }
    }

    private void refused(SpdkDoubleProcess spdk, String why, List<Object> bdevs, List<Object> controllers, List<Object> clusters,
                         String expected) {
        Args a = module.spec().validate("spdk_rpc", Map.of("socket", spdk.socket.toString(), "bdevs", bdevs,
                "vhost_blk_controllers", controllers, "rbd_clusters", clusters), Location.UNKNOWN);
        ModuleException inCheck = assertThrows(ModuleException.class, () -> module.plan(new LocalShellTarget(dir, true), a), why);
        assertTrue(inCheck.getMessage().contains(expected), why + ": " + inCheck.getMessage());
        ModuleException inRun = assertThrows(ModuleException.class, () -> {
            LocalShellTarget t = new LocalShellTarget(dir, false);
            Change c = module.plan(t, a);
            ModuleResult r = module.apply(t, a, c);
            throw new AssertionError("applied: " + r.message());
        });
        assertEquals(inCheck.getMessage(), inRun.getMessage(), "check and run agree");
        Args empty = module.spec().validate("spdk_rpc", Map.of("socket", spdk.socket.toString()), Location.UNKNOWN);
        Change state = module.plan(new LocalShellTarget(dir, true), empty);
        assertEquals(List.of(), state.values().get("bdevs"), "nothing was sent: " + state.values());
        assertEquals(List.of(), state.values().get("controllers"));
    }
}
