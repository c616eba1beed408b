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
 * The whole data path on the lab's 3 hosts with its Ceph: a guest VM on each host checks a disk on its own RBD image
 * in replicapool with hf-iocheck at boot, through a vhost-user-blk disk that the SPDK JSON-RPC TEST DOUBLE serves
 * (qemu-storage-daemon) from an RBD bdev; node3 also runs the VirtIO baseline, a guest whose libvirt network disk goes
 * through QEMU's rbd driver (cephx user qemu, its key in a libvirt secret) to the same pool. node3's two guests check
 * first (5 s each, side by side); then the guests on node1 and node2 keep checking while node3, an OSD's host, is
 * powered off (its guests are done by then and would go down with it): 0 errors and 0 mismatches (their longest stall
 * printed) while Ceph reports degraded, and HEALTH_OK once node3 is back. From outside the guests: {@code rbd du}
 * shows each image's used size grown from 0 to the whole disk, and the image exported with rbd on another host holds
 * its guest's last pass (hf-iocheck's verify mode on the host). Guests run under TCG here (see lab.md), so their
 * figures are the emulator's.
 */
@Tag("lab")
class DataPathLabTest {
    /** The hosts whose guests check through the outage, and the host that goes down (after its own guests checked). */
    private static final List<String> SURVIVORS = List.of("node1", "node2");
    private static final String STOPPED = "node3";
    private static final List<String> ALL = List.of("node1", "node2", STOPPED);
    /** Where each host's images are read back from outside: another host than its guest's. */
    private static final Map<String, String> READER = Map.of("node1", "node2", "node2", "node1", STOPPED, "node1");
    /** The vhost-user-blk guest's domain (one on each host) and the VirtIO baseline's (on node3). */
    private static final String VHOST = "hf-guest-rbd";
    private static final String VIRTIO = "hf-guest-virtio";
    private static final String SECRET = "6a1f0c52-43d4-4d1e-9b1e-5f3a0d2c7e11";
    /** Seconds of checking on node1 and node2: Ceph reports node3's OSD down 10-15 s after node3 is stopped. */
    private static final int DURATION = 60;
    private static final String CLEANUP = "for d in " + VHOST + " " + VIRTIO + "; do virsh destroy $d >/dev/null 2>&1; virsh undefine $d >/dev/null 2>&1; done;"
            + " systemctl restart spdk-vhost; rm -f /var/tmp/" + VHOST + ".img; true";

    /** One guest: its host, its domain (= its kind). */
    private record Guest(String node, String domain) {
        String image() {
            return "replicapool/" + domain + "-" + node;
        }

        String serial() {
            return "/var/log/" + domain + ".serial";
        }

        @Override
        public String toString() {
            return node + "'s " + (domain.equals(VIRTIO) ? "VirtIO-baseline" : "vhost-user-blk") + " guest";
        }
    }

    private static final List<Guest> GUESTS = List.of(new Guest("node1", VHOST), new Guest("node2", VHOST), new Guest(STOPPED, VHOST),
            new Guest(STOPPED, VIRTIO));

    @AfterAll
    static void cleanUp() throws Exception {
        for (String node : ALL) {
            Lab.ssh(node, CLEANUP + "; virsh secret-undefine " + SECRET + " >/dev/null 2>&1; true");
        }
        for (Guest g : GUESTS) {
            Lab.ssh(g.node(), "rbd --id spdk rm " + g.image() + " >/dev/null 2>&1; true");
        }
        LabCeph.stop();
    }

    private static long usedBytes(String node, String image) throws Exception {
        String json = Lab.ssh(node, "rbd --id spdk du --format json " + image + " 2>/dev/null");
        return Lab.JSON.readTree(json).path("images").path(0).path("used_size").asLong(-1);
    }

    /** A play that boots the guest, checking /dev/vda for seconds, with one more task before it (or none). */
    private static String guestPlay(Guest g, String domainType, String guestImage, int seconds, String disk, String before) {
        return LabGuest.checkingGuestPlay(g.node(), g.domain(), domainType, guestImage, seconds, g.serial(), disk, before, "");
    }

