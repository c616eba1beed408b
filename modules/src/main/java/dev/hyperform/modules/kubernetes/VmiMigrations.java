package dev.hyperform.modules.kubernetes;

import dev.hyperform.module.ModuleException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Live migrations of KubeVirt VMIs through VirtualMachineInstanceMigrations (KubeVirt 0.58): created no faster than
 * the cluster allows (at most {@code perCluster} unfinished migrations in the cluster, and {@code perNode} leaving any
 * one node, counting migrations hyperform did not start), each followed through its phases with the time each was
 * first seen, and judged by the VMI itself: {@code status.migrationState} completed and not failed, and
 * {@code status.nodeName} its target node, no longer the source. A Failed migration ends with the VMI's and the
 * migration's reasons; one still unfinished after the timeout is deleted (KubeVirt aborts it) and ends with the phase
 * and migration state last seen. Migrations already started are followed to their end when another fails.
 */
final class VmiMigrations {
    static final ResourceDefinitionContext VMI = kubevirt("VirtualMachineInstance", "virtualmachineinstances");
    static final ResourceDefinitionContext VMIM = kubevirt("VirtualMachineInstanceMigration", "virtualmachineinstancemigrations");
    static final ResourceDefinitionContext KUBEVIRT = kubevirt("KubeVirt", "kubevirts");
    private static final Set<String> FINAL = Set.of("Succeeded", "Failed");

    /** A VMI to move: where it is now. */
    record Vmi(String namespace, String name, String node) {
        String ref() {
            return namespace + "/" + name;
        }
    }

    /** The cluster's limits (KubeVirt CR spec.configuration.migrations; 0.58's defaults 5 and 2). */
    record Limits(int perCluster, int perNode) {
    }

    /** One migration as it went: phases with when they were first seen, and its outcome. */
    static final class Migration {
        final Vmi vmi;
        final String name;
        final long started = System.nanoTime();
        final Map<String, String> phases = new LinkedHashMap<>();
        final Map<String, String> seen = new LinkedHashMap<>();
        String phase = "";
        String to = "";
        String failure;
        double seconds;
        Map<String, Object> lastState = Map.of();

        Migration(Vmi vmi, String name) {
            this.vmi = vmi;
            this.name = name;
        }

