package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * playbooks/migrate.yaml in libvirt mode on the lab, with real I/O: a guest running hf-iocheck on a vhost-user-blk
 * disk that the SPDK JSON-RPC TEST DOUBLE serves from an RBD image in the lab's Ceph live-migrates from node1 to
 * node2 (named VM), then back (node2 evacuated onto node1). Each time the destination serves the same image under
 * the same controller name first, the domain then runs on the destination only, and the source's controller is
 * gone. --check before the first migration changes nothing; the same migration again changes nothing. The checker
 * ends with 0 errors and 0 mismatches; the migration times and the guest's longest stall are printed. Guests run
 * under TCG here (see lab.md), so the figures are the emulator's.
 */
@Tag("lab")
class MigrateLabTest {
    private static final String NAME = "hf-migrate";
    private static final String IMAGE = "replicapool/" + NAME;
    private static final String SERIAL = "/var/log/" + NAME + ".serial";
    private static final String SOCKET = "/var/tmp/vhost." + NAME;
    /** Seconds of checking: the guest boots, goes to node2 and comes back meanwhile. */
    private static final int DURATION = 75;
    private static final Pattern MOVED = Pattern.compile(NAME + ": (node\\d) -> (node\\d) in ([0-9.]+) s \\(downtime (\\S+) ms");
    private static final String CLEANUP = "virsh destroy " + NAME + " >/dev/null 2>&1; virsh undefine " + NAME + " >/dev/null 2>&1;"
            + " systemctl restart spdk-vhost; true";

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

    private static Lab.Run migrate(Path dir, String... vars) throws Exception {
        Path home = Lab.home();
        return Lab.play(dir, Lab.plus(new String[] {"-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/migrate.yaml").toString()}, vars));
    }

    /** The run moved the VM from one node to the other: the figures it printed, checked against what the nodes say. */
    private static double assertMoved(Lab.Run r, String from, String to) throws Exception {
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        Matcher m = MOVED.matcher(r.console());
        assertTrue(m.find(), "the run prints the migration: " + r.console());
        assertEquals(from, m.group(1));
        assertEquals(to, m.group(2));
        assertEquals("running", state(to), NAME + " runs on " + to);
        assertEquals("absent", state(from), NAME + " is gone from " + from + " (definition moved too)");
        assertTrue(Lab.ssh(to, "virsh dumpxml " + NAME).contains("path='" + SOCKET + "'"), "the same socket path on " + to);
        assertTrue(controllers(to).contains("\"vhost." + NAME + "\""), to + " serves the controller: " + controllers(to));
        assertFalse(controllers(from).contains("\"vhost." + NAME + "\""), from + "'s controller was removed: " + controllers(from));
        assertTrue(Lab.ssh(to, "ps -eo args | grep -c '[q]emu-storage-daemon.*" + NAME + "' || true").strip().compareTo("0") > 0
                        || controllers(to).contains(NAME), "the double on " + to + " serves " + IMAGE);
        System.out.printf("MigrateLabTest: %s -> %s in %s s (downtime %s ms, as libvirt reports it)%n", from, to, m.group(3), m.group(4));
        return Double.parseDouble(m.group(3));
    }

    @Test
    void aCheckingGuestOnAnRbdVhostDiskMovesToNode2AndBackWithoutAnIoError(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        LabCeph.up(dir, "MigrateLabTest");
        Lab.labOutput("guest", "image");
        Path home = Lab.home();
        Lab.Run hosts = Lab.play(dir, "-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/site.yaml").toString(), "--tags", "qemu,libvirt,migration_peers,spdk", "-l", "node1:node2");
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
        long started = System.nanoTime();
        String log = "";
        for (int i = 0; i < 60 && !log.contains("HF-GUEST up"); i++) {
            Thread.sleep(1000);
            log = LabGuest.serialLog("node1", SERIAL);
        }
        assertTrue(log.contains("HF-GUEST up"), "the guest reached its init: " + log);

        String named = "{\"vm_migrate_vms\": [\"" + NAME + "\"], \"vm_migrate_to\": \"node2\"}";
        Lab.Run check = migrate(dir, "-e", named, "--check");
        assertEquals(ExitCode.OK, check.exitCode(), check.console());
        assertTrue(check.console().contains("changed: [node1 -> node1]") || check.console().contains("changed:"), check.console());
        assertEquals("running", state("node1"), "--check moved nothing");
        assertFalse(controllers("node2").contains("\"vhost." + NAME + "\""), "--check created nothing on node2");

        double there = assertMoved(migrate(dir, "-e", named), "node1", "node2");
        Lab.Run again = migrate(dir, "-e", named);
        assertEquals(ExitCode.OK, again.exitCode(), again.console());
        assertTrue(again.console().contains(NAME + " already run on node2"), again.console());
        assertEquals(0, again.recap("node1").path("changed").asInt(), "the same migration again changes nothing: " + again.console());

        double back = assertMoved(migrate(dir, "-e", "evacuate_node=node2", "-e", "{\"evacuate_targets\": [\"node1\"]}"), "node2", "node1");
        assertFalse(LabGuest.serialLog("node1", SERIAL).contains("HF-IOCHECK "), "the checker was still running after both migrations (raise DURATION if not)");
        Map<String, String> s = LabGuest.summary(LabGuest.awaitSummary("node1", SERIAL, DURATION + 120));
        assertEquals("0", s.get("errors"), s.toString());
        assertEquals("0", s.get("mismatches"), s.toString());
        assertEquals("ok", s.get("result"), s.toString());
        assertTrue(Long.parseLong(s.get("writes")) >= 8192, "at least one whole pass over the 32 MiB disk: " + s);
        System.out.printf("MigrateLabTest: guest checked %s ms: %s errors, %s mismatches, longest stall %s ms, %s passes; "
                        + "node1 -> node2 %.2f s, node2 -> node1 %.2f s; %d s in all (guest defined %d s before the end)%n",
                s.get("elapsed_ms"), s.get("errors"), s.get("mismatches"), s.get("longest_stall_ms"), s.get("passes"), there, back,
                (System.nanoTime() - t0) / 1_000_000_000L, (System.nanoTime() - started) / 1_000_000_000L);
    }
}
