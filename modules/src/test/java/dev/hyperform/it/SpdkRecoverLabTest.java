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
 * playbooks/spdk-recover.yaml on a lab host while a guest checks its vhost-user-blk disk with hf-iocheck: the SPDK
 * JSON-RPC TEST DOUBLE serves the disk from an RBD image in the lab's Ceph through qemu-storage-daemon (which dies
 * with it). First the double is killed with SIGKILL (systemd starts it again, empty) and the playbook gives the
 * controller back from its state file; then the playbook restarts it cleanly itself. Each time the guest's checker
 * ends with 0 errors and 0 mismatches, and the playbook reports the disk's pause as QEMU showed it (chardev
 * disconnected until reconnected); the checker's longest stall is printed beside it. Guests run under TCG here.
 */
@Tag("lab")
class SpdkRecoverLabTest {
    private static final String NODE = "node1";
    /** One guest per scenario, each on its own RBD image and controller. */
    private static final String KILLED = "hf-recover";
    private static final String RESTARTED = "hf-recover2";
    private static final String STATE = "/var/lib/hyperform/spdk-served.json";

    private static String serial(String name) {
        return "/var/log/" + name + ".serial";
    }

    private static String destroy(String name) {
        return "virsh destroy " + name + " >/dev/null 2>&1; virsh undefine " + name + " >/dev/null 2>&1; rm -f " + serial(name) + "; true";
    }

    @AfterAll
    static void cleanUp() throws Exception {
        for (String name : new String[] {KILLED, RESTARTED}) {
            Lab.ssh(NODE, destroy(name) + "; rbd --id spdk rm replicapool/" + name + " >/dev/null 2>&1; true");
        }
        Lab.ssh(NODE, "systemctl restart spdk-vhost; rm -f " + STATE + "; true");
        LabCeph.stop();
    }