        Map<String, Object> result() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("vm", vmi.name());
            m.put("namespace", vmi.namespace());
            m.put("platform", "kubevirt");
            m.put("migration", name);
            m.put("from", vmi.node());
            m.put("to", to);
            m.put("seconds", seconds);
            m.put("phases", phases);
            m.put("failed", failure != null);
            if (failure != null) {
                m.put("reason", failure);
            }
            return m;
        }
    }

    private final KubernetesClient client;
    private final Limits limits;
    private final long timeoutNanos;
    private final long pollMillis;

    VmiMigrations(KubernetesClient client, Limits limits, long timeoutSeconds, long pollMillis) {
        this.client = client;
        this.limits = limits;
        this.timeoutNanos = timeoutSeconds * 1_000_000_000L;
        this.pollMillis = pollMillis;
    }

    /** The VMIM hyperform creates for a VMI, as YAML (validated against KubeVirt 0.58's schema before it is sent). */
    static String manifest(Vmi vmi, String name) {
        return """
                apiVersion: kubevirt.io/v1
                kind: VirtualMachineInstanceMigration
                metadata:
                  name: %s
                  namespace: %s
                  labels: {app.kubernetes.io/managed-by: hyperform}
                spec:
                  vmiName: %s
                """.formatted(name, vmi.namespace(), vmi.name());
    }

    static String nameFor(Vmi vmi) {
        String suffix = "-migration-" + Long.toString(System.currentTimeMillis(), 36);
        String base = vmi.name().length() + suffix.length() > 63 ? vmi.name().substring(0, 63 - suffix.length()) : vmi.name();
        return base + suffix;
    }

    /** Runs every migration; the results in order, each failed one with its reason. */
    List<Map<String, Object>> run(List<Vmi> vmis) {
        Deque<Vmi> pending = new ArrayDeque<>(vmis);
        List<Migration> active = new ArrayList<>();
        List<Migration> done = new ArrayList<>();
        boolean stop = false;
        while (!pending.isEmpty() && !stop || !active.isEmpty()) {
            if (!stop) {
                startWhatTheLimitsAllow(pending, active);
            }
            for (Migration m : new ArrayList<>(active)) {
                if (follow(m)) {
                    active.remove(m);
                    done.add(m);
                    stop |= m.failure != null;
                }
            }
            if (!active.isEmpty() || !pending.isEmpty() && !stop) {
                sleep();
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        done.forEach(m -> out.add(m.result()));
        pending.forEach(v -> out.add(Map.of("vm", v.name(), "namespace", v.namespace(), "platform", "kubevirt", "from", v.node(),
                "failed", true, "reason", "not started: an earlier migration failed")));
        return out;
    }

    private void startWhatTheLimitsAllow(Deque<Vmi> pending, List<Migration> active) {
        List<GenericKubernetesResource> unfinished = client.genericKubernetesResources(VMIM).inAnyNamespace().list().getItems().stream()
                .filter(m -> !FINAL.contains(String.valueOf(status(m).getOrDefault("phase", "")))).toList();
        int inCluster = unfinished.size();
        Map<String, Integer> outbound = new LinkedHashMap<>();
        for (GenericKubernetesResource m : unfinished) {
            Object vmiName = spec(m).get("vmiName");
            GenericKubernetesResource v = vmiName == null ? null
                    : client.genericKubernetesResources(VMI).inNamespace(m.getMetadata().getNamespace()).withName(String.valueOf(vmiName)).get();
            String node = v == null ? "" : String.valueOf(status(v).getOrDefault("nodeName", ""));
            outbound.merge(node, 1, Integer::sum);
        }
        List<Vmi> deferred = new ArrayList<>();
        while (!pending.isEmpty() && inCluster < limits.perCluster()) {
            Vmi v = pending.poll();
            if (outbound.getOrDefault(v.node(), 0) >= limits.perNode()) {
                deferred.add(v);
                continue;
            }
            String name = nameFor(v);
            List<ManifestValidator.Problem> problems = ManifestValidator.validate(manifest(v, name), "VirtualMachineInstanceMigration " + name);
            if (!problems.isEmpty()) {
                throw new ModuleException("the VirtualMachineInstanceMigration for " + v.ref() + " does not validate: " + problems, "report this as a hyperform bug");
            }
            GenericKubernetesResource m = new GenericKubernetesResource();
            m.setApiVersion("kubevirt.io/v1");
            m.setKind("VirtualMachineInstanceMigration");
            m.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(v.namespace())
                    .withLabels(Map.of("app.kubernetes.io/managed-by", "hyperform")).build());
            m.setAdditionalProperty("spec", Map.of("vmiName", v.name()));
            client.genericKubernetesResources(VMIM).inNamespace(v.namespace()).resource(m).create();
            active.add(new Migration(v, name));
            inCluster++;
            outbound.merge(v.node(), 1, Integer::sum);
        }
        for (int i = deferred.size() - 1; i >= 0; i--) {
            pending.addFirst(deferred.get(i));
        }
    }

    /** Reads the migration once; true when it has ended (succeeded, failed, or timed out and deleted). */
    private boolean follow(Migration m) {
        var vmims = client.genericKubernetesResources(VMIM).inNamespace(m.vmi.namespace());
        GenericKubernetesResource o = vmims.withName(m.name).get();
        GenericKubernetesResource vmi = client.genericKubernetesResources(VMI).inNamespace(m.vmi.namespace()).withName(m.vmi.name()).get();
        Map<String, Object> vs = vmi == null ? Map.of() : status(vmi);
        m.lastState = asMap(vs.get("migrationState"));
        if (o == null) {
            m.failure = "VirtualMachineInstanceMigration " + m.name + " disappeared (deleted by someone else?)";
            return end(m);
        }
        Map<String, Object> s = status(o);
        String phase = String.valueOf(s.getOrDefault("phase", ""));
        m.phase = phase;
        if (!phase.isEmpty()) {
            m.seen.putIfAbsent(phase, Instant.now().toString());
        }
        // the controller's own transition times where it gives them, then any phase only hyperform saw
        m.phases.clear();
        if (s.get("phaseTransitionTimestamps") instanceof List<?> l) {
            for (Object t : l) {
                Map<String, Object> e = asMap(t);
                if (e.get("phase") != null && e.get("phaseTransitionTimestamp") != null) {
                    m.phases.put(String.valueOf(e.get("phase")), String.valueOf(e.get("phaseTransitionTimestamp")));
                }
            }
        }
        m.seen.forEach(m.phases::putIfAbsent);
        if (phase.equals("Succeeded")) {
            String node = String.valueOf(vs.getOrDefault("nodeName", ""));
            String target = String.valueOf(m.lastState.getOrDefault("targetNode", ""));
            boolean completed = Boolean.TRUE.equals(m.lastState.get("completed")) && !Boolean.TRUE.equals(m.lastState.get("failed"));
            m.to = node;
            if (!completed || node.equals(m.vmi.node()) || !target.isEmpty() && !target.equals(node)) {
                m.failure = m.vmi.ref() + ": the migration says Succeeded, but the VMI runs on '" + node + "' (from " + m.vmi.node()
                        + ") with migrationState " + m.lastState;
            }
            return end(m);
        }
        if (phase.equals("Failed")) {
            m.failure = m.vmi.ref() + ": migration " + m.name + " Failed" + reasons(o, vmi);
            return end(m);
        }
        if (System.nanoTime() - m.started > timeoutNanos) {
            vmims.withName(m.name).delete();
            m.failure = m.vmi.ref() + ": migration " + m.name + " did not end within " + timeoutNanos / 1_000_000_000L
                    + " s; it was deleted (KubeVirt aborts it). Last seen: phase " + (phase.isEmpty() ? "(none yet)" : phase)
                    + ", phases " + m.phases + ", VMI on " + vs.getOrDefault("nodeName", "?") + ", migrationState " + m.lastState;
            return end(m);
        }
        return false;
    }

    private static boolean end(Migration m) {
        m.seconds = Math.round((System.nanoTime() - m.started) / 1e7) / 100.0;
        return true;
    }

    /** Why a migration failed: the VMI's migrationState and conditions, the migration's conditions. */
    private static String reasons(GenericKubernetesResource vmim, GenericKubernetesResource vmi) {
        List<String> why = new ArrayList<>();
        Map<String, Object> state = vmi == null ? Map.of() : asMap(status(vmi).get("migrationState"));
        if (state.get("failureReason") != null) {
            why.add("VMI migrationState.failureReason: " + state.get("failureReason"));
        }
        if (Boolean.TRUE.equals(state.get("abortRequested")) || state.get("abortStatus") != null) {
            why.add("abort " + state.getOrDefault("abortStatus", "requested"));
        }
        for (GenericKubernetesResource o : vmi == null ? List.of(vmim) : List.of(vmim, vmi)) {
            if (status(o).get("conditions") instanceof List<?> cs) {
                for (Object c : cs) {
                    Map<String, Object> m = asMap(c);
                    if ("False".equals(m.get("status")) || m.get("type") != null && String.valueOf(m.get("type")).contains("Fail")) {
                        why.add(o.getKind() + " condition " + m.get("type") + "=" + m.get("status")
                                + (m.get("reason") == null ? "" : " " + m.get("reason")) + (m.get("message") == null ? "" : ": " + m.get("message")));
                    }
                }
            }
        }
        return why.isEmpty() ? " (neither the migration nor the VMI says why; look at the virt-handler logs of " + state.getOrDefault("sourceNode", "the source node") + ")"
                : ": " + String.join("; ", why);
    }

    private void sleep() {
        try {
            Thread.sleep(pollMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModuleException("interrupted while following migrations", null);
        }
    }

    static Map<String, Object> status(GenericKubernetesResource o) {
        return asMap(o.getAdditionalProperties().get("status"));
    }

    static Map<String, Object> spec(GenericKubernetesResource o) {
        return asMap(o.getAdditionalProperties().get("spec"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static ResourceDefinitionContext kubevirt(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("kubevirt.io").withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }
}
