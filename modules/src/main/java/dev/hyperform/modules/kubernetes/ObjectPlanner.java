package dev.hyperform.modules.kubernetes;

import dev.hyperform.module.ApiCall;
import dev.hyperform.module.Args;
import dev.hyperform.module.Target;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Plans one object at a time for {@code k8s}: reads it, asks the server for a dry run of the change, and returns
 * the API call a real run makes (or none). Kinds that a CustomResourceDefinition of the same task defines are
 * planned without a dry run (the server cannot answer for them yet) and marked as depending on the CRD.
 */
final class ObjectPlanner {
    static final String FIELD_MANAGER = "hyperform";
    private final Target target;
    private final KubernetesClient client;
    private final ApiKinds kinds;
    private final KubeConnection conn;
    private final Args args;
    private final Map<String, ApiKinds.Kind> pending = new HashMap<>();
    private final Map<Manifest, ApiKinds.Kind> resolved = new HashMap<>();
    private final java.util.Set<Manifest> awaitingCrd = new java.util.HashSet<>();

    ObjectPlanner(Target target, KubeConnection conn, ApiKinds kinds, Args args) {
        this.target = target;
        this.conn = conn;
        this.client = conn.client(target);
        this.kinds = kinds;
        this.args = args;
    }

    /** What one object needs: an outcome word, the call (null when none), and the managed fields before/after. */
    record Step(String outcome, ApiCall call, String before, String after, boolean dependsOnEarlier) {
    }

    /**
     * Every manifest with its kind known (served, or defined by a CRD among them) and its namespace set. An unknown
     * kind fails here, before anything is applied.
     */
    List<Manifest> resolve(List<Manifest> manifests) {
        for (Manifest m : manifests) {
            if (m.isCrd()) {
                crdKinds(m).forEach(k -> pending.put(k.apiVersion() + "/" + k.kind(), k));
            }
        }
        List<Manifest> out = new ArrayList<>();
        String defaultNs = args.optString("namespace").orElse("default");
        for (Manifest m : manifests) {
            ApiKinds.Kind k = kinds.find(target, m.apiVersion(), m.kind()).orElse(null);
            boolean notServedYet = false;
            if (k == null) {
                k = pending.get(m.apiVersion() + "/" + m.kind());
                notServedYet = k != null;
            }
            if (k == null) {
                k = kinds.require(target, m.apiVersion(), m.kind(), m.origin());
            }
            Manifest placed = k.namespaced() ? (m.namespace() == null ? m.inNamespace(defaultNs) : m)
                    : m;
            if (!k.namespaced() && m.namespace() != null) {
                throw KubeErrors.invalid(m.origin() + ": " + m.kind() + " is cluster-scoped but names namespace "
                        + m.namespace(), "remove metadata.namespace; nothing was applied");
            }
            resolved.put(placed, k);
            if (notServedYet) {
                awaitingCrd.add(placed);
            }
            out.add(placed);
        }
        return out;
    }

    /** Its kind is defined by a CRD of this task that the server did not serve when the task was planned. */
    private boolean isPending(Manifest m) {
        return awaitingCrd.contains(m);
    }

    private Resource<GenericKubernetesResource> resource(Manifest m) {
        ApiKinds.Kind k = resolved.get(m);
        var op = client.genericKubernetesResources(k.context());
        return k.namespaced() ? op.inNamespace(m.namespace()).resource(KubeObjects.generic(m.body()))
                : op.resource(KubeObjects.generic(m.body()));
    }

    private Map<String, Object> live(Manifest m) {
        if (isPending(m)) {
            return null;
        }
        return target.probeApi("get " + m.ref(), () -> {
            try {
                return KubeObjects.map(resource(m).get());
            } catch (KubernetesClientException e) {
                throw KubeErrors.of(e, "get", m.kind(), m.namespace(), target, conn);
            }
        });
    }

    Step present(Manifest m) {
        boolean force = args.bool("force_conflicts");
        Map<String, Object> live = live(m);
        if (ManagedFields.alreadyApplied(live, m.body(), FIELD_MANAGER)) {
            return new Step("unchanged", null, null, null, false);
        }
        Map<String, Object> shape = ManagedFields.shape(m.body(), live, FIELD_MANAGER);
        Map<String, Object> before = ManagedFields.view(live, shape);
        boolean dependsOnCrd = isPending(m);
        Map<String, Object> after;
        if (dependsOnCrd) {
            after = ManagedFields.view(m.body(), m.body());
        } else {
            Map<String, Object> dry = target.probeApi("apply --dry-run=server " + m.ref(), () -> ssa(m, force, true));
            after = ManagedFields.view(dry, shape);
        }
        if (before != null && ManagedFields.same(before, after)) {
            return new Step("unchanged", null, null, null, false);
        }
        String outcome = before == null ? "created" : "configured";
        ApiCall call = ApiCall.of("apply", ref(m), () -> {
            ssa(m, force, false);
            if (m.isCrd()) {
                Waits.established(args.integer("wait_timeout")).await(resource(m), m.ref());
            }
            return outcome;
        }).detailed("server-side, field manager " + FIELD_MANAGER + (force ? ", force conflicts" : ""));
        return new Step(outcome, call, ManagedFields.yaml(before), ManagedFields.yaml(after), dependsOnCrd);
    }

