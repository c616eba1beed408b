package dev.hyperform.modules.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted stand-in for KubeVirt 0.58's migration controller and virt-handler, part of the DECLARED Kubernetes API
 * double (no VM moves): for every VirtualMachineInstanceMigration created it walks {@code status.phase} through
 * Pending, Scheduling, Scheduled, PreparingTarget, TargetReady, Running to Succeeded, one step each
 * {@code stepMillis}, appending {@code phaseTransitionTimestamps}; on Running the VMI gets
 * {@code status.migrationState} (source and target node, start time), on Succeeded its {@code nodeName} becomes the
 * target and the migration state completed. The target is the first of {@code nodes} that is not the source and
 * receives the fewest. A VMI's annotation {@value #SCRIPT} steers it: {@code fail} ends in Failed with the VMI's
 * migrationState failed and a failureReason, {@code hang} stays Running. {@link #maxConcurrent()} is the most
 * migrations that were unfinished at once.
 *
 * <p>Evacuation, as KubeVirt's evacuation controller: a VMI whose {@code status.evacuationNodeName} is set (the double's
 * Eviction API does that when a node's drain evicts a LiveMigrate VMI's virt-launcher pod) gets a migration
 * {@code kubevirt-evacuation-*}; when it succeeds the mark is cleared and the VMI's virt-launcher pod (see
 * {@link #launcherPod}) is replaced by one on the target, so the drain sees the source pod gone. Cordoned nodes
 * ({@code spec.unschedulable}) receive no migration.
 */
public final class ScriptedMigrationController implements AutoCloseable {
    public static final String SCRIPT = "hyperform.test/migration";
    public static final String FAILURE = "migration failed: the target virt-launcher pod was OOM-killed (scripted)";
    static final ResourceDefinitionContext VMI = VmiMigrations.VMI;
    static final ResourceDefinitionContext VMIM = VmiMigrations.VMIM;
    private static final List<String> PHASES = List.of("Pending", "Scheduling", "Scheduled", "PreparingTarget", "TargetReady", "Running");
    private final KubernetesClient client;
    private final List<String> nodes;
    private final long stepMillis;
    private final Map<String, Integer> received = new LinkedHashMap<>();
    private final AtomicInteger unfinished = new AtomicInteger();
    private final AtomicInteger max = new AtomicInteger();
    private final Watch watch;
    private final Watch evacuations;
    private final java.util.Set<String> evacuating = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger evacuationCount = new AtomicInteger();
    private final List<String> evacuatedLog = java.util.Collections.synchronizedList(new ArrayList<>());

    public ScriptedMigrationController(KubernetesClient client, List<String> nodes, long stepMillis) {
        this.client = client;
        this.nodes = nodes;
        this.stepMillis = stepMillis;
        nodes.forEach(n -> received.put(n, 0));
        this.watch = client.genericKubernetesResources(VMIM).inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action a, GenericKubernetesResource o) {
                if (a == Action.ADDED) {
                    max.accumulateAndGet(unfinished.incrementAndGet(), Math::max);
                    Thread t = new Thread(() -> migrate(o), "scripted-migration");
                    t.setDaemon(true);
                    t.start();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // the test ended
            }
        });
        this.evacuations = client.genericKubernetesResources(VMI).inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action a, GenericKubernetesResource vmi) {
                Object from = VmiMigrations.status(vmi).get("evacuationNodeName");
                String key = vmi.getMetadata().getNamespace() + "/" + vmi.getMetadata().getName();
                if (a == Action.MODIFIED && from != null && evacuating.add(key)) {
                    GenericKubernetesResource m = new GenericKubernetesResource();
                    m.setApiVersion("kubevirt.io/v1");
                    m.setKind("VirtualMachineInstanceMigration");
                    m.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withNamespace(vmi.getMetadata().getNamespace())
                            .withName("kubevirt-evacuation-" + evacuationCount.incrementAndGet()).build());
                    m.setAdditionalProperty("spec", Map.of("vmiName", vmi.getMetadata().getName()));
                    client.genericKubernetesResources(VMIM).inNamespace(vmi.getMetadata().getNamespace()).resource(m).create();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // the test ended
            }
        });
    }

    /** The virt-launcher pod of a VMI on node, labelled as KubeVirt 0.58 labels it (and owned by the VMI). */
    public static void launcherPod(KubernetesClient client, String ns, String vmi, String node) {
        client.pods().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata().withName("virt-launcher-" + vmi + "-" + node).withNamespace(ns)
                .withLabels(Map.of("kubevirt.io", "virt-launcher", "vm.kubevirt.io/name", vmi))
                .addNewOwnerReference().withApiVersion("kubevirt.io/v1").withKind("VirtualMachineInstance").withName(vmi)
                .withUid(UUID.randomUUID().toString()).withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("compute").withImage("virt-launcher").endContainer().endSpec()
                .build()).create();
    }

    /** The VMIs this controller moved off a node because it was drained, in the order they moved. */
    public List<String> evacuated() {
        return List.copyOf(evacuatedLog);
    }

    /** The most migrations that were unfinished at the same time. */
    public int maxConcurrent() {
        return max.get();
    }

    /** A Running VMI on node (status written through the status subresource), with LiveMigratable True unless a reason is given
     * and evictionStrategy LiveMigrate. */
    public static void runningVmi(KubernetesClient client, String ns, String name, String node, String script, String notMigratable) {
        GenericKubernetesResource v = new GenericKubernetesResource();
        v.setApiVersion("kubevirt.io/v1");
        v.setKind("VirtualMachineInstance");
        v.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(ns)
                .withAnnotations(script == null ? Map.of() : Map.of(SCRIPT, script)).build());
        v.setAdditionalProperty("spec", Map.of("domain", Map.of("devices", Map.of()), "evictionStrategy", "LiveMigrate"));
        client.genericKubernetesResources(VMI).inNamespace(ns).resource(v).create();
        Map<String, Object> migratable = notMigratable == null
                ? Map.of("type", "LiveMigratable", "status", "True")
                : Map.of("type", "LiveMigratable", "status", "False", "reason", "DisksNotLiveMigratable", "message", notMigratable);
        status(client, VMI, ns, name, s -> {
            s.put("phase", "Running");
            s.put("nodeName", node);
            s.put("conditions", List.of(Map.of("type", "Ready", "status", "True"), migratable));
        });
    }

    private void migrate(GenericKubernetesResource vmim) {
        String ns = vmim.getMetadata().getNamespace();
        String name = vmim.getMetadata().getName();
        String vmiName = String.valueOf(VmiMigrations.spec(vmim).get("vmiName"));
        GenericKubernetesResource vmi = client.genericKubernetesResources(VMI).inNamespace(ns).withName(vmiName).get();
        String script = vmi.getMetadata().getAnnotations() == null ? "" : vmi.getMetadata().getAnnotations().getOrDefault(SCRIPT, "");
        String source = String.valueOf(VmiMigrations.status(vmi).get("nodeName"));
        String target = target(source);
        List<Map<String, Object>> stamps = new ArrayList<>();
        boolean ended = false;
        try {
            for (String phase : PHASES) {
                stamps.add(Map.of("phase", phase, "phaseTransitionTimestamp", Instant.now().toString()));
                List<Map<String, Object>> now = List.copyOf(stamps);
                status(client, VMIM, ns, name, s -> {
                    s.put("phase", phase);
                    s.put("phaseTransitionTimestamps", now);
                });
                if (phase.equals("Running")) {
                    status(client, VMI, ns, vmiName, s -> s.put("migrationState", new LinkedHashMap<>(Map.of("sourceNode", source, "targetNode", target,
                            "migrationUid", UUID.randomUUID().toString(), "startTimestamp", Instant.now().toString()))));
                }
                Thread.sleep(stepMillis);
            }
            if (script.equals("hang")) {
                return;
            }
            String end = script.equals("fail") ? "Failed" : "Succeeded";
            stamps.add(Map.of("phase", end, "phaseTransitionTimestamp", Instant.now().toString()));
            status(client, VMI, ns, vmiName, s -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> state = new LinkedHashMap<>((Map<String, Object>) s.getOrDefault("migrationState", Map.of()));
                state.put("endTimestamp", Instant.now().toString());
                state.put("completed", !end.equals("Failed"));
                state.put("failed", end.equals("Failed"));
                if (end.equals("Failed")) {
                    state.put("failureReason", FAILURE);
                } else {
                    s.put("nodeName", target);
                }
                s.put("migrationState", state);
                s.remove("evacuationNodeName");
            });
            if (evacuating.remove(ns + "/" + vmiName) && end.equals("Succeeded")) {
                client.pods().inNamespace(ns).withName("virt-launcher-" + vmiName + "-" + source).delete();
                launcherPod(client, ns, vmiName, target);
                evacuatedLog.add(vmiName + ": " + source + " -> " + target);
            }
            // no longer counted before anyone can read it as ended
            unfinished.decrementAndGet();
            ended = true;
            status(client, VMIM, ns, name, s -> {
                s.put("phase", end);
                s.put("phaseTransitionTimestamps", List.copyOf(stamps));
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the migration was deleted (aborted) or the test ended
        } finally {
            if (!ended && !script.equals("hang")) {
                unfinished.decrementAndGet();
            }
        }
    }

    private synchronized String target(String source) {
        String best = nodes.stream().filter(n -> !n.equals(source) && !cordoned(n)).min((a, b) -> received.get(a) - received.get(b)).orElseThrow();
        received.merge(best, 1, Integer::sum);
        return best;
    }

    private boolean cordoned(String node) {
        var n = client.nodes().withName(node).get();
        return n != null && n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
    }

    private static void status(KubernetesClient client, ResourceDefinitionContext kind, String ns, String name,
                               java.util.function.Consumer<Map<String, Object>> edit) {
        var op = client.genericKubernetesResources(kind).inNamespace(ns);
        synchronized (ScriptedMigrationController.class) {
            GenericKubernetesResource o = op.withName(name).get();
            Map<String, Object> s = new LinkedHashMap<>(VmiMigrations.status(o));
            edit.accept(s);
            o.setAdditionalProperty("status", s);
            op.resource(o).updateStatus();
        }
    }

    @Override
    public void close() {
        watch.close();
        evacuations.close();
    }
}
