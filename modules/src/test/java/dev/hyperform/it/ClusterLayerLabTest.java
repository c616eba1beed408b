package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import dev.hyperform.modules.kubernetes.KubeApiDouble;
import dev.hyperform.modules.kubernetes.ScriptedKubeVirtOperator;
import dev.hyperform.modules.kubernetes.ScriptedRookOperator;
import dev.hyperform.modules.kubernetes.ScriptedRookOperator.Health;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole cluster layer as a user runs it: {@code site.yaml --tags cluster} on the 3 real lab hosts (each with the
 * DECLARED kubelet double, lab/kubelet-double, as its kubelet) against the DECLARED Kubernetes API double with
 * scripted rook and KubeVirt operators (declared doubles playing their status updates). It converges in one run in
 * the layer's order (kube_node, rook_ceph and its health gate, kubevirt and its gate); a second run and {@code --check}
 * change nothing, on the hosts and in the API; and when Ceph stays unhealthy the play stops at rook's gate on every
 * host and KubeVirt is never applied.
 */
@Tag("lab")
class ClusterLayerLabTest {
    private static final List<String> NODES = List.of("node1", "node2", "node3");
    private static final ResourceDefinitionContext CEPH_CLUSTER = context("ceph.rook.io", "v1", "cephclusters");
    private static final ResourceDefinitionContext KUBEVIRT = context("kubevirt.io", "v1", "kubevirts");

    @BeforeAll
    static void kubeletDoubles() throws Exception {
        Path home = Lab.home();
        for (String n : NODES) {
            ssh(n, "systemctl stop kubelet 2>/dev/null; rm -rf /var/lib/kubelet-double /var/lib/kubelet; mkdir -p /var/lib/kubelet; "
                    + "cp /etc/environment /etc/environment.cluster-test 2>/dev/null; "
                    + put(home.resolve("lab/kubelet-double/kubelet-double"), "/usr/local/bin/kubelet-double") + "; "
                    + put(home.resolve("lab/kubelet-double/kubelet.service"), "/etc/systemd/system/kubelet.service") + "; "
                    + "systemctl daemon-reload && systemctl start kubelet");
            assertEquals("active", ssh(n, "systemctl is-active kubelet"), n);
        }
    }

    @AfterAll
    static void removeKubeletDoubles() throws Exception {
        for (String n : NODES) {
            ssh(n, "systemctl stop kubelet; rm -f /etc/systemd/system/kubelet.service /usr/local/bin/kubelet-double /etc/default/kubelet; "
                    + "rm -rf /var/lib/kubelet /var/lib/kubelet-double; systemctl daemon-reload; "
                    + "if [ -f /etc/environment.cluster-test ]; then mv /etc/environment.cluster-test /etc/environment; "
                    + "else rm -f /etc/environment; fi");
        }
    }

    @Test
    void siteTagsClusterConvergesAndASecondRunAndCheckChangeNothing(@TempDir Path dir) throws Exception {
        try (KubeApiDouble api = new KubeApiDouble(); KubernetesClient client = client(api, dir);
             var rook = new ScriptedRookOperator(client, 1000, new Health("HEALTH_OK", List.of()));
             var kubevirt = ScriptedKubeVirtOperator.deploying(client, 1000, 100)) {
            nodes(client);
            String[] args = args(api, dir);
            Lab.Run first = Lab.play(dir, args);
            assertEquals(ExitCode.OK, first.exitCode(), first.console());
            for (String n : NODES) {
                assertTrue(first.recap(n).path("changed").asInt() > 0, n + " was configured: " + first.console());
                assertTrue(ssh(n, "grep ^KUBELET_EXTRA_ARGS= /etc/default/kubelet").contains("--cpu-manager-policy=static"), n);
                assertEquals("yes", client.nodes().withName(n).get().getMetadata().getLabels().get("HAS-SETUP-CEPH-STORAGE"), n);
            }
            assertNotNull(client.genericKubernetesResources(CEPH_CLUSTER).inNamespace("rook-ceph").withName("rook-ceph").get());
            assertNotNull(client.storage().v1().storageClasses().withName("rook-ceph-block").get());
            assertEquals("Deployed", String.valueOf(((Map<?, ?>) client.genericKubernetesResources(KUBEVIRT).inNamespace("kubevirt")
                    .withName("kubevirt").get().getAdditionalProperties().get("status")).get("phase")));

            Map<String, String> converged = api.snapshot();
            for (String mode : List.of("second run", "--check")) {
                Lab.Run r = Lab.play(dir, mode.equals("--check") ? Lab.plus(args, "--check") : args);
                assertEquals(ExitCode.OK, r.exitCode(), mode + ": " + r.console());
                for (String n : NODES) {
                    assertEquals(0, r.recap(n).path("changed").asInt(), mode + " on " + n + ": " + r.console());
                }
                assertEquals(converged, api.snapshot(), mode + " stored something in the API");
            }
        }
    }

