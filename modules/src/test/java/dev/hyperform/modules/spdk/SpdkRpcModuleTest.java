package dev.hyperform.modules.spdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.Location;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.modules.testing.LocalShellTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * spdk_rpc against the SPDK JSON-RPC TEST DOUBLE (lab/spdk-double, a declared double of the v23.09 target, brought in
 * line with the real target's recorded answers: see SpdkDoubleReplayTest), run here as a local process with cores
 * 0-7; commands go through socat exactly as on a target host.
 */
class SpdkRpcModuleTest {
    static final String UUID = "6e0c3e1a-5d5b-4b8a-9a3c-1f2e3d4c5b6a";
    @TempDir
    Path dir;
    private SpdkDoubleProcess spdk;
    private final SpdkRpcModule module = new SpdkRpcModule();

    @BeforeEach
    void start() throws Exception {
        spdk = SpdkDoubleProcess.start(dir, "0xff");
    }

    @AfterEach
    void stop() throws Exception {
        spdk.close();
    }

    private Args args(Map<String, Object> more) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("socket", spdk.socket.toString());
        raw.put("bdevs", List.of(Map.of("name", "vm1-0", "type", "malloc", "num_blocks", 2048, "block_size", 512, "uuid", UUID),
                Map.of("name", "vm2-0", "type", "malloc", "num_blocks", 2048, "block_size", 512)));
        raw.putAll(more);
        return module.spec().validate("spdk_rpc", raw, Location.UNKNOWN);
    }

    private Args args(List<Map<String, Object>> controllers, boolean prune) {
        return args(Map.of("vhost_blk_controllers", controllers, "prune_controllers", prune));
    }

    private static final List<Map<String, Object>> TWO = List.of(
            Map.of("ctrlr", "vhost.vm1-0", "dev_name", "vm1-0", "cpumask", "0x1"),
            Map.of("ctrlr", "vhost.vm2-0", "dev_name", "vm2-0", "cpumask", "0x2"));

    private ModuleResult converge(Args a) {
        LocalShellTarget t = new LocalShellTarget(dir, false);
        Change c = module.plan(t, a);
        return c.isNone() ? ModuleResult.ok(c.summary(), c.values()) : module.apply(t, a, c);
    }

    private Change check(Args a) {
        return module.plan(new LocalShellTarget(dir, true), a);
    }

    @Test
    void createsOnceThenNothingThenRecreatesAfterARestart() throws Exception {
        Args a = args(TWO, false);
        Change check = check(a);
        assertEquals(4, check.commands().size(), "check mode lists 2 bdevs + 2 controllers");
        ModuleResult first = converge(a);
        assertTrue(first.changed());
        assertEquals(check.commands().stream().map(c -> c.description()).toList(),
                first.ran().stream().map(r -> ((dev.hyperform.module.Command) r.command()).description()).toList(), "the real run made exactly the checked calls");
        assertTrue(Files.exists(dir.resolve("vhost.vm1-0")) && Files.exists(dir.resolve("vhost.vm2-0")));
        assertTrue(check(a).isNone(), "second plan: nothing to do");

        spdk.close();
        assertFalse(Files.exists(dir.resolve("vhost.vm1-0")), "sockets go away with the target");
        spdk = SpdkDoubleProcess.start(dir, "0xff");
        ModuleResult again = converge(a);
        assertTrue(again.changed(), "an empty target after restart is re-populated");
        assertTrue(Files.exists(dir.resolve("vhost.vm1-0")) && Files.exists(dir.resolve("vhost.vm2-0")),
                "same names, same socket paths");
    }

    /** Declarations SPDK accepts and reports back differently spelt: the second run must change nothing. */
    static Stream<Arguments> spellingsThatConverge() {
        return Stream.of(
                Arguments.of("mask >= 0x80 (boxed Long compared by reference)", Map.of("cpumask", "0x80")),
                Arguments.of("all eight cores", Map.of("cpumask", "0xff")),
                Arguments.of("core list [0]", Map.of("cpumask", "[0]")),
                Arguments.of("core list [0,7]", Map.of("cpumask", "[0,7]")),
                Arguments.of("core range [1-3]", Map.of("cpumask", "[1-3]")),
                Arguments.of("hex without 0x: '10' is core 4", Map.of("cpumask", "10")),
                Arguments.of("leading zeros", Map.of("cpumask", "0x01")),
                Arguments.of("upper case", Map.of("cpumask", "0XFF")),
                Arguments.of("dev_name as the bdev's UUID alias", Map.of("dev_name", UUID)),
                Arguments.of("readonly", Map.of("readonly", true)),
                Arguments.of("no cpumask", Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spellingsThatConverge")
    void aSecondRunChangesNothing(String why, Map<String, Object> spelling) {
        Map<String, Object> c = new LinkedHashMap<>(Map.of("ctrlr", "vhost.vm1-0", "dev_name", "vm1-0"));
        c.putAll(spelling);
        Args a = args(List.of(c), false);
        assertTrue(converge(a).changed());
        Change second = check(a);
        assertTrue(second.isNone(), why + ": " + second.summary() + " " + second.commands());
        assertFalse(converge(a).changed());
    }

    @Test
    void aChangedMaskOrReadonlyIsRecreatedAndAMaskSpeltDifferentlyIsNot() {
        converge(args(List.of(Map.of("ctrlr", "vhost.vm1-0", "dev_name", "vm1-0", "cpumask", "0x10")), false));
        assertTrue(check(args(List.of(Map.of("ctrlr", "vhost.vm1-0", "dev_name", "vm1-0", "cpumask", "[4]")), false)).isNone());
        assertEquals(List.of("vhost_delete_controller", "vhost_create_blk_controller"),
                methods(check(args(List.of(Map.of("ctrlr", "vhost.vm1-0", "dev_name", "vm1-0", "cpumask", "0x8")), false))));
        assertEquals(List.of("vhost_delete_controller", "vhost_create_blk_controller"),
                methods(check(args(List.of(Map.of("ctrlr", "vhost.vm1-0", "dev_name", "vm1-0", "cpumask", "0x10", "readonly", true)), false))));
    }

    private static List<String> methods(Change c) {
        return c.commands().stream().map(x -> x.description().split(" ")[1]).toList();
    }

    @Test
    void aControllerOnAnotherBdevIsRecreatedAndUndeclaredOnesArePruned() {
        converge(args(TWO, false));
        List<Map<String, Object>> moved = List.of(Map.of("ctrlr", "vhost.vm1-0", "dev_name", "vm2-0", "cpumask", "0x1"));
        assertEquals(List.of("vhost_delete_controller", "vhost_create_blk_controller", "vhost_delete_controller"),
                methods(check(args(moved, true))));
        converge(args(moved, true));
        assertFalse(Files.exists(dir.resolve("vhost.vm2-0")));
    }

    @Test
    void packedRingIsSaidToApplyOnlyAtCreationInDiffAndDoc() {
        Change c = check(args(List.of(Map.of("ctrlr", "vhost.vm1-0", "dev_name", "vm1-0", "packed_ring", true)), false));
        assertTrue(c.firstDiff().orElseThrow().toString().contains("packed_ring applies only when a controller is created"),
                c.firstDiff().orElseThrow().toString());
        converge(args(List.of(Map.of("ctrlr", "vhost.vm1-0", "dev_name", "vm1-0", "packed_ring", true)), false));
        Change unchanged = check(args(List.of(Map.of("ctrlr", "vhost.vm1-0", "dev_name", "vm1-0", "packed_ring", false)), false));
        assertTrue(unchanged.isNone() && unchanged.summary().contains("a changed packed_ring alone does not re-create"), unchanged.summary());
        String doc = module.spec().args().stream().filter(d -> d.name().equals("vhost_blk_controllers")).findFirst().orElseThrow().doc();
        assertTrue(doc.contains("packed_ring is applied only when a") && doc.contains("SPDK does not report it"), doc);
    }

    @Test
    void registersTheStateAfterTheRunAndCheckModePredictsIt() {
        Args a = args(TWO, false);
        Map<String, Object> predicted = check(a).values();
        ModuleResult r = converge(a);
        assertEquals(List.of("vhost.vm1-0", "vhost.vm2-0"), r.values().get("controllers"), "the state after the run: " + r.values());
        assertEquals(List.of("vm1-0", "vm2-0"), r.values().get("bdevs"));
        assertEquals(r.values().get("controllers"), predicted.get("controllers"), "check mode registers what the run will");
        assertEquals(r.values().get("bdevs"), predicted.get("bdevs"));
        assertEquals(r.values().get("controllers"), converge(a).values().get("controllers"), "a run with nothing to do");
    }

    @Test
    void aRunThatFailsAfterChangingSomethingIsChangedAndRegistersWhatItLeft() {
        Args a = args(List.of(Map.of("ctrlr", "vhost.vm1-0", "dev_name", "vm1-0"),
                Map.of("ctrlr", "vhost.vm2-0", "dev_name", "vm2-0", "transport", "bogus")), false);
        ModuleResult r = converge(a);
        assertTrue(r.failed(), r.message());
        assertTrue(r.changed(), "two bdevs and a controller were created before the failure");
        assertEquals(List.of("vhost.vm1-0"), r.values().get("controllers"));
        assertTrue(r.message().contains("unknown transport"), r.message());
    }

    @Test
    void aMissingSocketSaysToCheckTheService() throws IOException {
        Args a = module.spec().validate("spdk_rpc", Map.of("socket", dir.resolve("nope.sock").toString(), "wait_for_socket", 1),
                Location.UNKNOWN);
        ModuleException e = assertThrows(ModuleException.class, () -> check(a));
        assertTrue(e.getMessage().contains("spdk-vhost"), e.getMessage());
    }

    /**
     * A DECLARED SHORTCUT of the double (issue 16 item 13): any connection to a controller socket counts as a
     * vhost-user session there at once, with no vhost-user protocol spoken. Real SPDK v23.09 also listed a session
     * for a raw client and answered "Device or resource busy" (docs/spdk.md, "Checked against the real target"), but
     * how soon it accepts on a newly created controller was not pinned down; no VM is attached in this test.
     */
    @Test
    void aControllerWithAnAttachedClientIsNeverDeleted() throws Exception {
        converge(args(TWO, false));
        try (var ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(dir.resolve("vhost.vm2-0")))) {
            Thread.sleep(300);
            ModuleException e = assertThrows(ModuleException.class, () -> check(args(TWO.subList(0, 1), true)));
            assertTrue(e.getMessage().contains("a VM is attached"), e.getMessage());
        }
    }
}