    /** A vhost-user-blk guest's play: an RBD bdev on its image and a vhost-blk controller on it, then the guest. */
    private static String vhostPlay(Guest g, String domainType, String guestImage, int seconds) {
        return guestPlay(g, domainType, guestImage, seconds, "{type: vhostuser, socket: /var/tmp/vhost." + VHOST + ", queues: 1, reconnect: 1}", """
                    - name: an RBD bdev on this host's image and a vhost-blk controller on it
                      spdk_rpc:
                        rbd_clusters: [{name: lab, user_id: spdk, config_file: /etc/ceph/ceph.conf, key_file: /etc/ceph/ceph.client.spdk.keyring}]
                        bdevs: [{name: %s, type: rbd, cluster_name: lab, pool_name: replicapool, rbd_name: %s, block_size: 512}]
                        vhost_blk_controllers: [{ctrlr: vhost.%s, dev_name: %s}]
                """.formatted(VHOST, g.image().substring("replicapool/".length()), VHOST, VHOST));
    }

    private static void assertClean(Guest g, Map<String, String> s, String what) {
        assertEquals("0", s.get("errors"), g + ": " + s);
        assertEquals("0", s.get("mismatches"), g + ": " + s);
        assertEquals("ok", s.get("result"), g + ": " + s);
        assertEquals("1", s.get("direct"), "the checker bypasses the guest's page cache: " + s);
        assertTrue(Long.parseLong(s.get("writes")) >= 8192, "at least one whole pass over the 32 MiB disk: " + s);
        System.out.printf("DataPathLabTest: %s (%s on %s): %s errors, %s mismatches, longest stall %s ms, %s passes%n",
                g, what, g.image(), s.get("errors"), s.get("mismatches"), s.get("longest_stall_ms"), s.get("passes"));
    }

    private static void awaitInit(Guest g) throws Exception {
        String log = "";
        for (int i = 0; i < 60 && !log.contains("HF-GUEST up"); i++) {
            Thread.sleep(1000);
            log = LabGuest.serialLog(g.node(), g.serial());
        }
        assertTrue(log.contains("HF-GUEST up"), g + " reached its init: " + log);
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
            Lab.ssh(n, CLEANUP + "; rm -f /var/log/" + VHOST + ".serial /var/log/" + VIRTIO + ".serial");
        }
        for (Guest g : GUESTS) {
            Lab.ssh(g.node(), "rbd --id spdk rm " + g.image() + " >/dev/null 2>&1; rbd --id spdk create " + g.image() + " --size 32M");
            assertEquals(0, usedBytes(g.node(), g.image()), "a fresh image uses nothing");
        }
        String answer = Lab.labOutput("guest", "accel", "node1");
        String domainType = answer.equals("kvm") ? "kvm" : "qemu";
        String accel = answer.equals("kvm") ? "KVM" : "TCG";
        System.out.printf("DataPathLabTest: hosts ready (Ceph, QEMU, libvirt, SPDK double, guest image) in %d s; guests under %s%n",
                (System.nanoTime() - t0) / 1_000_000_000L, answer);
        Map<Guest, Map<String, String>> summaries = new LinkedHashMap<>();

        // node3, before its outage: the VirtIO baseline (QEMU's rbd driver, client.qemu's key in a libvirt secret of
        // usage type ceph) and a vhost-user-blk guest, side by side
        String monitor = LabCeph.monitorV1();
        LabCeph.qemuSecret(STOPPED, SECRET, VIRTIO);
        Guest baseline = new Guest(STOPPED, VIRTIO);
        Guest early = new Guest(STOPPED, VHOST);
        String rbdDisk = "{type: rbd, name: %s, hosts: [\"%s\"], user: qemu, secret_uuid: %s}".formatted(baseline.image(), monitor, SECRET);
        Lab.Run node3 = Lab.play(dir, "-i", Lab.INVENTORY.toString(), Lab.write(dir, "node3.yaml",
                guestPlay(baseline, domainType, guestImage, 5, rbdDisk, "") + vhostPlay(early, domainType, guestImage, 5)).toString());
        assertEquals(ExitCode.OK, node3.exitCode(), node3.console());
        for (Guest g : List.of(baseline, early)) {
            awaitInit(g);
            summaries.put(g, LabGuest.summary(LabGuest.awaitSummary(g.node(), g.serial(), 120)));
        }
        assertTrue(Lab.ssh(STOPPED, "virsh dumpxml " + VIRTIO).contains("protocol='rbd'"), "QEMU's rbd driver, not a host file");
        assertTrue(Lab.ssh(STOPPED, "virsh dumpxml " + VHOST).contains("type='vhostuser'"), "a vhost-user-blk disk");
        assertClean(baseline, summaries.get(baseline), accel + ", VirtIO through QEMU's rbd driver");
        assertClean(early, summaries.get(early), accel + ", vhost-user-blk, SPDK double's RBD bdev, before " + STOPPED + "'s outage");

