package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole data path on the lab with its Ceph: a guest VM on node1 and one on node2, each with a vhost-user-blk disk
 * that the SPDK JSON-RPC TEST DOUBLE serves (qemu-storage-daemon) from an RBD bdev on its own image in replicapool,
 * run hf-iocheck at boot while node3, an OSD's host running no guest, is powered off: both checkers end with 0 errors
 * and 0 mismatches (their longest stall printed) while Ceph reports degraded, and Ceph is HEALTH_OK again once node3
 * is back. From outside the guests: {@code rbd du} shows each image's used size grown from 0 to the whole disk, and
 * the image exported with rbd on the other host holds the guest's last pass (hf-iocheck's verify mode on the host).
 * Guests under TCG (see lab.md), so their figures are the emulator's.
 */
@Tag("lab")
class DataPathLabTest {
    private static final List<String> GUESTS = List.of("node1", "node2");
    private static final String STOPPED = "node3";
    private static final String NAME = "hf-guest-rbd";
    private static final String SERIAL = "/var/log/" + NAME + ".serial";
    /** Seconds of checking: long enough that Ceph marks node3's OSD down (about 25 s) while the checkers still run. */
    private static final int DURATION = 60;
    private static final String CLEANUP = "virsh destroy " + NAME + " >/dev/null 2>&1; virsh undefine " + NAME + " >/dev/null 2>&1;"
            + " systemctl restart spdk-vhost; rm -f /var/tmp/" + NAME + ".img; true";

