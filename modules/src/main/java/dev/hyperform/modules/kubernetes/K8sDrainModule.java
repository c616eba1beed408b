package dev.hyperform.modules.kubernetes;

import dev.hyperform.module.ApiCall;
import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Diff;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Operation;
import dev.hyperform.module.Target;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code k8s_drain}: cordon, drain or uncordon a node. Drain cordons it and evicts its pods through the Eviction
 * API, so PodDisruptionBudgets are honoured (a refused eviction is retried until {@code timeout}) and KubeVirt VMIs
 * with {@code evictionStrategy: LiveMigrate} migrate; DaemonSet and mirror pods stay; pods with emptyDir data are
 * evicted only with {@code delete_emptydir_data}, pods no controller owns only with {@code force}. Check mode lists
 * exactly the pods a real run evicts; the result names them ({@code evicted}).
 */
public final class K8sDrainModule implements Module {

    @Override
    public String name() {
        return "k8s_drain";
    }

    @Override
    public List<String> aliases() {
        return List.of("kubernetes.core.k8s_drain");
    }

    @Override
    public ArgSpec spec() {
        ArgSpec.Builder b = ArgSpec.builder("Cordon, drain (evictions that honour PodDisruptionBudgets) or uncordon a Kubernetes node")
                .arg(ArgDef.required("name", ArgType.STRING, "the node's name"))
                .arg(ArgDef.optional("state", ArgType.STRING, "drain", "cordon | drain | uncordon"))
                .arg(ArgDef.optional("timeout", ArgType.INT, 300, "drain: seconds for all evictions to succeed and the pods to be gone"))
                .arg(ArgDef.optional("delete_emptydir_data", ArgType.BOOL, false, "drain: evict pods with emptyDir volumes (their data is lost)"))
                .arg(ArgDef.optional("ignore_daemonsets", ArgType.BOOL, true, "drain: leave DaemonSet pods (false: fail when there are any)"))
                .arg(ArgDef.optional("force", ArgType.BOOL, false, "drain: also evict pods that no controller owns (they are not recreated)"));
        KubeArgs.common(b);
        return b.example("""
                k8s_drain:
                  name: node2
                  state: drain
                  delete_emptydir_data: true
                  timeout: 600""").build();
    }