    Step absent(Manifest m) {
        Map<String, Object> live = live(m);
        if (live == null) {
            return new Step("absent", null, null, null, false);
        }
        DeletionPropagation policy = DeletionPropagation.valueOf(args.string("propagation_policy").toUpperCase());
        long timeout = args.integer("delete_timeout");
        ApiCall call = ApiCall.of("delete", ref(m), () -> {
            try {
                resource(m).withPropagationPolicy(policy).delete();
                resource(m).waitUntilCondition(r -> r == null, timeout, TimeUnit.SECONDS);
            } catch (io.fabric8.kubernetes.client.KubernetesClientTimeoutException | IllegalStateException e) {
                throw new dev.hyperform.module.ModuleException(m.ref() + " still exists " + timeout + " s after its deletion",
                        "look for finalizers on it; raise delete_timeout");
            } catch (KubernetesClientException e) {
                throw KubeErrors.of(e, "delete", m.kind(), m.namespace(), target, conn);
            }
            return "deleted";
        }).detailed("propagation " + policy);
        return new Step("deleted", call, ManagedFields.yaml(ManagedFields.view(live, m.body())), null, false);
    }

    Step patched(Manifest m) {
        Map<String, Object> live = live(m);
        if (live == null) {
            throw new dev.hyperform.module.ModuleException(m.origin() + ": cannot patch " + m.ref() + ": it does not exist",
                    "create it with state: present");
        }
        Map<String, Object> before = ManagedFields.view(live, m.body());
        Map<String, Object> dry = target.probeApi("patch --dry-run=server " + m.ref(), () -> mergePatch(m, true));
        Map<String, Object> after = ManagedFields.view(dry, m.body());
        if (ManagedFields.same(before, after)) {
            return new Step("unchanged", null, null, null, false);
        }
        ApiCall call = ApiCall.of("patch", ref(m), () -> {
            mergePatch(m, false);
            return "patched";
        }).detailed("merge patch");
        return new Step("patched", call, ManagedFields.yaml(before), ManagedFields.yaml(after), false);
    }

    private Map<String, Object> ssa(Manifest m, boolean force, boolean dryRun) {
        return patch(m, PatchType.SERVER_SIDE_APPLY, force, dryRun, "apply");
    }

    private Map<String, Object> mergePatch(Manifest m, boolean dryRun) {
        return patch(m, PatchType.JSON_MERGE, false, dryRun, "patch");
    }

    /** One PATCH of the manifest with field manager hyperform; {@code dryRun}: the server's answer, nothing stored. */
    private Map<String, Object> patch(Manifest m, PatchType type, boolean force, boolean dryRun, String verb) {
        PatchContext.Builder pc = new PatchContext.Builder().withPatchType(type).withFieldManager(FIELD_MANAGER);
        if (type == PatchType.SERVER_SIDE_APPLY) {
            pc.withForce(force);
        }
        if (dryRun) {
            pc.withDryRun(List.of("All"));
        }
        try {
            return KubeObjects.map(resource(m).patch(pc.build()));
        } catch (KubernetesClientException e) {
            throw KubeErrors.of(e, dryRun ? verb + " (dry run)" : verb, m.kind() + " " + m.name(), m.namespace(), target, conn);
        }
    }

    /**
     * Wait for the objects (after a real run's changes, or at once when nothing changed). A condition or field test
     * is about the workload objects: CRDs (already waited Established) and Namespaces only have to exist.
     */
    void await(List<Manifest> manifests, Waits waits) {
        for (Manifest m : manifests) {
            if ((m.isCrd() || m.isNamespace()) && !waits.describe().equals("exists")) {
                continue;
            }
            waits.await(resource(m), m.ref());
        }
    }

    private static String ref(Manifest m) {
        return m.apiVersion() + " " + m.ref();
    }

    /** The kinds a CRD manifest defines: every served version of its group. */
    private static List<ApiKinds.Kind> crdKinds(Manifest crd) {
        List<ApiKinds.Kind> out = new ArrayList<>();
        if (!(crd.body().get("spec") instanceof Map<?, ?> spec) || !(spec.get("names") instanceof Map<?, ?> names)) {
            return out;
        }
        String group = String.valueOf(spec.get("group"));
        String kind = String.valueOf(names.get("kind"));
        String plural = String.valueOf(names.get("plural"));
        boolean namespaced = !"Cluster".equals(spec.get("scope"));
        if (spec.get("versions") instanceof List<?> versions) {
            for (Object v : versions) {
                if (v instanceof Map<?, ?> vm && !Boolean.FALSE.equals(vm.get("served"))) {
                    out.add(new ApiKinds.Kind(group, String.valueOf(vm.get("name")), kind, plural, namespaced));
                }
            }
        }
        return out;
    }
}
