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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spdk_served against the SPDK JSON-RPC TEST DOUBLE (lab/spdk-double, no-I/O mode, a local process): what it
 * records is a declaration spdk_rpc re-creates the same controllers from after the target restarted empty, also
 * when the record comes from the state file alone (the target crashed before anything read it).
 */
class SpdkServedModuleTest {
    @TempDir
    Path dir;
    private SpdkDoubleProcess spdk;
    private final SpdkServedModule served = new SpdkServedModule();
    private final SpdkRpcModule rpc = new SpdkRpcModule();

    @BeforeEach
    void start() throws Exception {
        spdk = SpdkDoubleProcess.start(dir, "0x3");
    }

    @AfterEach
    void stop() throws Exception {
        spdk.close();
    }

    private Map<String, Object> declaration() throws Exception {
        Path conf = Files.writeString(dir.resolve("ceph.conf"), "[global]\n");
        Path key = Files.writeString(dir.resolve("keyring"), "[client.spdk]\n");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("rbd_clusters", List.of(Map.of("name", "lab", "user_id", "spdk", "config_file", conf.toString(), "key_file", key.toString())));
        d.put("bdevs", List.of(
                Map.of("name", "vm1-0", "type", "rbd", "cluster_name", "lab", "pool_name", "replicapool", "rbd_name", "vm1-0", "block_size", 512),
                Map.of("name", "m0", "type", "malloc", "num_blocks", 2048, "block_size", 4096),
                Map.of("name", "unused", "type", "malloc", "num_blocks", 2048, "block_size", 512)));
        d.put("vhost_blk_controllers", List.of(
                Map.of("ctrlr", "vhost.vm1-0", "dev_name", "vm1-0", "cpumask", "0x2"),
                Map.of("ctrlr", "vhost.m0", "dev_name", "m0", "readonly", true)));
        return d;
    }

    private ModuleResult declare(Map<String, Object> declaration) {
        Map<String, Object> raw = new LinkedHashMap<>(declaration);
        raw.put("socket", spdk.socket.toString());
        Args a = rpc.spec().validate("spdk_rpc", raw, Location.UNKNOWN);
        LocalShellTarget t = new LocalShellTarget(dir, false);
        Change c = rpc.plan(t, a);
        return c.isNone() ? ModuleResult.ok(c.summary(), c.values()) : rpc.apply(t, a, c);
    }

    private Args args(String socket, Map<String, Object> declared) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("socket", socket);
        raw.put("state_file", dir.resolve("state/served.json").toString());
        raw.put("declared", declared);
        return served.spec().validate("spdk_served", raw, Location.UNKNOWN);
    }

    private Change plan(Args a, boolean check) {
        return served.plan(new LocalShellTarget(dir, check), a);
    }

    private ModuleResult run(Args a) {
        LocalShellTarget t = new LocalShellTarget(dir, false);
        Change c = served.plan(t, a);
        return c.isNone() ? ModuleResult.ok(c.summary(), c.values()) : served.apply(t, a, c);
    }

    @Test
    void recordsWhatIsServedAndTheRecordRecreatesItAfterTheTargetRestartedEmpty() throws Exception {
        assertTrue(declare(declaration()).changed());
        Args a = args(spdk.socket.toString(), Map.of());
        Path file = dir.resolve("state/served.json");

        Change check = plan(a, true);
        assertFalse(check.isNone(), "a first record is a change, shown in check mode");
        assertFalse(Files.exists(file), "check mode writes nothing");
        assertTrue(run(a).changed());
        assertTrue(Files.exists(file));
        assertTrue(plan(a, false).isNone(), "the same served set: the record is up to date");
        @SuppressWarnings("unchecked")
        Map<String, Object> record = (Map<String, Object>) check.values().get("served");
        assertEquals("target", check.values().get("source"));
        assertEquals(List.of("vhost.vm1-0", "vhost.m0"), check.values().get("controllers"));
        assertEquals(List.of("vm1-0", "m0"), ((List<?>) record.get("bdevs")).stream().map(b -> ((Map<?, ?>) b).get("name")).toList(),
                "only the bdevs the controllers use");
        assertEquals("lab", ((Map<?, ?>) ((List<?>) record.get("bdevs")).get(0)).get("cluster_name"),
                "the RBD bdev's cluster, found by its settings (SPDK does not name it)");

        spdk.close();
        spdk = SpdkDoubleProcess.start(dir, "0x3");
        Change fromFile = plan(a, false);
        assertTrue(fromFile.isNone(), "a target serving nothing leaves the record alone");
        assertEquals("state_file", fromFile.values().get("source"));
        assertEquals(SpdkRpc.JSON.valueToTree(record).toString(), SpdkRpc.JSON.valueToTree(fromFile.values().get("served")).toString(), "the file holds the record");

        @SuppressWarnings("unchecked")
        ModuleResult recreated = declare((Map<String, Object>) fromFile.values().get("served"));
        assertTrue(recreated.changed());
        assertEquals(List.of("vhost.vm1-0", "vhost.m0"), recreated.values().get("controllers"));
        assertTrue(Files.exists(dir.resolve("vhost.vm1-0")) && Files.exists(dir.resolve("vhost.m0")), "the same socket paths");
        Change after = plan(a, false);
        assertTrue(after.isNone(), "re-created exactly as recorded (cpumask, readonly, bdev and cluster settings): " + after.summary());
        assertEquals("target", after.values().get("source"));
    }

    @Test
    void aDownTargetWithoutRecordFallsBackToTheDeclaredControllersAndDeclaredEntriesWin() throws Exception {
        Map<String, Object> declared = Map.of("bdevs", List.of(Map.of("name", "d0", "type", "malloc", "num_blocks", 64, "block_size", 512)),
                "vhost_blk_controllers", List.of(Map.of("ctrlr", "vhost.d0", "dev_name", "d0")));
        Change none = plan(args(dir.resolve("gone.sock").toString(), Map.of()), false);
        assertEquals(false, none.values().get("running"));
        assertEquals("none", none.values().get("source"));
        assertTrue(none.summary().contains("not running") && none.summary().contains("no record"), none.summary());
        Change decl = plan(args(dir.resolve("gone.sock").toString(), declared), false);
        assertEquals("declared", decl.values().get("source"));
        assertEquals(List.of("vhost.d0"), decl.values().get("controllers"));

        assertTrue(declare(declaration()).changed());
        Map<String, Object> override = Map.of("vhost_blk_controllers", List.of(Map.of("ctrlr", "vhost.m0", "dev_name", "m0")));
        Change merged = plan(args(spdk.socket.toString(), override), false);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ctrls = (List<Map<String, Object>>) ((Map<String, Object>) merged.values().get("served")).get("vhost_blk_controllers");
        assertEquals(List.of(Map.of("ctrlr", "vhost.vm1-0", "dev_name", "vm1-0", "cpumask", "0x2"), Map.of("ctrlr", "vhost.m0", "dev_name", "m0")), ctrls,
                "the declared vhost.m0 replaces the recorded one; the recorded vhost.vm1-0 stays");
    }

    @Test
    void aStateFileThatIsNotARecordIsNamed() throws Exception {
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("state/served.json"), "{not json");
        ModuleException e = assertThrows(ModuleException.class, () -> plan(args(dir.resolve("gone.sock").toString(), Map.of()), false));
        assertTrue(e.getMessage().contains("served.json") && e.getMessage().contains("not JSON"), e.getMessage());
    }
}