    @Override
    public Change plan(Target target, Args args) {
        String state = args.string("state");
        if (!List.of("cordon", "drain", "uncordon").contains(state)) {
            throw KubeErrors.invalid("state must be cordon, drain or uncordon, not '" + state + "'", "see: hyperform doc k8s_drain");
        }
        String node = args.string("name");
        KubeConnection conn = KubeConnection.of(target, args);
        KubernetesClient client = conn.client(target);
        Node n = target.probeApi("get Node " + node, () -> {
            try {
                return client.nodes().withName(node).get();
            } catch (KubernetesClientException e) {
                throw KubeErrors.of(e, "get", "nodes", null, target, conn);
            }
        });
        if (n == null) {
            throw new ModuleException("no node named " + node + " in the cluster", "check the name: kubectl get nodes");
        }
        boolean cordoned = n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
        boolean wantCordoned = !state.equals("uncordon");
        List<Operation> ops = new ArrayList<>();
        if (cordoned != wantCordoned) {
            ops.add(ApiCall.of("patch", "v1 Node " + node, () -> {
                try {
                    client.nodes().withName(node).patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                            "{\"spec\":{\"unschedulable\":" + (wantCordoned ? "true" : "null") + "}}");
                } catch (KubernetesClientException e) {
                    throw KubeErrors.of(e, "patch", "nodes", null, target, conn);
                }
                return wantCordoned ? "cordoned" : "uncordoned";
            }).detailed("spec.unschedulable: " + wantCordoned));
        }
        List<String> evicted = new ArrayList<>();
        if (state.equals("drain")) {
            List<Pod> pods = target.probeApi("list Pods on " + node, () -> client.pods().inAnyNamespace()
                    .withField("spec.nodeName", node).list().getItems());
            List<String> refused = new ArrayList<>();
            for (Pod p : pods) {
                String ref = p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
                String why = skip(p, args);
                if (why == null) {
                    continue;
                }
                if (!why.isEmpty()) {
                    refused.add(ref + " (" + why + ")");
                    continue;
                }
                evicted.add(ref);
                ops.add(ApiCall.of("evict", "v1 Pod " + ref, () -> evict(client, p, args.integer("timeout"), target, conn))
                        .detailed("Eviction API"));
            }
            if (!refused.isEmpty()) {
                throw new ModuleException("cannot drain " + node + ": " + String.join(", ", refused),
                        "set delete_emptydir_data / force as the pods allow, or move them first; nothing was changed");
            }
        }
        Map<String, Object> values = Map.of("node", node, "evicted", evicted, "cordoned", wantCordoned);
        if (ops.isEmpty()) {
            return Change.none(node + (wantCordoned ? " is cordoned" : " is schedulable")
                    + (state.equals("drain") ? ", no pods to evict" : "")).withValues(values);
        }
        String summary = state + " " + node + (evicted.isEmpty() ? "" : ": evict " + String.join(", ", evicted));
        return Change.of(summary, ops).withValues(values).withDiff(Diff.attributes("node " + node,
                Map.of("unschedulable", new String[] {String.valueOf(cordoned), String.valueOf(wantCordoned)})));
    }

    /** null: leave the pod; "": evict it; otherwise why it blocks the drain. */
    private static String skip(Pod p, Args args) {
        Map<String, String> ann = p.getMetadata().getAnnotations() == null ? Map.of() : p.getMetadata().getAnnotations();
        if (ann.containsKey("kubernetes.io/config.mirror")) {
            return null;
        }
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return null;
        }
        List<OwnerReference> owners = p.getMetadata().getOwnerReferences() == null ? List.of() : p.getMetadata().getOwnerReferences();
        boolean daemon = owners.stream().anyMatch(o -> "DaemonSet".equals(o.getKind()));
        if (daemon) {
            return args.bool("ignore_daemonsets") ? null : "a DaemonSet pod";
        }
        boolean emptyDir = p.getSpec() != null && p.getSpec().getVolumes() != null
                && p.getSpec().getVolumes().stream().anyMatch(v -> v.getEmptyDir() != null);
        if (emptyDir && !args.bool("delete_emptydir_data")) {
            return "has emptyDir data; delete_emptydir_data: true evicts it";
        }
        boolean controlled = owners.stream().anyMatch(o -> Boolean.TRUE.equals(o.getController()));
        if (!controlled && !args.bool("force")) {
            return "no controller owns it; force: true evicts it for good";
        }
        return "";
    }

    /**
     * One eviction: true when accepted or when the pod is already gone. A pod can vanish between two tries: KubeVirt
     * refuses (429) the eviction of a LiveMigrate VMI's virt-launcher pod, live-migrates the VMI and then removes the
     * pod itself, so the next try finds none (404), which is the drain's goal, not an error.
     */
    private static boolean evicted(KubernetesClient client, String ns, String name) {
        try {
            return client.pods().inNamespace(ns).withName(name).evict();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return true;
            }
            throw e;
        }
    }

    /** Evict through the Eviction API; a PodDisruptionBudget refusal (429) is retried until the timeout. */
    private static String evict(KubernetesClient client, Pod p, long timeoutSeconds, Target target, KubeConnection conn) {
        String ns = p.getMetadata().getNamespace();
        String name = p.getMetadata().getName();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try {
            while (!evicted(client, ns, name)) {
                if (System.nanoTime() > deadline) {
                    throw new ModuleException("pod " + ns + "/" + name + " was not evicted within " + timeoutSeconds
                            + " s: a PodDisruptionBudget does not allow it (or, for a KubeVirt virt-launcher pod, its VMI's "
                            + "live migration did not end)", "raise timeout, or scale the workload so its budget allows a "
                            + "disruption; for a VMI, look at its VirtualMachineInstanceMigration");
                }
                Thread.sleep(1000);
            }
            client.pods().inNamespace(ns).withName(name).waitUntilCondition(x -> x == null,
                    Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime())), TimeUnit.SECONDS);
        } catch (io.fabric8.kubernetes.client.KubernetesClientTimeoutException | IllegalStateException e) {
            throw new ModuleException("pod " + ns + "/" + name + " still exists " + timeoutSeconds + " s after its eviction",
                    "look at its finalizers and termination grace period");
        } catch (KubernetesClientException e) {
            throw KubeErrors.of(e, "evict", "pods", ns, target, conn);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModuleException("interrupted while evicting " + ns + "/" + name, null);
        }
        return "evicted";
    }
}
