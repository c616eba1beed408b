package dev.hyperform.it;

import static dev.hyperform.it.KubeVirtRoleTest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import dev.hyperform.modules.kubernetes.ScriptedKubeVirtOperator;
import dev.hyperform.modules.kubernetes.ScriptedMigrationController;
import dev.hyperform.modules.kubernetes.ScriptedRookOperator;
import dev.hyperform.modules.kubernetes.ScriptedRookOperator.Health;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * playbooks/upgrade.yaml in KubeVirt mode ({@code vm_platform: kubevirt}) against the DECLARED Kubernetes API double
 * with scripted rook and KubeVirt operators and the scripted migration controller (its evacuation of a drained node's
 * LiveMigrate VMIs; no VM moves). Three local hosts; the node layer's roles are left out with {@code --skip-tags node}
 * (they would install packages and reserve hugepages on this machine; node.yaml's tags), so what runs is the
 * rollout around them: per node the gates through the API, the drain, the uncordon, the gates again; then the rook
 * and KubeVirt roles once between gates. A red gate stops the rollout before the first node is touched.
 */
class UpgradeKubeVirtTest {
    private static final Path UPGRADE = Lab.home().resolve("playbooks/upgrade.yaml");
    private static final List<String> NODES = List.of("node1", "node2", "node3");
    private static final String VARS = "{\"vm_platform\": \"kubevirt\", \"health_gate_timeout\": 3, \"health_gate_poll_interval\": 1,"
            + " \"upgrade_drain_timeout\": 30, \"kubevirt_wait_timeout\": 10, \"rook_ceph_health_timeout\": 10, \"rook_ceph_health_poll_interval\": 1,"
            + " \"rook_ceph_osd_devices\": [\"nvme0n1\"]}";
    private KubeDoublePlay k;
    private Path inventory;
    private ScriptedRookOperator rook;
    private ScriptedKubeVirtOperator kubevirt;
    private ScriptedMigrationController controller;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        k = new KubeDoublePlay(dir);
        inventory = k.hci(NODES.toArray(String[]::new));
        rook = new ScriptedRookOperator(k.client, 200, new Health("HEALTH_OK", List.of()));
        kubevirt = ScriptedKubeVirtOperator.deploying(k.client, 200, 200);
        Lab.Run cluster = k.playbook(inventory, Lab.home().resolve("playbooks/site.yaml"), "--tags", "rook_ceph,kubevirt", "-e", VARS);
        assertEquals(ExitCode.OK, cluster.exitCode(), cluster.console());
        StringBuilder nodes = new StringBuilder("- name: nodes\n  k8s:\n    definition:\n");
        NODES.forEach(n -> nodes.append("    - {apiVersion: v1, kind: Node, metadata: {name: ").append(n).append("}}\n"));
        assertEquals(ExitCode.OK, k.play(nodes.toString()).exitCode());
        for (int i = 1; i <= NODES.size(); i++) {
            ScriptedMigrationController.runningVmi(k.client, "default", "vm" + i, "node" + i, null, null);
            ScriptedMigrationController.launcherPod(k.client, "default", "vm" + i, "node" + i);
        }
        controller = new ScriptedMigrationController(k.client, NODES, 50);
    }

    @AfterEach
    void stop() {
        controller.close();
        kubevirt.close();
        rook.close();
        k.close();
    }

    private Lab.Run upgrade(String... more) throws Exception {
        return k.playbook(inventory, UPGRADE, Lab.plus(new String[] {"--skip-tags", "node", "-e", VARS, "-e", "ansible_become=false"}, more));
    }

    private String node(String vmi) {
        return String.valueOf(at(k.get("kubevirt.io", "v1", "virtualmachineinstances", "default", vmi), "status", "nodeName"));
    }

    /** The node's cordon as the API has it. */
    private boolean cordoned(String node) {
        Object spec = k.get("", "v1", "nodes", null, node).getAdditionalProperties().get("spec");
        return spec instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("unschedulable"));
    }

    /** Drain and uncordon, host by host, in the order the run did them. */
    private static List<String> rollout(Lab.Run r) {
        return r.events().stream().filter(e -> e.path("event").asText().equals("host_result")
                        && e.path("task").asText().startsWith("rolling_upgrade : ") && e.path("status").asText().equals("changed"))
                .map(e -> e.path("host").asText() + " " + e.path("task").asText().replaceFirst("rolling_upgrade : ", "").split(":")[0])
                .toList();
    }

    @Test
    void eachNodeIsDrainedItsVmiMigratedAwayAndUncordonedOneAfterTheOtherBetweenGreenGates() throws Exception {
        Map<String, String> before = k.api.snapshot();
        Lab.Run check = upgrade("--check");
        assertEquals(ExitCode.OK, check.exitCode(), check.console());
        assertEquals(before, k.api.snapshot(), "--check changed the cluster");
        // check mode predicts each drain; the uncordon after a drain that did not happen finds the node schedulable
        assertEquals(List.of("node1 move the VMs away", "node2 move the VMs away", "node3 move the VMs away"), rollout(check), check.console());

        Lab.Run r = upgrade();
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        assertEquals(List.of("node1 move the VMs away", "node1 bring node1 back", "node2 move the VMs away", "node2 bring node2 back",
                "node3 move the VMs away", "node3 bring node3 back"), rollout(r), r.console());
        for (String n : NODES) {
            assertTrue(!cordoned(n), n + " is schedulable again");
            assertTrue(r.console().contains("gates green (before " + n + " is touched)"), r.console());
            assertTrue(r.console().contains("gates green (after " + n + " was upgraded)"), r.console());
        }
        List<String> moved = controller.evacuated();
        for (String n : NODES) {
            assertTrue(moved.stream().anyMatch(m -> m.contains(": " + n + " -> ")), "a VMI left " + n + " when it was drained: " + moved);
        }
        assertNotEquals("node3", node("vm3"), "vm3 left node3, the last node drained");
        assertTrue(r.console().contains("gates green (before the KubeVirt and rook upgrades)"), r.console());
        assertTrue(r.console().contains("gates green (after the KubeVirt and rook upgrades)"), r.console());
        assertTrue(r.console().contains("ceph: HEALTH_OK; kubevirt: Available; vmis: 3 Running"), r.console());
    }

    @ParameterizedTest(name = "gate {0}")
    @CsvSource({"ceph, HEALTH_ERR", "kubevirt, Available=False", "vmis, default/vm2 Failed on node2"})
    void aRedGateStopsTheRolloutBeforeTheFirstNodeIsTouched(String gate, String seen) throws Exception {
        if (gate.equals("ceph")) {
            status("ceph.rook.io", "CephCluster", "cephclusters", "rook-ceph", "rook-ceph",
                    s -> s.put("ceph", Map.of("health", "HEALTH_ERR", "details", Map.of("MON_DOWN", Map.of("message", "1/3 mons down", "severity", "HEALTH_ERR")))));
        } else if (gate.equals("vmis")) {
            status("kubevirt.io", "VirtualMachineInstance", "virtualmachineinstances", "default", "vm2", s -> s.put("phase", "Failed"));
        } else {
            status("kubevirt.io", "KubeVirt", "kubevirts", "kubevirt", "kubevirt", s -> s.put("conditions",
                    List.of(Map.of("type", "Available", "status", "False", "reason", "DeploymentInProgress"))));
        }
        Map<String, String> before = k.api.snapshot();
        Lab.Run r = upgrade();
        assertEquals(ExitCode.TASK_FAILED, r.exitCode(), r.console());
        assertTrue(r.console().contains("health gate '" + gate + "' is red (before node1 is touched)"), r.console());
        assertTrue(r.console().contains(seen), r.console());
        assertEquals(List.of(), rollout(r), r.console());
        assertEquals(before, k.api.snapshot(), "no cordon, no eviction, nothing applied");
        assertEquals(List.of(), controller.evacuated());
        for (int i = 1; i <= NODES.size(); i++) {
            assertEquals("node" + i, node("vm" + i));
        }
    }

    private void status(String group, String kind, String plural, String ns, String name, Consumer<Map<String, Object>> edit) {
        var op = k.client.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup(group).withVersion("v1")
                .withKind(kind).withPlural(plural).withNamespaced(true).build()).inNamespace(ns);
        GenericKubernetesResource o = op.withName(name).get();
        @SuppressWarnings("unchecked")
        Map<String, Object> s = new java.util.LinkedHashMap<>((Map<String, Object>) o.getAdditionalProperties().getOrDefault("status", Map.of()));
        edit.accept(s);
        o.setAdditionalProperty("status", s);
        op.resource(o).updateStatus();
    }
}
