package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperform.error.ExitCode;
import dev.hyperform.modules.kubernetes.KubeApiDouble;
import dev.hyperform.modules.kubernetes.ScriptedKubeVirtOperator;
import dev.hyperform.modules.kubernetes.ScriptedRookOperator;
import dev.hyperform.modules.kubernetes.ScriptedRookOperator.Health;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out: a cluster of node1 and node2 converged by {@code site.yaml} (node layer, and the cluster layer against the
 * DECLARED Kubernetes API double with scripted rook and KubeVirt operators; each host runs the DECLARED kubelet double);
 * node3 is then added to the inventory and {@code site.yaml --limit node3} brings it to the same state: its node layer,
 * its Node labels, its OSD in the CephCluster, and no other host runs a task. A run over all three hosts afterwards
 * changes only the nodes' trust of each other's migration keys (migration_peers writes it on each node for itself,
 * so a limited run cannot), nothing in the API; the run after that changes nothing anywhere.
 */
@Tag("lab")
class ScaleOutLabTest {
    private static final List<String> NODES = List.of("node1", "node2", "node3");
    private static final ResourceDefinitionContext CEPH_CLUSTER = new ResourceDefinitionContext.Builder().withGroup("ceph.rook.io")
            .withVersion("v1").withPlural("cephclusters").withNamespaced(true).build();

    @BeforeAll
    static void kubeletDoubles() throws Exception {
        ClusterLayerLabTest.kubeletDoubles();
    }

    @AfterAll
    static void removeKubeletDoubles() throws Exception {
        ClusterLayerLabTest.removeKubeletDoubles();
    }

    @Test
    void aNodeAddedToTheInventoryIsBroughtToTheSameStateByALimitedRunAndTheOthersStayUnchanged(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        List<String> without = new ArrayList<>();
        for (String line : Files.readAllLines(Lab.INVENTORY)) {
            if (!line.startsWith("node3 ")) {
                without.add(line);
            }
        }
        Path twoNodes = Files.write(dir.resolve("two-nodes.ini"), without);
        try (KubeApiDouble api = new KubeApiDouble();
             KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(api.kubeconfig(dir)))).build();
             var rook = new ScriptedRookOperator(client, 500, new Health("HEALTH_OK", List.of()));
             var kubevirt = ScriptedKubeVirtOperator.deploying(client, 500, 100)) {
            // the hugepage pool is the machine's, shared by every lab host: allocated first (by node1 and node2), so
            // that each Node registers the capacity its host has once converged, as kubelet would report it; node3's
            // kubelet registered it with the cluster before it was added to the inventory
            Lab.Run pool = Lab.play(dir, Lab.plus(args(api, dir, twoNodes), "--tags", "hugepages"));
            assertEquals(ExitCode.OK, pool.exitCode(), pool.console());
            ClusterLayerLabTest.nodes(client);
            Lab.Run two = Lab.play(dir, args(api, dir, twoNodes));
            assertEquals(ExitCode.OK, two.exitCode(), two.console());
            assertEquals(List.of("node1", "node2"), osdNodes(client), "the CephCluster of the two-node inventory");
            System.out.printf("ScaleOutLabTest: node1 and node2 converged in %d s%n", (System.nanoTime() - t0) / 1_000_000_000L);

            long t1 = System.nanoTime();
            Lab.Run added = Lab.play(dir, Lab.plus(args(api, dir, Lab.INVENTORY), "--limit", "node3"));
            assertEquals(ExitCode.OK, added.exitCode(), added.console());
            assertTrue(added.recap("node3").path("changed").asInt() > 0, added.console());
            assertTrue(added.events().stream().noneMatch(e -> e.path("host").asText().matches("node[12]")),
                    "the limited run touched no other node: " + added.eventsText());
            assertEquals(List.of("node1", "node2", "node3"), osdNodes(client), "node3's OSD is declared for rook");
            assertEquals("yes", client.nodes().withName("node3").get().getMetadata().getLabels().get("HAS-SETUP-CEPH-STORAGE"));
            assertTrue(Lab.ssh("node3", "systemctl is-active spdk-vhost libvirtd").lines().allMatch("active"::equals), "node3's node layer");
            System.out.printf("ScaleOutLabTest: node3 added with --limit node3 in %d s%n", (System.nanoTime() - t1) / 1_000_000_000L);

            // the one thing a limited run cannot do: migration_peers writes each node's trust of its peers on that node,
            // so node1 and node2 learn node3's migration key (and node3 theirs) in the next run over all nodes
            Map<String, String> converged = api.snapshot();
            Lab.Run all = Lab.play(dir, args(api, dir, Lab.INVENTORY));
            assertEquals(ExitCode.OK, all.exitCode(), all.console());
            for (JsonNode e : all.events()) {
                if (e.path("event").asText().equals("host_result") && e.path("status").asText().equals("changed")) {
                    assertTrue(e.path("task").asText().startsWith("migration_peers : "), "after the scale-out only the peers' "
                            + "migration keys change: " + e.path("host").asText() + " " + e.path("task").asText());
                }
            }
            assertEquals(converged, api.snapshot(), "a run over all nodes stored nothing new in the API");
            Lab.Run again = Lab.play(dir, args(api, dir, Lab.INVENTORY));
            assertEquals(ExitCode.OK, again.exitCode(), again.console());
            for (String n : NODES) {
                assertEquals(0, again.recap(n).path("changed").asInt(), n + " after the scale-out: " + again.console());
            }
            System.out.printf("ScaleOutLabTest: %d s in all%n", (System.nanoTime() - t0) / 1_000_000_000L);
        }
    }

    private static String[] args(KubeApiDouble api, Path dir, Path inventory) throws Exception {
        Path home = Lab.home();
        return new String[] {"-i", inventory.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/site.yaml").toString(), "-e",
                "{\"k8s_kubeconfig\": \"" + api.kubeconfig(dir) + "\", \"rook_ceph_osd_devices\": [\"/dev/disk/by-id/lab-osd\"],"
                        + " \"kubevirt_feature_gates\": [\"CPUManager\", \"LiveMigration\"]}"};
    }

    @SuppressWarnings("unchecked")
    private static List<String> osdNodes(KubernetesClient client) {
        Map<String, Object> spec = (Map<String, Object>) client.genericKubernetesResources(CEPH_CLUSTER).inNamespace("rook-ceph")
                .withName("rook-ceph").get().getAdditionalProperties().get("spec");
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) ((Map<String, Object>) spec.get("storage")).get("nodes");
        return nodes.stream().map(n -> (String) n.get("name")).toList();
    }
}
