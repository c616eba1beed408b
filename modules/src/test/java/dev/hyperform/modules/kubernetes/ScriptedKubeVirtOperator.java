package dev.hyperform.modules.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;

/**
 * A scripted stand-in for virt-operator, part of the DECLARED Kubernetes API double: it watches KubeVirt CRs and,
 * as KubeVirt 0.58 does, moves each through {@code status.phase} Deploying to Deployed, setting the condition
 * {@code Available=True} when deployed (names from KubeVirt 0.58; the double deploys nothing).
 */
public final class ScriptedKubeVirtOperator implements AutoCloseable {
    private static final ResourceDefinitionContext KUBEVIRT = new ResourceDefinitionContext.Builder()
            .withGroup("kubevirt.io").withVersion("v1").withKind("KubeVirt").withPlural("kubevirts").withNamespaced(true).build();
    private final Watch watch;

    public ScriptedKubeVirtOperator(KubernetesClient client, long deployMillis) {
        watch = client.genericKubernetesResources(KUBEVIRT).inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource kv) {
                if (action != Action.ADDED) {
                    return;
                }
                Thread t = new Thread(() -> deploy(client, kv, deployMillis), "scripted-virt-operator");
                t.setDaemon(true);
                t.start();
            }

            @Override
            public void onClose(WatcherException cause) {
                // the test ended
            }
        });
    }

    private static void deploy(KubernetesClient client, GenericKubernetesResource kv, long deployMillis) {
        var r = client.genericKubernetesResources(KUBEVIRT).inNamespace(kv.getMetadata().getNamespace())
                .withName(kv.getMetadata().getName());
        r.edit(o -> {
            o.setAdditionalProperty("status", Map.of("phase", "Deploying"));
            return o;
        });
        try {
            Thread.sleep(deployMillis);
        } catch (InterruptedException e) {
            return;
        }
        r.edit(o -> {
            o.setAdditionalProperty("status", Map.of("phase", "Deployed", "conditions", List.of(
                    Map.of("type", "Available", "status", "True", "reason", "AllComponentsReady"),
                    Map.of("type", "Progressing", "status", "False", "reason", "AllComponentsReady"),
                    Map.of("type", "Degraded", "status", "False", "reason", "AllComponentsReady"))));
            return o;
        });
    }

    @Override
    public void close() {
        watch.close();
    }
}
