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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spdk_rpc against the SPDK JSON-RPC TEST DOUBLE (lab/spdk-double, a declared double of the v23.09 target),
 * run here as a local process; commands go through socat exactly as on a target host.
 */
class SpdkRpcModuleTest {
    @TempDir
    Path dir;
    private Process spdk;
    private final SpdkRpcModule module = new SpdkRpcModule();

    private Path sock() {
        return dir.resolve("spdk.sock");
    }

    @BeforeEach
    void start() throws Exception {
        startDouble();
    }

    private void startDouble() throws Exception {
        Path script = home().resolve("lab/spdk-double/spdk-rpc-double");
        spdk = new ProcessBuilder("python3", script.toString(), "-S", dir.toString(), "-r", sock().toString(), "-m", "0x3")
                .redirectErrorStream(true).redirectOutput(dir.resolve("double.log").toFile()).start();
        for (int i = 0; i < 100 && !Files.exists(sock()); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(sock()), "the double did not open its RPC socket");
    }

    @AfterEach
    void stop() throws Exception {
        spdk.destroy();
        spdk.waitFor();
    }

    private static Path home() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("lab/spdk-double/spdk-rpc-double"))) {
                return p;
            }
        }
        throw new IllegalStateException("no checkout");
    }

    private Args args(List<Map<String, Object>> controllers, boolean prune) {
        return module.spec().validate("spdk_rpc", Map.of(
                "socket", sock().toString(),
                "bdevs", List.of(Map.of("name", "vm1-0", "type", "malloc", "num_blocks", 2048, "block_size", 512),
                        Map.of("name", "vm2-0", "type", "malloc", "num_blocks", 2048, "block_size", 512)),
                "vhost_blk_controllers", controllers,
                "prune_controllers", prune), Location.UNKNOWN);
    }

    private static final List<Map<String, Object>> TWO = List.of(
            Map.of("ctrlr", "vhost.vm1-0", "dev_name", "vm1-0", "cpumask", "0x1"),
            Map.of("ctrlr", "vhost.vm2-0", "dev_name", "vm2-0", "cpumask", "0x2"));

    private ModuleResult converge(Args a) {
        LocalShellTarget t = new LocalShellTarget(dir, false);
        Change c = module.plan(t, a);
        return c.isNone() ? ModuleResult.ok(c.summary(), c.values()) : module.apply(t, a, c);
    }

    @Test
    void createsOnceThenNothingThenRecreatesAfterARestart() throws Exception {
        Args a = args(TWO, false);
        Change check = module.plan(new LocalShellTarget(dir, true), a);
        assertEquals(4, check.commands().size(), "check mode lists 2 bdevs + 2 controllers");
        ModuleResult first = converge(a);
        assertTrue(first.changed());
        assertEquals(check.commands().stream().map(c -> c.description()).toList(),
                first.ran().stream().map(r -> ((dev.hyperform.module.Command) r.command()).description()).toList(), "the real run made exactly the checked calls");
        assertTrue(Files.exists(dir.resolve("vhost.vm1-0")) && Files.exists(dir.resolve("vhost.vm2-0")));
        assertTrue(module.plan(new LocalShellTarget(dir, true), a).isNone(), "second plan: nothing to do");

        spdk.destroy();
        spdk.waitFor();
        assertFalse(Files.exists(dir.resolve("vhost.vm1-0")), "sockets go away with the target");
        startDouble();
        ModuleResult again = converge(a);
        assertTrue(again.changed(), "an empty target after restart is re-populated");
        assertTrue(Files.exists(dir.resolve("vhost.vm1-0")) && Files.exists(dir.resolve("vhost.vm2-0")),
                "same names, same socket paths");
    }

    @Test
    void aControllerOnAnotherBdevIsRecreatedAndUndeclaredOnesArePruned() {
        converge(args(TWO, false));
        List<Map<String, Object>> moved = List.of(Map.of("ctrlr", "vhost.vm1-0", "dev_name", "vm2-0", "cpumask", "0x1"));
        Change c = module.plan(new LocalShellTarget(dir, true), args(moved, true));
        List<String> methods = c.commands().stream().map(x -> x.description().split(" ")[1]).toList();
        assertEquals(List.of("vhost_delete_controller", "vhost_create_blk_controller", "vhost_delete_controller"), methods);
        converge(args(moved, true));
        assertFalse(Files.exists(dir.resolve("vhost.vm2-0")));
    }

    @Test
    void aMissingBdevFailsWithSpdksOwnMessage() {
        Args a = module.spec().validate("spdk_rpc", Map.of("socket", sock().toString(),
                "vhost_blk_controllers", List.of(Map.of("ctrlr", "vhost.x", "dev_name", "NoSuchBdev"))), Location.UNKNOWN);
        ModuleResult r = converge(a);
        assertTrue(r.failed());
        assertTrue(r.message().contains("-32602") && r.message().contains("No such device"), r.message());
    }

    @Test
    void aMissingSocketSaysToCheckTheService() throws IOException {
        Args a = module.spec().validate("spdk_rpc", Map.of("socket", dir.resolve("nope.sock").toString(), "wait_for_socket", 1),
                Location.UNKNOWN);
        ModuleException e = assertThrows(ModuleException.class, () -> module.plan(new LocalShellTarget(dir, true), a));
        assertTrue(e.getMessage().contains("spdk-vhost"), e.getMessage());
    }

    @Test
    void aControllerWithAnAttachedClientIsNeverDeleted() throws Exception {
        converge(args(TWO, false));
        try (var ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(dir.resolve("vhost.vm2-0")))) {
            Thread.sleep(300);
            ModuleException e = assertThrows(ModuleException.class,
                    () -> module.plan(new LocalShellTarget(dir, true), args(TWO.subList(0, 1), true)));
            assertTrue(e.getMessage().contains("a VM is attached"), e.getMessage());
        }
    }
}
