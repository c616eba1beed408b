package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperform.error.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * playbooks/upgrade.yaml on the lab's 3 hosts with its Ceph, one guest VM per host running hf-iocheck on its own RBD
 * image (VirtIO through QEMU's rbd driver, so libvirt has block statistics for the I/O gate). What the lab can really
 * upgrade: the SPDK JSON-RPC TEST DOUBLE's program ({@code spdk_double_source} pointed at a changed copy: the spdk role
 * installs it and restarts spdk-vhost, node by node); QEMU and libvirt are Debian's one version and stay as they are.
 * <ol>
 *   <li>With node3 (an OSD's host) stopped, the first gate is red: the run fails naming the gate and Ceph's checks,
 *       and no task other than the gates' reads ran on any host (nothing changed, the journal has no finished node).</li>
 *   <li>With the cluster healthy again and the guests running, the engine process is killed (SIGKILL) once the journal
 *       shows node1 finished; {@code play --resume JOURNAL} finishes node2 and node3 without an event for node1, node1's
 *       SPDK service is not restarted again, every node ends with the new program, and every guest's QEMU is the same
 *       process from before the first run to the end (the VMs kept running; each gate also saw their I/O grow).</li>
 * </ol>
 * VMs stay on their node while it is upgraded here ({@code upgrade_move_vms: false}): the lab upgrade restarts only
 * the SPDK double, which serves none of these guests' disks.
 */
@Tag("lab")
class UpgradeLabTest {
    private static final List<String> NODES = List.of("node1", "node2", "node3");
    private static final String NAME = "hf-upgrade";
    private static final String SERIAL = "/var/log/" + NAME + ".serial";
    private static final String SECRET = "7b2e1d63-54e5-4e2f-8c2f-6a4b1e3d8f22";
    private static final String DOUBLE = "/usr/local/bin/spdk-rpc-double";

    @AfterAll
    static void cleanUp() throws Exception {
        for (String n : NODES) {
            Lab.ssh(n, "virsh destroy " + NAME + " >/dev/null 2>&1; virsh undefine " + NAME + " >/dev/null 2>&1; rm -f " + SERIAL
                    + "; virsh secret-undefine " + SECRET + " >/dev/null 2>&1; rbd --id qemu rm " + image(n) + " >/dev/null 2>&1; true");
        }
        LabCeph.stop();
    }

    private static String image(String node) {
        return "replicapool/" + NAME + "-" + node;
    }

    private static String[] upgrade(Path dir, String extraVars) {
        Path home = Lab.home();
        return new String[] {"-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/upgrade.yaml").toString(), "-e", extraVars};
    }

    private static Set<String> changedTasks(Lab.Run run, String host) {
        Set<String> tasks = new TreeSet<>();
        for (JsonNode e : run.events()) {
            if (e.path("event").asText().equals("host_result") && e.path("host").asText().equals(host)
                    && e.path("status").asText().equals("changed")) {
                tasks.add(e.path("task").asText());
            }
        }
        return tasks;
    }

    @Test
    void aRedGateTouchesNothingAndAnInterruptedRolloutResumesWithoutTheFinishedNode(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        LabCeph.up(dir, "UpgradeLabTest");
        Lab.labOutput("guest", "image");
        Path home = Lab.home();
        Lab.Run converge = Lab.play(dir, "-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/site.yaml").toString(), "--tags", "node");
        assertEquals(ExitCode.OK, converge.exitCode(), converge.console());
        // the "new version": the double's program with one more line, as a new release would differ
        Path next = Lab.write(dir, "spdk-rpc-double-next",
                Files.readString(home.resolve("lab/spdk-double/spdk-rpc-double")) + "# UpgradeLabTest: the next version\n");
        String vars = "{\"upgrade_move_vms\": false, \"health_gate_io_window\": 2, \"health_gate_poll_interval\": 2,"
                + " \"health_gate_timeout\": 12, \"spdk_double_source\": \"" + next + "\"}";
        System.out.printf("UpgradeLabTest: Ceph and the node layer ready in %d s%n", (System.nanoTime() - t0) / 1_000_000_000L);

        // 1. an OSD's host down: the first gate is red and nothing is touched
        long t1 = System.nanoTime();
        Lab.labCommand("stop", "node3");
        Lab.Run red;
        try {
            LabCeph.waitForHealth(h -> h.startsWith("HEALTH_WARN") && h.contains("OSD_DOWN"), 90);
            red = Lab.play(dir, Lab.plus(upgrade(dir, vars), "--journal", dir.resolve("red.jsonl").toString()));
        } finally {
            Lab.labCommand("start", "node3");
        }
        assertEquals(ExitCode.TASK_FAILED, red.exitCode(), red.console());
        assertTrue(red.console().contains("health gate 'ceph' is red (before node1 is touched)") && red.console().contains("OSD_DOWN"),
                "the failure names the gate, the point of the rollout and what Ceph reported: " + red.console());
        for (JsonNode e : red.events()) {
            if (e.path("event").asText().equals("host_result")) {
                String task = e.path("task").asText();
                assertFalse(e.path("status").asText().equals("changed"), "a red gate changed something: " + e);
                assertTrue(task.startsWith("health_gate : ") || task.startsWith("rolling_upgrade : ") && task.contains("settings")
                                || task.equals("Gathering Facts") || task.contains("KUBECONFIG") || task.contains("Kubernetes API")
                                || task.contains("control_plane"),
                        "only the gates' reads run before a red gate stops the rollout, not " + task);
            }
        }
        assertFalse(Files.readString(dir.resolve("red.jsonl")).contains("\"type\":\"finished\""), "no node finished");
        System.out.printf("UpgradeLabTest: red gate run, node3 stopped and started again: %d s%n", (System.nanoTime() - t1) / 1_000_000_000L);
        LabCeph.waitForHealth(h -> h.equals("HEALTH_OK"), 240);

        // guests: one per host on its own RBD image, checking for longer than the test lasts
        String monitor = LabCeph.monitorV1();
        String accel = Lab.labOutput("guest", "accel", "node1");
        StringBuilder plays = new StringBuilder();
        for (String n : NODES) {
            String guestImage = Lab.labOutput("guest", "push", n);
            Lab.ssh(n, "virsh destroy " + NAME + " >/dev/null 2>&1; virsh undefine " + NAME + " >/dev/null 2>&1; rm -f " + SERIAL
                    + "; rbd --id qemu rm " + image(n) + " >/dev/null 2>&1; rbd --id qemu create " + image(n) + " --size 16M");
            LabCeph.qemuSecret(n, SECRET, NAME);
            plays.append(LabGuest.checkingGuestPlay(n, NAME, accel.equals("kvm") ? "kvm" : "qemu", guestImage, 3600, SERIAL,
                    "{type: rbd, name: %s, hosts: [\"%s\"], user: qemu, secret_uuid: %s}".formatted(image(n), monitor, SECRET), "", ""));
        }
        Lab.Run guests = Lab.play(dir, "-i", Lab.INVENTORY.toString(), Lab.write(dir, "guests.yaml", plays.toString()).toString());
        assertEquals(ExitCode.OK, guests.exitCode(), guests.console());
        Map<String, String> qemu = new LinkedHashMap<>();
        for (String n : NODES) {
            for (int i = 0; i < 60 && !LabGuest.serialLog(n, SERIAL).contains("HF-GUEST up"); i++) {
                Thread.sleep(1000);
            }
            assertTrue(LabGuest.serialLog(n, SERIAL).contains("HF-GUEST up"), n + "'s guest reached its init");
            qemu.put(n, Lab.ssh(n, "pgrep -f 'guest=" + NAME + "'"));
        }

        // 2. the rollout, killed once node1 finished, then resumed
        long t2 = System.nanoTime();
        Path journal = dir.resolve("upgrade.jsonl");
        List<String> command = new ArrayList<>(List.of("java", "-jar", home.resolve("dist/target/hyperform.jar").toString(), "play"));
        command.addAll(List.of(upgrade(dir, vars)));
        command.addAll(List.of("--journal", journal.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("killed.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!(Files.exists(journal) && Files.readString(journal).contains("\"hosts\":[\"node1\"]")) && System.nanoTime() < deadline
                && p.isAlive()) {
            Thread.sleep(100);
        }
        assertTrue(p.isAlive(), "the run went on after node1: " + Files.readString(dir.resolve("killed.out")));
        p.destroyForcibly();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        String killed = Files.readString(dir.resolve("killed.out"));
        assertTrue(Files.readString(journal).contains("\"hosts\":[\"node1\"]"), "node1 finished before the kill: " + killed);
        assertTrue(killed.contains("gates green (after node1 was upgraded)"), killed);
        String node1Started = Lab.ssh("node1", "systemctl show -p ActiveEnterTimestampMonotonic spdk-vhost");
        System.out.printf("UpgradeLabTest: killed (SIGKILL) %d s into the rollout, node1 finished%n", (System.nanoTime() - t2) / 1_000_000_000L);

        Lab.Run resumed = Lab.play(dir, Lab.plus(upgrade(dir, vars), "--resume", journal.toString()));
        assertEquals(ExitCode.OK, resumed.exitCode(), resumed.console());
        assertTrue(resumed.console().contains("resume: play 'rolling upgrade of the nodes': node1 finished in the journal, skipped"),
                resumed.console());
        // the rolling play has no event about node1 (the gates read its VMs only as a delegate); the cluster-wide play
        // after it (KubeVirt and rook, skipped here without a Kubernetes API) runs on every host
        List<JsonNode> rolling = resumed.events().stream().takeWhile(e -> !(e.path("event").asText().equals("play_started")
                && e.path("play").asText().equals("KubeVirt and rook, once"))).toList();
        assertTrue(rolling.size() < resumed.events().size(), "the second play started: " + resumed.eventsText());
        assertTrue(rolling.stream().noneMatch(e -> e.path("host").asText().equals("node1")),
                "no event of the resumed rolling play is about node1: " + resumed.eventsText());
        assertEquals(node1Started, Lab.ssh("node1", "systemctl show -p ActiveEnterTimestampMonotonic spdk-vhost"),
                "node1's SPDK service was not restarted by the resumed run");
        for (String n : List.of("node2", "node3")) {
            assertTrue(resumed.console().contains("gates green (after " + n + " was upgraded)"), resumed.console());
            assertTrue(changedTasks(resumed, n).contains("spdk : install the SPDK test double (labs and CI only)"),
                    n + " got the new program: " + changedTasks(resumed, n));
        }
        // only what differs is changed: the rest of the node layer reports ok
        assertTrue(changedTasks(resumed, "node3").stream().allMatch(t -> t.startsWith("spdk : ")), "node3 changed only SPDK: "
                + changedTasks(resumed, "node3"));
        String nextSum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(next)));
        for (String n : NODES) {
            assertEquals(nextSum, Lab.ssh(n, "sha256sum " + DOUBLE).split(" ")[0], n + " runs the new program");
            assertEquals("running", Lab.ssh(n, "virsh domstate " + NAME), n + "'s guest");
            assertEquals(qemu.get(n), Lab.ssh(n, "pgrep -f 'guest=" + NAME + "'"), n + "'s guest is the same QEMU process throughout");
            assertFalse(LabGuest.serialLog(n, SERIAL).contains("result=fail"), n + "'s checker: " + LabGuest.serialLog(n, SERIAL));
        }
        System.out.printf("UpgradeLabTest: rollout over 3 nodes (killed after node1, resumed) %d s; %d s in all%n",
                (System.nanoTime() - t2) / 1_000_000_000L, (System.nanoTime() - t0) / 1_000_000_000L);
    }
}
