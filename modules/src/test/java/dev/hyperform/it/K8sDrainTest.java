package dev.hyperform.it;

import static dev.hyperform.it.KubeDoublePlay.log;
import static dev.hyperform.it.KubeDoublePlay.message;
import static dev.hyperform.it.KubeDoublePlay.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code k8s_drain} against the DECLARED Kubernetes API double: check lists exactly the evictions and changes
 * nothing, drain cordons and evicts through the Eviction API (DaemonSet pods stay, emptyDir needs consent, a
 * PodDisruptionBudget refusal ends in a timeout naming the pod), a second run is ok, uncordon undoes the cordon.
 */
class K8sDrainTest {
    private static final String CLUSTER = """
            - name: cluster
              k8s:
                definition:
                - {apiVersion: v1, kind: Node, metadata: {name: node1}}
                - {apiVersion: v1, kind: Node, metadata: {name: node2}}
                - {apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: web}, spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}}
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: web-a, labels: {app: web}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web, uid: u1, controller: true}]}
                  spec: {nodeName: node1, containers: [{name: c, image: web}]}
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: web-b, labels: {app: web}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web, uid: u1, controller: true}]}
                  spec: {nodeName: node2, containers: [{name: c, image: web}]}
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: agent-x, ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: agent, uid: u2, controller: true}]}
                  spec: {nodeName: node1, containers: [{name: c, image: agent}]}
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: cache, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: cache, uid: u3, controller: true}]}
                  spec: {nodeName: node1, containers: [{name: c, image: cache}], volumes: [{name: tmp, emptyDir: {}}]}
            """;

    @Test
    void drainEvictsExactlyWhatCheckListedHonoursBudgetsAndUncordonUndoesIt(@TempDir Path dir) throws Exception {
        try (KubeDoublePlay k = new KubeDoublePlay(dir)) {
            assertEquals(ExitCode.OK, k.play(CLUSTER).exitCode());
            Map<String, String> before = k.api.snapshot();
            Lab.Run refused = k.play("- name: drain\n  k8s_drain: {name: node1}\n", "--check");
            assertEquals(ExitCode.TASK_FAILED, refused.exitCode(), refused.console());
            assertTrue(message(refused, "drain").contains("default/cache (has emptyDir data"), refused.console());

            String drain = "- name: drain\n  k8s_drain: {name: node1, delete_emptydir_data: true, timeout: 10}\n";
            Lab.Run check = k.play(drain, "--check");
            assertEquals("changed", status(check, "drain"), check.console());
            assertEquals(before, k.api.snapshot(), "--check changed the cluster");
            List<String> planned = log(check, "drain").stream().filter(s -> s.startsWith("planned")).toList();
            assertEquals(List.of("planned api api patch v1 Node node1 (spec.unschedulable: true)",
                    "planned api api evict v1 Pod default/web-a (Eviction API)",
                    "planned api api evict v1 Pod default/cache (Eviction API)"), planned);

            Lab.Run real = k.play(drain);
            assertEquals(ExitCode.OK, real.exitCode(), real.console());
            assertEquals(planned.stream().map(s -> s.replaceFirst("^planned", "run")).toList(),
                    log(real, "drain").stream().filter(s -> s.startsWith("run")).toList());
            assertEquals("[\"default/web-a\",\"default/cache\"]", real.results("drain").get(0).path("result").path("evicted").toString());
            assertNull(k.get("", "v1", "pods", "default", "web-a"));
            assertNull(k.get("", "v1", "pods", "default", "cache"));
            assertNotNull(k.get("", "v1", "pods", "default", "agent-x"), "DaemonSet pods stay");
            assertEquals(true, ((Map<?, ?>) k.get("", "v1", "nodes", null, "node1").getAdditionalProperties().get("spec")).get("unschedulable"));
            assertEquals("ok", status(k.play(drain), "drain"));

            Lab.Run blocked = k.play("- name: drain2\n  k8s_drain: {name: node2, timeout: 2}\n");
            assertEquals(ExitCode.TASK_FAILED, blocked.exitCode(), blocked.console());
            assertTrue(message(blocked, "drain2").contains("default/web-b was not evicted within 2 s")
                    && message(blocked, "drain2").contains("PodDisruptionBudget"), blocked.console());
            assertNotNull(k.get("", "v1", "pods", "default", "web-b"), "the budget kept web-b");

            String uncordon = "- name: uncordon\n  k8s_drain: {name: node1, state: uncordon}\n";
            assertEquals("changed", status(k.play(uncordon), "uncordon"));
            assertNull(((Map<?, ?>) k.get("", "v1", "nodes", null, "node1").getAdditionalProperties().getOrDefault("spec", Map.of())).get("unschedulable"));
            assertEquals("ok", status(k.play(uncordon), "uncordon"));
        }
    }
}
