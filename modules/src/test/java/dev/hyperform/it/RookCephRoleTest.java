package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperform.error.ExitCode;
import dev.hyperform.modules.kubernetes.ScriptedRookOperator;
import dev.hyperform.modules.kubernetes.ScriptedRookOperator.Health;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rook_ceph role ({@code playbooks/cluster.yaml --tags rook_ceph}) against the DECLARED Kubernetes API double,
 * with {@link ScriptedRookOperator} playing rook's status updates: the role converges, a second run and
 * {@code --check} change nothing, and the health gate passes only on HEALTH_OK or a HEALTH_WARN whose every check is
 * accepted; otherwise the play fails at the gate naming what it saw, and nothing after the gate is applied.
 */
class RookCephRoleTest {
    private static final String GATE = "rook_ceph : Ceph health gate";
    private KubeDoublePlay k;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        k = new KubeDoublePlay(dir);
    }

    @AfterEach
    void stop() {
        k.close();
    }

    private String[] run(String vars, String... more) throws Exception {
        return runWith("k8s_kubeconfig=" + k.kubeconfig + "\n" + vars, more);
    }

    /** Three local HCI hosts; node3 has two OSD devices; {@code vars} go to [hci:vars]. */
    private String[] runWith(String vars, String... more) throws Exception {
        Path inventory = Lab.write(k.dir, "hci-" + System.nanoTime(), """
                [hci]
                node1 ansible_connection=local rook_ceph_osd_devices='["nvme0n1"]'
                node2 ansible_connection=local rook_ceph_osd_devices='["nvme0n1"]' rook_ceph_node_name=k8s-node2
                node3 ansible_connection=local rook_ceph_osd_devices='["nvme0n1", "/dev/disk/by-id/nvme-disk2"]'
                [hci:vars]
                rook_ceph_health_timeout=4
                rook_ceph_health_poll_interval=1
                %s
                """.formatted(vars));
        return Lab.plus(new String[] {"-i", inventory.toString(), Lab.home().resolve("playbooks/cluster.yaml").toString(),
                "--tags", "rook_ceph"}, more);
    }

    private GenericKubernetesResource rook(String plural, String name) {
        return k.get("ceph.rook.io", "v1", plural, "rook-ceph", name);
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(GenericKubernetesResource r, String... path) {
        Object o = r.getAdditionalProperties();
        for (String p : path) {
            o = o instanceof List<?> l ? l.get(Integer.parseInt(p)) : ((Map<String, Object>) o).get(p);
        }
        return (T) o;
    }

    private static long changed(Lab.Run r) {
        return r.events().stream().filter(e -> e.path("event").asText().equals("host_result")
                && e.path("status").asText().equals("changed")).count();
    }

    @Test
    void convergesAndASecondRunAndCheckChangeNothing() throws Exception {
        try (var operator = new ScriptedRookOperator(k.client, 1000, new Health("HEALTH_OK", List.of()))) {
            Map<String, String> empty = k.api.snapshot();
            Lab.Run fresh = Lab.play(k.dir, run("", "--check"));
            assertEquals(ExitCode.OK, fresh.exitCode(), fresh.console());
            assertEquals("changed", KubeDoublePlay.status(fresh, "rook_ceph : rook CRDs (upstream v1.10.10)"), fresh.console());
            for (String after : List.of("rook operator (settings and Deployment)", "Ceph health gate", "toolbox (rook-ceph-tools)")) {
                assertEquals("skipped", KubeDoublePlay.status(fresh, "rook_ceph : " + after),
                        "a real API server cannot dry-run what needs the CRDs and the namespace first: " + after);
            }
            assertEquals(empty, k.api.snapshot(), "--check on a fresh cluster stored nothing");

            Lab.Run first = Lab.play(k.dir, run(""));
            assertEquals(ExitCode.OK, first.exitCode(), first.console());
            GenericKubernetesResource cluster = rook("cephclusters", "rook-ceph");
            assertEquals(3, (int) at(cluster, "spec", "mon", "count"));
            assertEquals(2, (int) at(cluster, "spec", "mgr", "count"));
            assertEquals(false, at(cluster, "spec", "storage", "useAllNodes"));
            assertEquals(List.of(Map.of("name", "node1", "devices", List.of(Map.of("name", "nvme0n1"))),
                    Map.of("name", "k8s-node2", "devices", List.of(Map.of("name", "nvme0n1"))),
                    Map.of("name", "node3", "devices", List.of(Map.of("name", "nvme0n1"), Map.of("name", "/dev/disk/by-id/nvme-disk2")))),
                    at(cluster, "spec", "storage", "nodes"));
            assertEquals(Map.of("key", "HAS-SETUP-CEPH-STORAGE", "operator", "In", "values", List.of("yes")), at(cluster, "spec",
                    "placement", "all", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms", "0",
                    "matchExpressions", "0"));
            assertEquals("quay.io/ceph/ceph:v17.2.5", at(cluster, "spec", "cephVersion", "image"));
            String config = at(k.get("", "v1", "configmaps", "rook-ceph", "rook-config-override"), "data", "config");
            assertTrue(config.contains("[global]\nbluefs_buffered_io = false\n") && config.contains("debug_osd = 0/0")
                    && config.contains("[osd]\nosd_memory_target = 8589934592"), config);
            GenericKubernetesResource pool = rook("cephblockpools", "replicapool");
            assertEquals(2, (int) at(pool, "spec", "replicated", "size"));
            assertEquals("host", at(pool, "spec", "failureDomain"));
            GenericKubernetesResource sc = k.get("storage.k8s.io", "v1", "storageclasses", null, "rook-ceph-block");
            assertEquals("rook-ceph.rbd.csi.ceph.com", at(sc, "provisioner"));
            assertEquals(Map.of("clusterID", "rook-ceph", "pool", "replicapool"), Map.of("clusterID", at(sc, "parameters", "clusterID"),
                    "pool", at(sc, "parameters", "pool")));
            assertEquals("docker.io/rook/ceph:v1.10.10", at(k.get("apps", "v1", "deployments", "rook-ceph", "rook-ceph-operator"),
                    "spec", "template", "spec", "containers", "0", "image"));
            assertNotNull(k.get("apps", "v1", "deployments", "rook-ceph", "rook-ceph-tools"), "the toolbox");
            assertNotNull(k.get("apiextensions.k8s.io", "v1", "customresourcedefinitions", null, "cephclusters.ceph.rook.io"));
            assertNotNull(k.get("rbac.authorization.k8s.io", "v1", "clusterroles", null, "rook-ceph-system"), "common.yaml");

            Map<String, String> converged = k.api.snapshot();
            Lab.Run again = Lab.play(k.dir, run(""));
            assertEquals(ExitCode.OK, again.exitCode(), again.console());
            assertEquals(0, changed(again), again.console());
            assertEquals(converged, k.api.snapshot(), "a second run stored nothing");
            Lab.Run check = Lab.play(k.dir, run("", "--check"));
            assertEquals(ExitCode.OK, check.exitCode(), check.console());
            assertEquals(0, changed(check), check.console());
            assertEquals(converged, k.api.snapshot(), "--check stored nothing");
        }
    }

    static Stream<Arguments> gate() {
        return Stream.of(
                Arguments.of("HEALTH_OK", List.of(), "", true),
                Arguments.of("HEALTH_WARN", List.of("MON_CLOCK_SKEW"), "rook_ceph_health_accepted_checks=[\"MON_CLOCK_SKEW\"]", true),
                Arguments.of("HEALTH_WARN", List.of("MON_CLOCK_SKEW", "OSD_DOWN"), "rook_ceph_health_accepted_checks=[\"MON_CLOCK_SKEW\"]", false),
                Arguments.of("HEALTH_WARN", List.of("MON_CLOCK_SKEW"), "", false),
                Arguments.of("HEALTH_ERR", List.of("MON_DOWN"), "rook_ceph_health_accepted_checks=[\"MON_DOWN\"]", false),
                Arguments.of(null, List.of(), "", false));
    }

    @ParameterizedTest(name = "{0} {1} accepted by [{2}]: passes {3}")
    @MethodSource
    void gate(String health, List<String> checks, String vars, boolean passes) throws Exception {
        try (var operator = new ScriptedRookOperator(k.client, 500, health == null ? null : new Health(health, checks))) {
            Lab.Run r = Lab.play(k.dir, run(vars));
            if (passes) {
                assertEquals(ExitCode.OK, r.exitCode(), r.console());
                assertNotNull(rook("cephblockpools", "replicapool"), "the pool after the gate");
                return;
            }
            assertEquals(ExitCode.TASK_FAILED, r.exitCode(), r.console());
            JsonNode failed = r.results(GATE).get(0);
            assertEquals("failed", failed.path("status").asText(), r.console());
            String msg = failed.path("message").asText();
            assertTrue(msg.contains("health " + (health == null ? "not reported" : health)) && msg.contains("after 4 s"), msg);
            for (String c : checks) {
                assertTrue(msg.contains(c), msg);
            }
            assertNotNull(rook("cephclusters", "rook-ceph"), "the CephCluster before the gate");
            assertNull(rook("cephblockpools", "replicapool"), "nothing after the gate: the pool");
            assertNull(k.get("storage.k8s.io", "v1", "storageclasses", null, "rook-ceph-block"), "nothing after the gate: the StorageClass");
            assertNull(k.get("apps", "v1", "deployments", "rook-ceph", "rook-ceph-tools"), "nothing after the gate: the toolbox");
        }
    }

    @Test
    void withoutAKubernetesApiConfiguredTheRoleIsSkippedAndAsksNothing() throws Exception {
        Lab.Run r = Lab.play(k.dir, runWith(""));
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        assertEquals("skipped", KubeDoublePlay.status(r, "rook_ceph : rook CRDs (upstream v1.10.10)"), r.console());
        assertEquals(0, k.api.count("ALL"), "no request reached the API");
    }

    @Test
    void anAirGappedSitesRegistryAndTagsReachEveryImage() throws Exception {
        try (var operator = new ScriptedRookOperator(k.client, 200, new Health("HEALTH_OK", List.of()))) {
            Lab.Run r = Lab.play(k.dir, run("rook_ceph_image_registry=mirror.example:5000\nrook_ceph_ceph_tag=v17.2.6"));
            assertEquals(ExitCode.OK, r.exitCode(), r.console());
            assertEquals("mirror.example:5000/rook/ceph:v1.10.10", at(k.get("apps", "v1", "deployments", "rook-ceph", "rook-ceph-operator"),
                    "spec", "template", "spec", "containers", "0", "image"));
            assertEquals("mirror.example:5000/ceph/ceph:v17.2.6", at(rook("cephclusters", "rook-ceph"), "spec", "cephVersion", "image"));
            assertEquals("mirror.example:5000/ceph/ceph:v17.2.6", at(k.get("apps", "v1", "deployments", "rook-ceph", "rook-ceph-tools"),
                    "spec", "template", "spec", "containers", "0", "image"));
            Map<String, String> data = at(k.get("", "v1", "configmaps", "rook-ceph", "rook-ceph-operator-config"), "data");
            assertEquals("mirror.example:5000/cephcsi/cephcsi:v3.7.2", data.get("ROOK_CSI_CEPH_IMAGE"));
            assertEquals("mirror.example:5000/sig-storage/csi-provisioner:v3.4.0", data.get("ROOK_CSI_PROVISIONER_IMAGE"));
            assertTrue(data.entrySet().stream().filter(e -> e.getKey().endsWith("_IMAGE"))
                    .allMatch(e -> e.getValue().startsWith("mirror.example:5000/")), data.toString());
        }
    }
}
