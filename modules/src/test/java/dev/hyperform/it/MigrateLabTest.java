package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperform.error.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live migration in libvirt mode on the lab, with real I/O: one guest running hf-iocheck on a vhost-user-blk disk that
 * the SPDK JSON-RPC TEST DOUBLE serves from an RBD image in the lab's Ceph, booted once on node1 for both tests (a
 * second guest would cost another TCG boot in CI).
 * <ol>
 *   <li>playbooks/migrate.yaml: the guest goes from node1 to node2 (named VM), then back (node2 evacuated onto node1).
 *       Each time the destination serves the same image under the same controller name first, the domain then runs on
 *       the destination only, and the source's controller is gone. --check before the first migration changes
 *       nothing; the same migration again changes nothing.</li>
 *   <li>playbooks/upgrade.yaml over node1 and node2 with {@code upgrade_move_vms: true}: before node1's node layer
 *       installs the next SPDK double (and restarts its spdk-vhost), the guest is evacuated to node2; after it, the
 *       guest comes back to node1; node2's turn then finds no VM on node2. Every gate is green.</li>
 * </ol>
 * The checker ends with 0 errors and 0 mismatches over both; the migration times and the guest's longest stall are
 * printed. Guests run under TCG here (see lab.md), so the figures are the emulator's.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrateLabTest {
    private static final String NAME = "hf-migrate";
    private static final String IMAGE = "replicapool/" + NAME;
    private static final String SERIAL = "/var/log/" + NAME + ".serial";
    private static final String SOCKET = "/var/tmp/vhost." + NAME;
    /** Seconds of checking: the guest boots, goes to node2 and back by migrate.yaml, then by upgrade.yaml, meanwhile. */
    private static final int DURATION = 120;
    private static final Pattern MOVED = Pattern.compile(NAME + ": (node\\d) -> (node\\d) in ([0-9.]+) s \\(downtime (\\S+) ms");
    private static final String CLEANUP = "virsh destroy " + NAME + " >/dev/null 2>&1; virsh undefine " + NAME + " >/dev/null 2>&1;"
            + " systemctl restart spdk-vhost; true";

    @TempDir
    static Path dir;
    private static long t0;
    private static long started;

    /** Ceph, node1 and node2 with the node layer, and the checking guest running on node1. */
    @BeforeAll
    static void aCheckingGuestOnNode1() throws Exception {
        t0 = System.nanoTime();
        LabCeph.up(dir, "MigrateLabTest");
        Lab.labOutput("guest", "image");
        Path home = Lab.home();
        // the whole node layer (as upgrade.yaml converges it), so that the upgrade changes only what the test changes
        Lab.Run hosts = Lab.play(dir, "-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/site.yaml").toString(), "--tags", "node", "-l", "node1:node2");
        assertEquals(ExitCode.OK, hosts.exitCode(), hosts.console());
        String guestImage = "";
        for (String n : new String[] {"node1", "node2"}) {
            guestImage = Lab.labOutput("guest", "push", n);
            Lab.ssh(n, CLEANUP + "; rm -f " + SERIAL);
        }
        Lab.ssh("node1", "rbd --id spdk rm " + IMAGE + " >/dev/null 2>&1; rbd --id spdk create " + IMAGE + " --size 32M");
        String domainType = Lab.labOutput("guest", "accel", "node1").equals("kvm") ? "kvm" : "qemu";
        System.out.printf("MigrateLabTest: hosts ready in %d s%n", (System.nanoTime() - t0) / 1_000_000_000L);

        String play = LabGuest.checkingGuestPlay("node1", NAME, domainType, guestImage, DURATION, SERIAL,
                "{type: vhostuser, socket: " + SOCKET + ", queues: 1, reconnect: 1}", """
                    - name: an RBD bdev on the guest's image and a vhost-blk controller on it
                      spdk_rpc:
                        rbd_clusters: [{name: lab, user_id: spdk, config_file: /etc/ceph/ceph.conf, key_file: /etc/ceph/ceph.client.spdk.keyring}]
                        bdevs: [{name: %s, type: rbd, cluster_name: lab, pool_name: replicapool, rbd_name: %s, block_size: 512}]
                        vhost_blk_controllers: [{ctrlr: vhost.%s, dev_name: %s}]
                """.formatted(NAME, NAME, NAME, NAME), "");
        Lab.Run vm = Lab.play(dir, "-i", Lab.INVENTORY.toString(), Lab.write(dir, "vm.yaml", play).toString());
        assertEquals(ExitCode.OK, vm.exitCode(), vm.console());
        started = System.nanoTime();
        String log = "";
        for (int i = 0; i < 60 && !log.contains("HF-GUEST up"); i++) {
            Thread.sleep(1000);
            log = LabGuest.serialLog("node1", SERIAL);
        }
        assertTrue(log.contains("HF-GUEST up"), "the guest reached its init: " + log);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        for (String n : new String[] {"node1", "node2"}) {
            Lab.ssh(n, CLEANUP);
        }
        Lab.ssh("node1", "rbd --id spdk rm " + IMAGE + " >/dev/null 2>&1; true");
        LabCeph.stop();
    }

    private static String controllers(String node) throws Exception {
        return Lab.ssh(node, "printf '%s' '{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"vhost_get_controllers\"}' | socat -t 5 - UNIX-CONNECT:/var/tmp/spdk.sock");
    }

    private static String state(String node) throws Exception {
        return Lab.ssh(node, "virsh domstate " + NAME + " 2>/dev/null || echo absent").strip();
    }

    private static Lab.Run play(String playbook, String... vars) throws Exception {
        Path home = Lab.home();
        return Lab.play(dir, Lab.plus(new String[] {"-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/" + playbook).toString()}, vars));
    }

    /** The guest runs on node only, over the same socket path, and node's double alone serves its controller. */
    private static void assertOn(String to, String from) throws Exception {
        assertEquals("running", state(to), NAME + " runs on " + to);
        assertEquals("absent", state(from), NAME + " is gone from " + from + " (definition moved too)");
        assertTrue(Lab.ssh(to, "virsh dumpxml " + NAME).contains("path='" + SOCKET + "'"), "the same socket path on " + to);
        assertTrue(controllers(to).contains("\"vhost." + NAME + "\""), to + " serves the controller: " + controllers(to));
        assertFalse(controllers(from).contains("\"vhost." + NAME + "\""), from + "'s controller was removed: " + controllers(from));
    }

    /** The migration the run printed (from, to, seconds, downtime), in the order printed. */
    private static List<String[]> moves(Lab.Run r) {
        return MOVED.matcher(r.console()).results().map(m -> new String[] {m.group(1), m.group(2), m.group(3), m.group(4)}).toList();
    }

    /** The run moved the VM from one node to the other: the figures it printed, checked against what the nodes say. */
    private static double assertMoved(Lab.Run r, String from, String to) throws Exception {
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        List<String[]> m = moves(r);
        assertEquals(1, m.size(), "the run prints the migration: " + r.console());
        assertEquals(List.of(from, to), List.of(m.get(0)[0], m.get(0)[1]));
        assertOn(to, from);
        System.out.printf("MigrateLabTest: %s -> %s in %s s (downtime %s ms, as libvirt reports it)%n", from, to, m.get(0)[2], m.get(0)[3]);
        return Double.parseDouble(m.get(0)[2]);
    }

    @Test
    @Order(1)
    void aCheckingGuestOnAnRbdVhostDiskMovesToNode2AndBackWithoutAnIoError() throws Exception {
        String named = "{\"vm_migrate_vms\": [\"" + NAME + "\"], \"vm_migrate_to\": \"node2\"}";
        Lab.Run check = play("migrate.yaml", "-e", named, "--check");
        assertEquals(ExitCode.OK, check.exitCode(), check.console());
        assertTrue(check.console().contains("changed: [node1 -> node1]") || check.console().contains("changed:"), check.console());
        assertEquals("running", state("node1"), "--check moved nothing");
        assertFalse(controllers("node2").contains("\"vhost." + NAME + "\""), "--check created nothing on node2");

        double there = assertMoved(play("migrate.yaml", "-e", named), "node1", "node2");
        Lab.Run again = play("migrate.yaml", "-e", named);
        assertEquals(ExitCode.OK, again.exitCode(), again.console());
        assertTrue(again.console().contains(NAME + " already run on node2"), again.console());
        assertEquals(0, again.recap("node1").path("changed").asInt(), "the same migration again changes nothing: " + again.console());

        double back = assertMoved(play("migrate.yaml", "-e", "evacuate_node=node2", "-e", "{\"evacuate_targets\": [\"node1\"]}"), "node2", "node1");
        String log = LabGuest.serialLog("node1", SERIAL);
        assertFalse(log.contains("HF-IOCHECK "), "the checker was still running after both migrations (raise DURATION if not): " + log);
        assertFalse(log.contains("result=fail"), log);
        System.out.printf("MigrateLabTest: migrate.yaml node1 -> node2 %.2f s, node2 -> node1 %.2f s; %d s since the guest was defined%n",
                there, back, (System.nanoTime() - started) / 1_000_000_000L);
    }

    /** Index of the first event that test accepts, at or after from; fails naming what was looked for. */
    private static int indexOf(List<JsonNode> events, int from, Predicate<JsonNode> test, String what) {
        for (int i = from; i < events.size(); i++) {
            if (test.test(events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no event " + what + " after event " + from);
    }

    private static Predicate<JsonNode> changed(String host, String taskPart) {
        return e -> e.path("event").asText().equals("host_result") && e.path("host").asText().equals(host)
                && e.path("status").asText().equals("changed") && e.path("task").asText().contains(taskPart);
    }

    @Test
    @Order(2)
    void upgradeMovesTheGuestOffEachNodeBeforeItsUpgradeAndBackAfter() throws Exception {
        long t1 = System.nanoTime();
        Path home = Lab.home();
        // the "new version": the double's program with one more line; installing it restarts spdk-vhost on the node
        Path next = Lab.write(dir, "spdk-rpc-double-next",
                Files.readString(home.resolve("lab/spdk-double/spdk-rpc-double")) + "# MigrateLabTest: the next version\n");
        Lab.Run up = play("upgrade.yaml", "-l", "node1:node2", "-e", "{\"upgrade_move_vms\": true, \"vm_platform\": \"libvirt\","
                + " \"health_gate_io_window\": 2, \"health_gate_poll_interval\": 2, \"health_gate_timeout\": 30,"
                + " \"spdk_double_source\": \"" + next + "\"}");
        assertEquals(ExitCode.OK, up.exitCode(), up.console());
        for (String n : List.of("node1", "node2")) {
            assertTrue(up.console().contains("gates green (before " + n + " is touched)"), up.console());
            assertTrue(up.console().contains("gates green (after " + n + " was upgraded)"), up.console());
        }
        // node1's turn: evacuated before its SPDK was replaced, returned after, then its gate; node2 had no VM to move
        List<String[]> m = moves(up);
        assertEquals(2, m.size(), "the guest moved twice: " + up.console());
        assertEquals(List.of("node1", "node2", "node2", "node1"), List.of(m.get(0)[0], m.get(0)[1], m.get(1)[0], m.get(1)[1]), up.console());
        List<JsonNode> ev = up.events();
        int away = indexOf(ev, 0, changed("node1", NAME + " live from node1 to node2"), "migrating " + NAME + " off node1");
        int upgraded = indexOf(ev, away, changed("node1", "install the SPDK test double"), "installing node1's next SPDK double");
        int back = indexOf(ev, upgraded, changed("node1", NAME + " live from node2 to node1"), "migrating " + NAME + " back to node1");
        int gate = indexOf(ev, back, e -> e.path("task").asText().contains("gates green (after node1 was upgraded)"), "node1's gate after");
        indexOf(ev, gate, changed("node2", "install the SPDK test double"), "installing node2's next SPDK double");
        assertTrue(up.console().contains("node2 runs no libvirt domain: nothing to migrate"), up.console());
        assertOn("node1", "node2");
        System.out.printf("MigrateLabTest: upgrade.yaml over node1 and node2 with the guest moved off node1 and back %d s: "
                        + "node1 -> node2 %s s (downtime %s ms), node2 -> node1 %s s (downtime %s ms)%n",
                (System.nanoTime() - t1) / 1_000_000_000L, m.get(0)[2], m.get(0)[3], m.get(1)[2], m.get(1)[3]);

        String log = LabGuest.serialLog("node1", SERIAL);
        assertFalse(log.contains("HF-IOCHECK "), "the checker was still running after the rollout (raise DURATION if not): " + log);
        long waited = System.nanoTime();
        Map<String, String> s = LabGuest.summary(LabGuest.awaitSummary("node1", SERIAL, DURATION + 120));
        assertEquals("0", s.get("errors"), s.toString());
        assertEquals("0", s.get("mismatches"), s.toString());
        assertEquals("ok", s.get("result"), s.toString());
        assertTrue(Long.parseLong(s.get("writes")) >= 8192, "at least one whole pass over the 32 MiB disk: " + s);
        System.out.printf("MigrateLabTest: guest checked %s ms over 4 migrations: %s errors, %s mismatches, longest stall %s ms, %s passes;"
                        + " waited %d s for the checker's end; %d s in all%n",
                s.get("elapsed_ms"), s.get("errors"), s.get("mismatches"), s.get("longest_stall_ms"), s.get("passes"),
                (System.nanoTime() - waited) / 1_000_000_000L, (System.nanoTime() - t0) / 1_000_000_000L);
    }
}
