package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperform.error.ExitCode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lab/ceph/ceph.yaml on the lab's 3 hosts: Debian's Ceph 16.2 reaches HEALTH_OK with pool replicapool at 2 replicas
 * over 3 OSDs on 3 hosts, an RBD image written from one host with the qemu client key reads back from others, the
 * playbook is idempotent (second run and --check: 0 changes), and with one OSD host powered off the cluster reports
 * degraded while the image still reads; HEALTH_OK again once the host is back.
 */
@Tag("lab")
class CephLabTest {
    private static final List<String> NODES = LabCeph.NODES;

    /** Ceph is stopped once this test is done (see {@link LabCeph#stop}); a rerun of the playbook brings it back. */
    @AfterAll
    static void stopCeph() throws Exception {
        LabCeph.stop();
    }

    private static final String IMAGE = "replicapool/hf-ceph-check";

    @Test
    void cephOnThreeHostsKeepsTwoReplicasAndServesAnImageWithOneHostDown(@TempDir Path dir) throws Exception {
        String[] args = {"-i", Lab.INVENTORY.toString(), Lab.home().resolve("lab/ceph/ceph.yaml").toString()};
        long start = System.nanoTime();
        Lab.Run first = Lab.play(dir, args);
        assertEquals(ExitCode.OK, first.exitCode(), first.console());
        System.out.printf("CephLabTest: playbook run to HEALTH_OK in %d s%n", (System.nanoTime() - start) / 1_000_000_000L);

        assertEquals("HEALTH_OK", Lab.ssh("node1", "ceph health"));
        assertEquals("size: 2", Lab.ssh("node1", "ceph osd pool get replicapool size"));
        assertEquals("min_size: 1", Lab.ssh("node1", "ceph osd pool get replicapool min_size"));
        assertEquals(Map.of("node1", 1, "node2", 1, "node3", 1), upAndInOsdsByHost(), "one OSD up and in per host");
        JsonNode rule = Lab.JSON.readTree(Lab.ssh("node1", "ceph osd crush rule dump"
                + " $(ceph osd pool get replicapool crush_rule | cut -d' ' -f2) -f json"));
        assertTrue(rule.toString().contains("\"type\":\"host\""), "replicas on distinct hosts: " + rule);

        String written = Lab.ssh("node2", "rbd --id qemu rm " + IMAGE + " >/dev/null 2>&1; head -c 16M /dev/urandom > /var/tmp/hf-ceph-check"
                + " && rbd --id qemu import /var/tmp/hf-ceph-check " + IMAGE + " >/dev/null 2>&1 && sha256sum < /var/tmp/hf-ceph-check"
                + " && rm /var/tmp/hf-ceph-check");
        assertEquals(written, readBack("node3"), "node3 reads what node2 wrote");

        Lab.Run again = Lab.play(dir, args);
        assertEquals(ExitCode.OK, again.exitCode(), again.console());
        assertEquals(0, changed(again), "second run: " + again.console());
        Lab.Run check = Lab.play(dir, Lab.plus(args, "--check"));
        assertEquals(ExitCode.OK, check.exitCode(), check.console());
        assertEquals(0, changed(check), "--check: " + check.console());

        try {
            Lab.labCommand("stop", "node3");
            String degraded = LabCeph.waitForHealth(h -> h.startsWith("HEALTH_WARN") && h.contains("degraded"), 90);
            assertTrue(degraded.contains("osds down") || degraded.contains("OSD_DOWN"), degraded);
            assertEquals(written, readBack("node1"), "the image still reads with one of its replicas' hosts down");
        } finally {
            Lab.labCommand("start", "node3");
        }
        LabCeph.waitForHealth(h -> h.equals("HEALTH_OK"), 240);
        assertEquals(written, readBack("node3"));
        Lab.ssh("node1", "rbd rm " + IMAGE + " >/dev/null 2>&1");
    }

    private static String readBack(String node) throws Exception {
        return Lab.ssh(node, "rbd --id qemu export " + IMAGE + " - 2>/dev/null | sha256sum");
    }

    private static int changed(Lab.Run run) {
        return NODES.stream().mapToInt(n -> run.recap(n).path("changed").asInt()).sum();
    }

    /** host name to the number of its OSDs that are up and in, from {@code ceph osd tree}. */
    private static Map<String, Integer> upAndInOsdsByHost() throws Exception {
        JsonNode nodes = Lab.JSON.readTree(Lab.ssh("node1", "ceph osd tree -f json")).path("nodes");
        Map<Integer, JsonNode> byId = new HashMap<>();
        nodes.forEach(n -> byId.put(n.path("id").asInt(), n));
        Map<String, Integer> out = new HashMap<>();
        for (JsonNode n : nodes) {
            if (n.path("type").asText().equals("host")) {
                int count = 0;
                for (JsonNode child : n.path("children")) {
                    JsonNode osd = byId.get(child.asInt());
                    if (osd.path("status").asText().equals("up") && osd.path("reweight").asDouble() == 1.0) {
                        count++;
                    }
                }
                out.put(n.path("name").asText(), count);
            }
        }
        return out;
    }
}
