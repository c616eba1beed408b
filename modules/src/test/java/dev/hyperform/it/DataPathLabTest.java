package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole data path on the lab's 3 hosts with its Ceph, one guest VM per host, each checking a disk on its own RBD
 * image in replicapool with hf-iocheck at boot. node3's guest is the VirtIO baseline: a libvirt network disk through
 * QEMU's rbd driver (cephx user qemu, its key in a libvirt secret). The guests on node1 and node2 have a
 * vhost-user-blk disk that the SPDK JSON-RPC TEST DOUBLE serves (qemu-storage-daemon) from an RBD bdev; they keep
 * checking while node3, an OSD's host whose guest is done by then, is powered off: 0 errors and 0 mismatches (their
 * longest stall printed) while Ceph reports degraded, and HEALTH_OK once node3 is back. From outside the guests:
 * {@code rbd du} shows each image's used size grown from 0 to the whole disk, and the image exported with rbd on
 * another host holds its guest's last pass (hf-iocheck's verify mode on the host). Guests run under TCG here (see
 * lab.md), so their figures are the emulator's.
 */
@Tag("lab")
class DataPathLabTest {
    private static final List<String> VHOST = List.of("node1", "node2");
    private static final String BASELINE = "node3";
    private static final List<String> ALL = List.of("node1", "node2", BASELINE);
    /** Where each image is read back from outside: another host than its guest's. */
    private static final Map<String, String> READER = Map.of("node1", "node2", "node2", "node1", BASELINE, "node1");
    private static final String NAME = "hf-guest-rbd";
    private static final String SERIAL = "/var/log/" + NAME + ".serial";
    private static final String SECRET = "6a1f0c52-43d4-4d1e-9b1e-5f3a0d2c7e11";
    /** Seconds of checking on node1 and node2: Ceph marks node3's OSD down about 25-30 s after it goes. */
    private static final int DURATION = 60;
    private static final String CLEANUP = "virsh destroy " + NAME + " >/dev/null 2>&1; virsh undefine " + NAME + " >/dev/null 2>&1;"
            + " systemctl restart spdk-vhost; rm -f /var/tmp/" + NAME + ".img; true";

    @AfterAll
    static void cleanUp() throws Exception {
        for (String node : ALL) {
            Lab.ssh(node, CLEANUP + "; virsh secret-undefine " + SECRET + " >/dev/null 2>&1; rbd --id spdk rm " + image(node) + " >/dev/null 2>&1; true");
        }
        LabCeph.stop();
    }

    private static String image(String node) {
        return "replicapool/" + NAME + "-" + node;
    }

    private static long usedBytes(String node, String image) throws Exception {
        String json = Lab.ssh(node, "rbd --id spdk du --format json " + image + " 2>/dev/null");
        return Lab.JSON.readTree(json).path("images").path(0).path("used_size").asLong(-1);
    }

    /** A play that boots the guest on node, checking /dev/vda for seconds, with one more task before it (or none). */
    private static String guestPlay(String node, String domainType, String guestImage, int seconds, String disk, String before) {
        return LabGuest.checkingGuestPlay(node, NAME, domainType, guestImage, seconds, SERIAL, disk, before, "");
    }

    private static void assertClean(String node, Map<String, String> s, String what) {
        assertEquals("0", s.get("errors"), node + ": " + s);
        assertEquals("0", s.get("mismatches"), node + ": " + s);
        assertEquals("ok", s.get("result"), node + ": " + s);
        assertEquals("1", s.get("direct"), "the checker bypasses the guest's page cache: " + s);
        assertTrue(Long.parseLong(s.get("writes")) >= 8192, "at least one whole pass over the 32 MiB disk: " + s);
        System.out.printf("DataPathLabTest: %s's guest (%s on %s): %s errors, %s mismatches, longest stall %s ms, %s passes%n",
                node, what, image(node), s.get("errors"), s.get("mismatches"), s.get("longest_stall_ms"), s.get("passes"));
    }

    private static String awaitInit(String node) throws Exception {
        String log = "";
        for (int i = 0; i < 60 && !log.contains("HF-GUEST up"); i++) {
            Thread.sleep(1000);
            log = LabGuest.serialLog(node, SERIAL);
        }
        assertTrue(log.contains("HF-GUEST up"), node + "'s guest reached its init: " + log);
        return log;
    }

    @Test
    void guestsOnRbdThroughVhostUserBlkAndVirtioKeepCheckingWithAnOsdHostDown(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        LabCeph.up(dir, "DataPathLabTest");
        Lab.labOutput("guest", "image");
        Path home = Lab.home();
        Lab.Run hosts = Lab.play(dir, "-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/site.yaml").toString(), "--tags", "qemu,libvirt,spdk", "-l", String.join(":", ALL));
        assertEquals(ExitCode.OK, hosts.exitCode(), hosts.console());
        String guestImage = "";
        for (String n : ALL) {
            guestImage = Lab.labOutput("guest", "push", n);
            Lab.ssh(n, CLEANUP + "; rm -f " + SERIAL + "; rbd --id spdk rm " + image(n) + " >/dev/null 2>&1; rbd --id spdk create " + image(n) + " --size 32M");
            assertEquals(0, usedBytes(n, image(n)), "a fresh image uses nothing");
        }
        String answer = Lab.labOutput("guest", "accel", "node1");
        String domainType = answer.equals("kvm") ? "kvm" : "qemu";
        String accel = answer.equals("kvm") ? "KVM" : "TCG";
        System.out.printf("DataPathLabTest: hosts ready (Ceph, QEMU, libvirt, SPDK double, guest image) in %d s; guests under %s%n",
                (System.nanoTime() - t0) / 1_000_000_000L, answer);
        Map<String, Map<String, String>> summaries = new LinkedHashMap<>();