        // node1 and node2: vhost-user-blk guests checking through node3's outage; node3's guests are done and go down
        // with their host (nothing runs on a stopped host: their images are checked from outside below)
        StringBuilder plays = new StringBuilder();
        for (String n : SURVIVORS) {
            plays.append(vhostPlay(new Guest(n, VHOST), domainType, guestImage, DURATION));
        }
        try {
            Lab.Run vms = Lab.play(dir, "-i", Lab.INVENTORY.toString(), Lab.write(dir, "vhost.yaml", plays.toString()).toString());
            assertEquals(ExitCode.OK, vms.exitCode(), vms.console());
            long started = System.nanoTime();
            for (String n : SURVIVORS) {
                awaitInit(new Guest(n, VHOST));
            }
            Lab.labCommand("stop", STOPPED);
            System.out.printf("DataPathLabTest: %s stopped, its 2 guests (checked above) down with it%n", STOPPED);
            String degraded = LabCeph.waitForHealth(h -> h.startsWith("HEALTH_WARN") && h.contains("degraded"), 90);
            System.out.printf("DataPathLabTest: Ceph degraded %d s after the guests were defined: %s%n",
                    (System.nanoTime() - started) / 1_000_000_000L, degraded.lines().findFirst().orElse(""));
            for (String n : SURVIVORS) {
                assertFalse(LabGuest.serialLog(n, new Guest(n, VHOST).serial()).contains("HF-IOCHECK "),
                        n + "'s checker was still running when Ceph reported degraded (raise DURATION if not)");
            }
            for (String n : SURVIVORS) {
                Guest g = new Guest(n, VHOST);
                summaries.put(g, LabGuest.summary(LabGuest.awaitSummary(n, g.serial(), DURATION + 120)));
            }
        } finally {
            Lab.labCommand("start", STOPPED);
        }
        for (String n : SURVIVORS) {
            Guest g = new Guest(n, VHOST);
            assertClean(g, summaries.get(g), accel + ", vhost-user-blk, SPDK double's RBD bdev, through " + STOPPED + "'s outage");
        }
        long back = System.nanoTime();
        LabCeph.waitForHealth(h -> h.equals("HEALTH_OK"), 240);
        System.out.printf("DataPathLabTest: HEALTH_OK %d s after %s was started again%n", (System.nanoTime() - back) / 1_000_000_000L, STOPPED);

        // from outside the guests: the double's qemu-storage-daemon closed (its writes flushed), then each image,
        // read with rbd on another host, holds its guest's last pass
        for (String n : SURVIVORS) {
            Lab.ssh(n, CLEANUP);
        }
        for (Guest g : GUESTS) {
            String reader = READER.get(g.node());
            long used = usedBytes(reader, g.image());
            assertEquals(32L << 20, used, "rbd du: the guest's writes filled " + g.image());
            long lastPass = Long.parseLong(summaries.get(g).get("passes")) - 1;
            String file = "/var/tmp/" + VHOST + ".img";
            String verify = Lab.ssh(reader, "rbd --id qemu export " + g.image() + " " + file + " >/dev/null 2>&1 && "
                    + guestImage + "/hf-iocheck --mode verify --pass " + lastPass + " " + file + " 2>&1; rm -f " + file + "; true");
            Map<String, String> h = LabGuest.summary(verify);
            assertEquals("8192", h.get("reads"), verify);
            assertEquals("0", h.get("errors"), verify);
            assertEquals("0", h.get("mismatches"), g.image() + " read on " + reader + " holds " + g + "'s last pass: " + verify);
            System.out.printf("DataPathLabTest: %s read with rbd export on %s: used %d MiB (0 before), pass %d verified%n",
                    g.image(), reader, used >> 20, lastPass);
        }
        System.out.printf("DataPathLabTest: %d s in all%n", (System.nanoTime() - t0) / 1_000_000_000L);
    }
}
