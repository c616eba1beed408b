package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperform.error.ExitCode;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/** The lab's Ceph (lab/ceph/ceph.yaml) as lab tests use it: brought up (or back) by the playbook, stopped after. */
final class LabCeph {
    static final List<String> NODES = List.of("node1", "node2", "node3");

    private LabCeph() {
    }

    /** Run lab/ceph/ceph.yaml on the lab (idempotent: it starts a stopped Ceph again) and wait for HEALTH_OK. */
    static Lab.Run up(Path dir, String test) throws Exception {
        long start = System.nanoTime();
        Lab.Run run = Lab.play(dir, "-i", Lab.INVENTORY.toString(), Lab.home().resolve("lab/ceph/ceph.yaml").toString());
        assertEquals(ExitCode.OK, run.exitCode(), run.console());
        System.out.printf("%s: lab Ceph up (HEALTH_OK) in %d s%n", test, (System.nanoTime() - start) / 1_000_000_000L);
        return run;
    }

    /**
     * The lab's hosts share the controller's 2 cores with every lab test after this one: Ceph is stopped (and kept
     * from starting when a later test reboots a host) once a test is done with it. {@link #up} brings it back.
     */
    static void stop() throws Exception {
        // the OSDs first, while the monitor still runs: a stopping OSD tells the monitor it is down. Stopped after
        // the monitor, they stayed "up" in the OSD map, so the next start saw HEALTH_OK from that stale map at once
        // and the OSDs went down a few seconds later, under the next test's feet.
        for (String node : NODES) {
            Lab.ssh(node, "systemctl stop ceph-osd.target 'ceph-osd@*' >/dev/null 2>&1; true");
        }
        for (String node : NODES) {
            Lab.ssh(node, "systemctl disable --now ceph.target >/dev/null 2>&1; systemctl stop 'ceph-*' >/dev/null 2>&1; true");
        }
    }

    /** {@code ceph health detail} on node1 once it satisfies wanted, polled every 3 s for up to seconds. */
    static String waitForHealth(Predicate<String> wanted, int seconds) throws Exception {
        String health = "";
        for (long end = System.nanoTime() + seconds * 1_000_000_000L; System.nanoTime() < end; Thread.sleep(3000)) {
            health = Lab.ssh("node1", "ceph health detail");
            if (wanted.test(health)) {
                return health;
            }
        }
        throw new AssertionError("Ceph health not as expected within " + seconds + " s: " + health);
    }

    /** The monitor's v1 address (host:6789) from {@code ceph mon dump} on node1, for a libvirt rbd disk's hosts. */
    static String monitorV1() throws Exception {
        String monitor = "";
        for (JsonNode a : Lab.JSON.readTree(Lab.ssh("node1", "ceph mon dump -f json 2>/dev/null")).path("mons").path(0)
                .path("public_addrs").path("addrvec")) {
            monitor = a.path("type").asText().equals("v1") ? a.path("addr").asText() : monitor;
        }
        return monitor;
    }

    /** A libvirt secret (usage type ceph) on node holding client.qemu's key, for rbd disks with secret_uuid uuid. */
    static void qemuSecret(String node, String uuid, String name) throws Exception {
        Lab.ssh(node, "virsh secret-undefine " + uuid + " >/dev/null 2>&1; printf %s \"<secret ephemeral='no' private='yes'><uuid>" + uuid
                + "</uuid><usage type='ceph'><name>client.qemu " + name + "</name></usage></secret>\" > /var/tmp/" + name + ".secret.xml"
                + " && virsh secret-define /var/tmp/" + name + ".secret.xml >/dev/null && rm /var/tmp/" + name + ".secret.xml"
                + " && virsh secret-set-value " + uuid + " --base64 $(awk '/key = /{print $3}' /etc/ceph/ceph.client.qemu.keyring) >/dev/null");
    }
}