    @AfterAll
    static void cleanUp() throws Exception {
        for (String node : GUESTS) {
            Lab.ssh(node, CLEANUP + "; rbd --id spdk rm replicapool/" + NAME + "-" + node + " >/dev/null 2>&1; true");
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

    @Test
    void guestsOnVhostUserBlkDisksBackedByRbdKeepCheckingWithAnOsdHostDown(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        LabCeph.up(dir, "DataPathLabTest");
        Lab.labOutput("guest", "image");
        Path home = Lab.home();
        String hosts = String.join(":", GUESTS);
        Lab.Run node = Lab.play(dir, "-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/site.yaml").toString(), "--tags", "qemu,libvirt,spdk", "-l", hosts);
        assertEquals(ExitCode.OK, node.exitCode(), node.console());
        String guestImage = "";
        for (String n : GUESTS) {
            guestImage = Lab.labOutput("guest", "push", n);
            Lab.ssh(n, CLEANUP + "; rbd --id spdk rm " + image(n) + " >/dev/null 2>&1; rbd --id spdk create " + image(n) + " --size 32M");
            assertEquals(0, usedBytes(n, image(n)), "a fresh image uses nothing");
        }
        String accel = Lab.labOutput("guest", "accel", GUESTS.get(0));
        String domainType = accel.equals("kvm") ? "kvm" : "qemu";
        System.out.printf("DataPathLabTest: hosts ready (Ceph, QEMU, libvirt, SPDK double, guest image) in %d s; guests under %s%n",
                (System.nanoTime() - t0) / 1_000_000_000L, accel);

        Path pb = Lab.write(dir, "datapath.yaml", """
                - hosts: %s
                  gather_facts: false
                  tasks:
                    - name: an RBD bdev on this host's image and a vhost-blk controller on it
                      spdk_rpc:
                        rbd_clusters: [{name: lab, user_id: spdk, config_file: /etc/ceph/ceph.conf, key_file: /etc/ceph/ceph.client.spdk.keyring}]
                        bdevs: [{name: %s, type: rbd, cluster_name: lab, pool_name: replicapool, rbd_name: "%s-{{ inventory_hostname }}", block_size: 512}]
                        vhost_blk_controllers: [{ctrlr: vhost.%s, dev_name: %s}]
                    - name: a guest that checks its vhost-user-blk disk at boot
                      libvirt_domain:
                        name: %s
                        domain_type: %s
                        machine: pc
                        memory_mib: 512
                        kernel: %s/vmlinuz
                        initrd: %s/initrd.img
                        cmdline: console=ttyS0 panic=-1 hf.check=/dev/vda hf.duration=%d
                        serial_log: %s
                        disks: [{type: vhostuser, socket: /var/tmp/vhost.%s, queues: 1, reconnect: 1}]
                        state: running
                """.formatted(hosts, NAME, NAME, NAME, NAME, NAME, domainType, guestImage, guestImage, DURATION, SERIAL, NAME));
        for (String n : GUESTS) {
            Lab.ssh(n, "rm -f " + SERIAL);
        }
        long booted;
        Map<String, Map<String, String>> summaries = new java.util.LinkedHashMap<>();
        try {
            Lab.Run vms = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString());
            assertEquals(ExitCode.OK, vms.exitCode(), vms.console());
            booted = System.nanoTime();
            for (String n : GUESTS) {
                String log = "";
                for (int i = 0; i < 60 && !log.contains("HF-GUEST up"); i++) {
                    Thread.sleep(1000);
                    log = LabGuest.serialLog(n, SERIAL);
                }
                assertTrue(log.contains("HF-GUEST up"), n + "'s guest reached its init: " + log);
            }
            Lab.labCommand("stop", STOPPED);
            String degraded = LabCeph.waitForHealth(h -> h.startsWith("HEALTH_WARN") && h.contains("degraded"), 90);
            System.out.printf("DataPathLabTest: Ceph degraded %d s after the guests started: %s%n",
                    (System.nanoTime() - booted) / 1_000_000_000L, degraded.lines().findFirst().orElse(""));
            for (String n : GUESTS) {
                assertFalse(LabGuest.serialLog(n, SERIAL).contains("HF-IOCHECK "),
                        n + "'s checker was still running when Ceph reported degraded (raise DURATION if not)");
            }
            for (String n : GUESTS) {
                summaries.put(n, LabGuest.summary(LabGuest.awaitSummary(n, SERIAL, DURATION + 120)));
            }
        } finally {
            Lab.labCommand("start", STOPPED);
        }
        for (String n : GUESTS) {
            Map<String, String> s = summaries.get(n);
            assertEquals("0", s.get("errors"), n + ": " + s);
            assertEquals("0", s.get("mismatches"), n + ": " + s);
            assertEquals("ok", s.get("result"), n + ": " + s);
            assertTrue(Long.parseLong(s.get("writes")) >= 8192, "at least one whole pass over the 32 MiB disk: " + s);
            System.out.printf("DataPathLabTest: %s's guest (%s, vhost-user-blk on RBD %s): %s errors, %s mismatches, longest stall %s ms, %s passes%n",
                    n, accel, image(n), s.get("errors"), s.get("mismatches"), s.get("longest_stall_ms"), s.get("passes"));
        }
        long waitOk = System.nanoTime();
        LabCeph.waitForHealth(h -> h.equals("HEALTH_OK"), 240);
        System.out.printf("DataPathLabTest: HEALTH_OK %d s after %s was started again%n", (System.nanoTime() - waitOk) / 1_000_000_000L, STOPPED);

        // from outside the guests: the double's qemu-storage-daemon closed (its writes flushed), then each image
        // read with rbd on the other host holds its guest's last pass
        for (String n : GUESTS) {
            Lab.ssh(n, CLEANUP);
        }
        for (int i = 0; i < GUESTS.size(); i++) {
            String n = GUESTS.get(i);
            String other = GUESTS.get((i + 1) % GUESTS.size());
            long used = usedBytes(other, image(n));
            assertEquals(32L << 20, used, "rbd du: the guest's writes filled " + image(n));
            long lastPass = Long.parseLong(summaries.get(n).get("passes")) - 1;
            String verify = Lab.ssh(other, "rbd --id qemu export " + image(n) + " /var/tmp/" + NAME + ".img >/dev/null 2>&1 && "
                    + guestImage + "/hf-iocheck --mode verify --pass " + lastPass + " /var/tmp/" + NAME + ".img 2>&1; rm -f /var/tmp/" + NAME + ".img; true");
            Map<String, String> h = LabGuest.summary(verify);
            assertEquals("8192", h.get("reads"), verify);
            assertEquals("0", h.get("errors"), verify);
            assertEquals("0", h.get("mismatches"), image(n) + " read on " + other + " holds " + n + "'s last pass: " + verify);
            System.out.printf("DataPathLabTest: %s exported on %s: used %d MiB, pass %d verified%n", image(n), other, used >> 20, lastPass);
        }
        System.out.printf("DataPathLabTest: %d s in all%n", (System.nanoTime() - t0) / 1_000_000_000L);
    }
}