    @Test
    void anUnhealthyCephStopsTheLayerAtRooksGateAndKubeVirtIsNeverApplied(@TempDir Path dir) throws Exception {
        try (KubeApiDouble api = new KubeApiDouble(); KubernetesClient client = client(api, dir);
             var rook = new ScriptedRookOperator(client, 500, new Health("HEALTH_WARN", List.of("OSD_DOWN")));
             var kubevirt = ScriptedKubeVirtOperator.deploying(client, 500, 100)) {
            nodes(client);
            Lab.Run r = Lab.play(dir, Lab.plus(args(api, dir), "-e", "{\"rook_ceph_health_timeout\": 4, \"rook_ceph_health_poll_interval\": 1}"));
            assertEquals(ExitCode.TASK_FAILED, r.exitCode(), r.console());
            assertTrue(r.console().contains("HEALTH_WARN") && r.console().contains("OSD_DOWN"), r.console());
            assertNull(client.genericKubernetesResources(KUBEVIRT).inNamespace("kubevirt").withName("kubevirt").get(),
                    "KubeVirt was applied after a red Ceph gate");
            assertNull(client.storage().v1().storageClasses().withName("rook-ceph-block").get(),
                    "the StorageClass after the gate was applied");
            assertEquals(1, r.recap("node1").path("failed").asInt(), "the gate ran once, on the play's first host: " + r.console());
        }
    }

    private static String[] args(KubeApiDouble api, Path dir) throws Exception {
        Path home = Lab.home();
        return new String[] {"-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/site.yaml").toString(), "--tags", "cluster", "-e",
                "{\"k8s_kubeconfig\": \"" + api.kubeconfig(dir) + "\", \"rook_ceph_osd_devices\": [\"/dev/disk/by-id/lab-osd\"],"
                        + " \"kubevirt_feature_gates\": [\"CPUManager\", \"LiveMigration\"]}"};
    }

    private static KubernetesClient client(KubeApiDouble api, Path dir) throws Exception {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(api.kubeconfig(dir)))).build();
    }

    /** The lab hosts as kubelet registers them: a Node each, reporting the host's hugepages. */
    static void nodes(KubernetesClient client) throws Exception {
        for (String n : NODES) {
            Map<String, Quantity> capacity = new LinkedHashMap<>();
            for (String l : ssh(n, "for d in /sys/kernel/mm/hugepages/hugepages-*kB; do echo $(basename $d | tr -dc 0-9) $(cat $d/nr_hugepages); done")
                    .lines().toList()) {
                long kb = Long.parseLong(l.split(" ")[0]);
                long pages = Long.parseLong(l.split(" ")[1]);
                String name = kb % 1048576 == 0 ? (kb / 1048576) + "Gi" : (kb / 1024) + "Mi";
                capacity.put("hugepages-" + name, new Quantity(kb * pages / 1024 + "Mi"));
            }
            capacity.put("cpu", new Quantity("2"));
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(n)
                    .withLabels(Map.of("kubernetes.io/hostname", n)).endMetadata()
                    .withNewStatus().withCapacity(capacity).endStatus().build()).create();
        }
    }

    private static ResourceDefinitionContext context(String group, String version, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withPlural(plural)
                .withNamespaced(true).build();
    }

    private static String put(Path file, String dest) throws java.io.IOException {
        return "printf %s " + Base64.getEncoder().encodeToString(Files.readAllBytes(file)) + " | base64 -d > " + dest;
    }

    private static String ssh(String node, String command) throws Exception {
        return Lab.ssh(node, command);
    }
}