    private static Lab.Run recover(Path dir, String... more) throws Exception {
        Path home = Lab.home();
        return Lab.play(dir, Lab.plus(new String[] {"-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/spdk-recover.yaml").toString(), "-l", NODE}, more));
    }

    private static String guest(String name, String domainType, String imageDir, int seconds) throws Exception {
        Lab.ssh(NODE, destroy(name) + "; rbd --id spdk rm replicapool/" + name + " >/dev/null 2>&1; rbd --id spdk create replicapool/" + name + " --size 32M");
        String disk = "{type: vhostuser, socket: /var/tmp/vhost." + name + ", queues: 1, reconnect: 1}";
        return LabGuest.checkingGuestPlay(NODE, name, domainType, imageDir, seconds, serial(name), disk, """
                    - name: an RBD bdev on the image and a vhost-blk controller on it
                      spdk_rpc:
                        rbd_clusters: [{name: lab, user_id: spdk, config_file: /etc/ceph/ceph.conf, key_file: /etc/ceph/ceph.client.spdk.keyring}]
                        bdevs: [{name: %s, type: rbd, cluster_name: lab, pool_name: replicapool, rbd_name: %s, block_size: 512}]
                        vhost_blk_controllers: [{ctrlr: vhost.%s, dev_name: %s}]
                """.formatted(name, name, name, name), "");
    }

    private static void awaitInit(String name) throws Exception {
        String log = "";
        for (int i = 0; i < 60 && !log.contains("HF-GUEST up"); i++) {
            Thread.sleep(1000);
            log = LabGuest.serialLog(NODE, serial(name));
        }
        assertTrue(log.contains("HF-GUEST up"), "the guest reached its init: " + log);
        Thread.sleep(3000);
        assertFalse(LabGuest.serialLog(NODE, serial(name)).contains("hf-iocheck: "), "the guest's disk works before SPDK goes: " + diagnostics(name));
    }

    /** What to look at when a guest saw errors: its checker's and kernel's complaints, and the double's journal. */
    private static String diagnostics(String name) throws Exception {
        return "\n--- guest serial (errors) ---\n" + Lab.ssh(NODE, "grep -a -E 'hf-iocheck|error|vda' " + serial(name) + " | head -20; true")
                + "\n--- guest serial (virtio) ---\n" + Lab.ssh(NODE, "grep -a -i -E 'virtio|not a head|broken' " + serial(name) + " | head -10; true")
                + "\n--- QEMU's log ---\n" + Lab.ssh(NODE, "grep -v '^-' /var/log/libvirt/qemu/" + name + ".log | tail -12; true")
                + "\n--- journalctl -u spdk-vhost ---\n" + Lab.ssh(NODE, "journalctl -u spdk-vhost -o short-unix --no-pager | tail -25; true")
                + "\n--- rbd locks, Ceph's blocklist ---\n" + Lab.ssh(NODE, "rbd --id spdk lock ls replicapool/" + name + "; ceph osd blocklist ls; true");
    }

    private static String mainPid() throws Exception {
        return Lab.ssh(NODE, "systemctl show -p MainPID --value spdk-vhost").strip();
    }

    /** The guest's checker summary (0 errors, 0 mismatches) and the pause the playbook reported, printed together. */
    private static void assertRodeItOut(String name, Lab.Run run, String what, double playbookSeconds, double atLeast, long maxStallMs)
            throws Exception {
        Matcher m = Pattern.compile(name + " vda: ([0-9.]+) s from SPDK down to reconnected").matcher(run.console());
        assertTrue(m.find(), "the playbook reports the VM's pause: " + run.console());
        assertTrue(Double.parseDouble(m.group(1)) >= atLeast, what + ": the pause counts from SPDK going down: " + m.group(1) + " s, at least " + atLeast);
        Map<String, String> s = LabGuest.summary(LabGuest.awaitSummary(NODE, serial(name), 240));
        assertEquals("0", s.get("errors"), s + diagnostics(name));
        assertEquals("0", s.get("mismatches"), s.toString());
        assertEquals("ok", s.get("result"), s.toString());
        assertTrue(Long.parseLong(s.get("writes")) >= 8192, "at least one whole pass over the 32 MiB disk: " + s);
        assertTrue(Long.parseLong(s.get("longest_stall_ms")) <= maxStallMs, what + ": the guest's longest stall is at most " + maxStallMs + " ms: " + s
                + diagnostics(name));
        System.out.printf("SpdkRecoverLabTest: %s: playbook %.1f s, pause reported %s s (SPDK down to QEMU reconnected), guest's longest stall %s ms,"
                        + " %s errors, %s mismatches, %s passes%n", what, playbookSeconds, m.group(1), s.get("longest_stall_ms"),
                s.get("errors"), s.get("mismatches"), s.get("passes"));
    }

    @Test
    void aKilledAndARestartedSpdkDoubleAreBroughtBackUnderARunningGuest(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        LabCeph.up(dir, "SpdkRecoverLabTest");
        Lab.labOutput("guest", "image");
        Path home = Lab.home();
        Lab.Run hosts = Lab.play(dir, "-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/site.yaml").toString(), "--tags", "qemu,libvirt,spdk", "-l", NODE);
        assertEquals(ExitCode.OK, hosts.exitCode(), hosts.console());
        String imageDir = Lab.labOutput("guest", "push", NODE);
        Lab.ssh(NODE, "rm -f " + STATE);
        String domainType = Lab.labOutput("guest", "accel", NODE).equals("kvm") ? "kvm" : "qemu";
        System.out.printf("SpdkRecoverLabTest: host ready in %d s%n", (System.nanoTime() - t0) / 1_000_000_000L);

        // 1. SIGKILL: the record taken beforehand (record-only run) is what gives the controller back
        Lab.Run vm = Lab.play(dir, "-i", Lab.INVENTORY.toString(), Lab.write(dir, "guest1.yaml", guest(KILLED, domainType, imageDir, 30)).toString());
        assertEquals(ExitCode.OK, vm.exitCode(), vm.console());
        awaitInit(KILLED);
        Lab.Run record = recover(dir, "-e", "spdk_recover_record_only=true");
        assertEquals(ExitCode.OK, record.exitCode(), record.console());
        assertTrue(Lab.ssh(NODE, "cat " + STATE).contains("\"ctrlr\":\"vhost." + KILLED + "\""), "the record names the controller");
        String before = mainPid();
        Lab.ssh(NODE, "systemctl kill --kill-who=main -s KILL spdk-vhost");
        for (int i = 0; i < 50 && !Lab.vhostUserChardev(NODE, KILLED).contains("disconnected:"); i++) {
            Thread.sleep(200);
        }
        assertTrue(Lab.vhostUserChardev(NODE, KILLED).contains("disconnected:unix:/var/tmp/vhost." + KILLED), "QEMU lost the disk's backend");
        for (int i = 0; i < 50 && (mainPid().equals(before) || mainPid().equals("0")); i++) {
            Thread.sleep(200);
        }
        long started = System.nanoTime();
        Lab.Run killed = recover(dir);
        long killedAt = System.nanoTime();
        assertEquals(ExitCode.OK, killed.exitCode(), killed.console());
        assertTrue(killed.console().contains("SPDK serves no controller; the state_file record gives back 3: vhost.vm1-0, vhost.vm2-0, vhost." + KILLED), "the record came from the state file: " + killed.console());
        assertTrue(Lab.vhostUserChardev(NODE, KILLED).endsWith("filename=unix:"), "QEMU has the disk again");
        // systemd starts the double again RestartSec (2 s) after the kill, and the test waited for that
        // after a crash Ceph hands the image's lock to the new client once the dead one's watch times out (about 30 s)
        assertRodeItOut(KILLED, killed, "after SIGKILL", (killedAt - started) / 1e9, 2.0, 90_000);
        Lab.ssh(NODE, destroy(KILLED));

        // 2. a clean restart by the playbook; --check first restarts nothing
        vm = Lab.play(dir, "-i", Lab.INVENTORY.toString(), Lab.write(dir, "guest2.yaml", guest(RESTARTED, domainType, imageDir, 20)).toString());
        assertEquals(ExitCode.OK, vm.exitCode(), vm.console());
        awaitInit(RESTARTED);
        String pid = mainPid();
        Lab.Run check = recover(dir, "--check");
        assertEquals(ExitCode.OK, check.exitCode(), check.console());
        assertEquals(pid, mainPid(), "--check restarted nothing");
        assertTrue(check.recap(NODE).path("changed").asInt() >= 1, "--check says SPDK would be restarted: " + check.console());
        started = System.nanoTime();
        Lab.Run restarted = recover(dir);
        long restartedAt = System.nanoTime();
        assertEquals(ExitCode.OK, restarted.exitCode(), restarted.console());
        assertTrue(!mainPid().equals(pid), "SPDK was restarted");
        // a clean stop leaves no lock behind: no wait for Ceph
        assertRodeItOut(RESTARTED, restarted, "clean restart", (restartedAt - started) / 1e9, 0.0, 15_000);
        System.out.printf("SpdkRecoverLabTest: %d s in all%n", (System.nanoTime() - t0) / 1_000_000_000L);
    }
}