        // the VirtIO baseline on node3: QEMU's rbd driver, client.qemu's key in a libvirt secret of usage type ceph
        String monitor = LabCeph.monitorV1();
        LabCeph.qemuSecret(BASELINE, SECRET, NAME);
        String rbdDisk = "{type: rbd, name: %s, hosts: [\"%s\"], user: qemu, secret_uuid: %s}".formatted(image(BASELINE), monitor, SECRET);
        Lab.Run baseline = Lab.play(dir, "-i", Lab.INVENTORY.toString(),
                Lab.write(dir, "baseline.yaml", guestPlay(BASELINE, domainType, guestImage, 5, rbdDisk, "")).toString());
        assertEquals(ExitCode.OK, baseline.exitCode(), baseline.console());
        awaitInit(BASELINE);
        summaries.put(BASELINE, LabGuest.summary(LabGuest.awaitSummary(BASELINE, SERIAL, 120)));
        assertTrue(Lab.ssh(BASELINE, "virsh dumpxml " + NAME).contains("protocol='rbd'"), "QEMU's rbd driver, not a host file");
        Lab.ssh(BASELINE, CLEANUP);
        assertClean(BASELINE, summaries.get(BASELINE), accel + ", VirtIO through QEMU's rbd driver");

        // node1 and node2: vhost-user-blk disks the SPDK double serves from RBD bdevs, checking through node3's outage
        StringBuilder plays = new StringBuilder();
        for (String n : VHOST) {
            plays.append(guestPlay(n, domainType, guestImage, DURATION, "{type: vhostuser, socket: /var/tmp/vhost." + NAME + ", queues: 1, reconnect: 1}", """
                        - name: an RBD bdev on this host's image and a vhost-blk controller on it
                          spdk_rpc:
                            rbd_clusters: [{name: lab, user_id: spdk, config_file: /etc/ceph/ceph.conf, key_file: /etc/ceph/ceph.client.spdk.keyring}]
                            bdevs: [{name: %s, type: rbd, cluster_name: lab, pool_name: replicapool, rbd_name: %s, block_size: 512}]
                            vhost_blk_controllers: [{ctrlr: vhost.%s, dev_name: %s}]
                    """.formatted(NAME, image(n).substring("replicapool/".length()), NAME, NAME)));
        }
        try {
            Lab.Run vms = Lab.play(dir, "-i", Lab.INVENTORY.toString(), Lab.write(dir, "vhost.yaml", plays.toString()).toString());
            assertEquals(ExitCode.OK, vms.exitCode(), vms.console());
            long started = System.nanoTime();
            for (String n : VHOST) {
                awaitInit(n);
            }
            Lab.labCommand("stop", BASELINE);
            String degraded = LabCeph.waitForHealth(h -> h.startsWith("HEALTH_WARN") && h.contains("degraded"), 90);
            System.out.printf("DataPathLabTest: Ceph degraded %d s after the guests were defined: %s%n",
                    (System.nanoTime() - started) / 1_000_000_000L, degraded.lines().findFirst().orElse(""));
            for (String n : VHOST) {
                assertFalse(LabGuest.serialLog(n, SERIAL).contains("HF-IOCHECK "),
                        n + "'s checker was still running when Ceph reported degraded (raise DURATION if not)");
            }
            for (String n : VHOST) {
                summaries.put(n, LabGuest.summary(LabGuest.awaitSummary(n, SERIAL, DURATION + 120)));
            }
        } finally {
            Lab.labCommand("start", BASELINE);
        }
        for (String n : VHOST) {
            assertClean(n, summaries.get(n), accel + ", vhost-user-blk, SPDK double's RBD bdev, through " + BASELINE + "'s outage");
        }
        long back = System.nanoTime();
        LabCeph.waitForHealth(h -> h.equals("HEALTH_OK"), 240);
        System.out.printf("DataPathLabTest: HEALTH_OK %d s after %s was started again%n", (System.nanoTime() - back) / 1_000_000_000L, BASELINE);

        // from outside the guests: the double's qemu-storage-daemon closed (its writes flushed), then each image,
        // read with rbd on another host, holds its guest's last pass
        for (String n : VHOST) {
            Lab.ssh(n, CLEANUP);
        }
        for (String n : ALL) {
            String reader = READER.get(n);
            long used = usedBytes(reader, image(n));
            assertEquals(32L << 20, used, "rbd du: the guest's writes filled " + image(n));
            long lastPass = Long.parseLong(summaries.get(n).get("passes")) - 1;
            String file = "/var/tmp/" + NAME + ".img";
            String verify = Lab.ssh(reader, "rbd --id qemu export " + image(n) + " " + file + " >/dev/null 2>&1 && "
                    + guestImage + "/hf-iocheck --mode verify --pass " + lastPass + " " + file + " 2>&1; rm -f " + file + "; true");
            Map<String, String> h = LabGuest.summary(verify);
            assertEquals("8192", h.get("reads"), verify);
            assertEquals("0", h.get("errors"), verify);
            assertEquals("0", h.get("mismatches"), image(n) + " read on " + reader + " holds " + n + "'s last pass: " + verify);
            System.out.printf("DataPathLabTest: %s read with rbd export on %s: used %d MiB (0 before), pass %d verified%n",
                    image(n), reader, used >> 20, lastPass);
        }
        System.out.printf("DataPathLabTest: %d s in all%n", (System.nanoTime() - t0) / 1_000_000_000L);
    }
}
