package dev.hyperform.modules.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scripted stand-in for rook's operator, part of the DECLARED Kubernetes API double: it watches CephClusters and,
 * as rook v1.10 does, sets {@code status.phase} Progressing, then after {@code reportMillis} reports the scripted
 * Ceph health in {@code status.ceph} ({@code health}, and {@code details}: check name to message and severity, the
 * shape of rook's CephStatus). A {@link Health} of {@code null} never reports health (a cluster that does not come
 * up). The double runs no Ceph: the health is the test's script, not a measurement.
 */
public final class ScriptedRookOperator implements AutoCloseable {
    private static final ResourceDefinitionContext CEPH_CLUSTER = new ResourceDefinitionContext.Builder()
            .withGroup("ceph.rook.io").withVersion("v1").withKind("CephCluster").withPlural("cephclusters").withNamespaced(true).build();
    private final Watch watch;

    /** The health to report: {@code HEALTH_OK}, {@code HEALTH_WARN} or {@code HEALTH_ERR}, and the checks Ceph lists. */
    public record Health(String health, List<String> checks) {
    }

    public ScriptedRookOperator(KubernetesClient client, long reportMillis, Health script) {
        watch = client.genericKubernetesResources(CEPH_CLUSTER).inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource cluster) {
                if (action != Action.ADDED) {
                    return;
                }
                Thread t = new Thread(() -> {
                    try {
                        report(client, cluster, reportMillis, script);
                    } catch (KubernetesClientException e) {
                        // the test ended and closed the client before the scripted report
                    }
                }, "scripted-rook-operator");
                t.setDaemon(true);
                t.start();
            }

            @Override
            public void onClose(WatcherException cause) {
                // the test ended
            }
        });
    }

    private static void report(KubernetesClient client, GenericKubernetesResource cluster, long reportMillis, Health script) {
        var r = client.genericKubernetesResources(CEPH_CLUSTER).inNamespace(cluster.getMetadata().getNamespace())
                .withName(cluster.getMetadata().getName());
        r.editStatus(o -> {
            o.setAdditionalProperty("status", Map.of("phase", "Progressing", "message", "Configuring the Ceph cluster"));
            return o;
        });
        if (script == null) {
            return;
        }
        try {
            Thread.sleep(reportMillis);
        } catch (InterruptedException e) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        for (String check : script.checks()) {
            details.put(check, Map.of("message", "scripted " + check, "severity", script.health()));
        }
        r.editStatus(o -> {
            o.setAdditionalProperty("status", Map.of("phase", "Ready", "state", "Created", "message", "Cluster created successfully",
                    "ceph", Map.of("health", script.health(), "details", details, "lastChecked", "2026-11-28T20:00:00Z")));
            return o;
        });
    }

    @Override
    public void close() {
        watch.close();
    }
}
