package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    private static final String NAME = "hf-recover";
    private static final String IMAGE = "replicapool/" + NAME;
    private static final String SERIAL = "/var/log/" + NAME + ".serial";
    private static final String STATE = "/var/lib/hyperform/spdk-served.json";
    private static final String DISK = "{type: vhostuser, socket: /var/tmp/vhost." + NAME + ", queues: 1, reconnect: 1}";
    private static final String DESTROY = "virsh destroy " + NAME + " >/dev/null 2>&1; virsh undefine " + NAME + " >/dev/null 2>&1; rm -f " + SERIAL + "; true";
    private static final Pattern PAUSE = Pattern.compile(NAME + " vda: ([0-9.]+) s from SPDK down to reconnected");

    @AfterAll
    static void cleanUp() throws Exception {
        Lab.ssh(NODE, DESTROY + "; systemctl restart spdk-vhost; rm -f " + STATE + "; rbd --id spdk rm " + IMAGE + " >/dev/null 2>&1; true");
        LabCeph.stop();
    }

    private static Lab.Run recover(Path dir, String... more) throws Exception {
        Path home = Lab.home();
        return Lab.play(dir, Lab.plus(new String[] {"-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/spdk-recover.yaml").toString(), "-l", NODE}, more));
    }

    private static String guest(String domainType, String imageDir, int seconds) {
        return LabGuest.checkingGuestPlay(NODE, NAME, domainType, imageDir, seconds, SERIAL, DISK, """
                    - name: an RBD bdev on the image and a vhost-blk controller on it
                      spdk_rpc:
                        rbd_clusters: [{name: lab, user_id: spdk, config_file: /etc/ceph/ceph.conf, key_file: /etc/ceph/ceph.client.spdk.keyring}]
                        bdevs: [{name: %s, type: rbd, cluster_name: lab, pool_name: replicapool, rbd_name: %s, block_size: 512}]
                        vhost_blk_controllers: [{ctrlr: vhost.%s, dev_name: %s}]
                """.formatted(NAME, NAME, NAME, NAME), "");
    }

    private static void awaitInit() throws Exception {
        String log = "";
        for (int i = 0; i < 60 && !log.contains("HF-GUEST up"); i++) {
            Thread.sleep(1000);
            log = LabGuest.serialLog(NODE, SERIAL);
        }
        assertTrue(log.contains("HF-GUEST up"), "the guest reached its init: " + log);
        Thread.sleep(3000);
    }

    private static String mainPid() throws Exception {
        return Lab.ssh(NODE, "systemctl show -p MainPID --value spdk-vhost").strip();
    }

    /** The guest's checker summary (0 errors, 0 mismatches) and the pause the playbook reported, printed together. */
    private static void assertRodeItOut(Lab.Run run, String what, double playbookSeconds, double atLeast) throws Exception {
        Matcher m = PAUSE.matcher(run.console());
        assertTrue(m.find(), "the playbook reports the VM's pause: " + run.console());
        assertTrue(Double.parseDouble(m.group(1)) >= atLeast, what + ": the pause counts from SPDK going down: " + m.group(1) + " s, at least " + atLeast);
        Map<String, String> s = LabGuest.summary(LabGuest.awaitSummary(NODE, SERIAL, 240));
        assertEquals("0", s.get("errors"), s.toString());
        assertEquals("0", s.get("mismatches"), s.toString());
        assertEquals("ok", s.get("result"), s.toString());
        assertTrue(Long.parseLong(s.get("writes")) >= 8192, "at least one whole pass over the 32 MiB disk: " + s);
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
        Lab.ssh(NODE, DESTROY + "; rm -f " + STATE + "; rbd --id spdk rm " + IMAGE + " >/dev/null 2>&1; rbd --id spdk create " + IMAGE + " --size 32M");
        String domainType = Lab.labOutput("guest", "accel", NODE).equals("kvm") ? "kvm" : "qemu";
        System.out.printf("SpdkRecoverLabTest: host ready in %d s%n", (System.nanoTime() - t0) / 1_000_000_000L);

        // 1. SIGKILL: the record taken beforehand (record-only run) is what gives the controller back
        Lab.Run vm = Lab.play(dir, "-i", Lab.INVENTORY.toString(), Lab.write(dir, "guest1.yaml", guest(domainType, imageDir, 30)).toString());
        assertEquals(ExitCode.OK, vm.exitCode(), vm.console());
        awaitInit();
        Lab.Run record = recover(dir, "-e", "spdk_recover_record_only=true");
        assertEquals(ExitCode.OK, record.exitCode(), record.console());
        assertTrue(Lab.ssh(NODE, "cat " + STATE).contains("\"ctrlr\":\"vhost." + NAME + "\""), "the record names the controller");
        String before = mainPid();
        Lab.ssh(NODE, "systemctl kill --kill-who=main -s KILL spdk-vhost");
        for (int i = 0; i < 50 && !Lab.vhostUserChardev(NODE, NAME).contains("disconnected:"); i++) {
            Thread.sleep(200);
        }
        assertTrue(Lab.vhostUserChardev(NODE, NAME).contains("disconnected:unix:/var/tmp/vhost." + NAME), "QEMU lost the disk's backend");
        for (int i = 0; i < 50 && (mainPid().equals(before) || mainPid().equals("0")); i++) {
            Thread.sleep(200);
        }
        long started = System.nanoTime();
        Lab.Run killed = recover(dir);
        long killedAt = System.nanoTime();
        assertEquals(ExitCode.OK, killed.exitCode(), killed.console());
        assertTrue(killed.console().contains("SPDK serves no controller; the state_file record gives back 3: vhost.vm1-0, vhost.vm2-0, vhost." + NAME), "the record came from the state file: " + killed.console());
        assertTrue(Lab.vhostUserChardev(NODE, NAME).endsWith("filename=unix:"), "QEMU has the disk again");
        // systemd starts the double again RestartSec (2 s) after the kill, and the test waited for that
        assertRodeItOut(killed, "after SIGKILL", (killedAt - started) / 1e9, 2.0);
        Lab.ssh(NODE, DESTROY);

        // 2. a clean restart by the playbook; --check first restarts nothing
        vm = Lab.play(dir, "-i", Lab.INVENTORY.toString(), Lab.write(dir, "guest2.yaml", guest(domainType, imageDir, 20)).toString());
        assertEquals(ExitCode.OK, vm.exitCode(), vm.console());
        awaitInit();
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
        assertRodeItOut(restarted, "clean restart", (restartedAt - started) / 1e9, 0.0);
        System.out.printf("SpdkRecoverLabTest: %d s in all%n", (System.nanoTime() - t0) / 1_000_000_000L);
    }
}
