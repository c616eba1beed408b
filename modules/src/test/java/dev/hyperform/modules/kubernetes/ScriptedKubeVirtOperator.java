package dev.hyperform.modules.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted stand-in for KubeVirt's controllers, part of the DECLARED Kubernetes API double (names and shapes from
 * KubeVirt 0.58; the double runs no VM):
 * <ul>
 * <li>virt-operator: it watches KubeVirt CRs and moves each through {@code status.phase} Deploying to Deployed,
 * setting the condition {@code Available=True} when deployed; on deploying it registers the VirtualMachine and
 * VirtualMachineInstance CRDs, as virt-operator does (the double establishes them at once). {@link #stuckDeploying}
 * plays an operator that never gets there ({@code Deploying}, {@code Available=False}).</li>
 * <li>virt-controller: for every VirtualMachine with {@code spec.running: true} it creates the VMI from the VM's
 * template (same name and namespace, the template's labels) and marks it {@code Running} with {@code Ready=True}
 * after {@code vmiReadyMillis}.</li>
 * </ul>
 */
public final class ScriptedKubeVirtOperator implements AutoCloseable {
    static final ResourceDefinitionContext KUBEVIRT = context("KubeVirt", "kubevirts");
    static final ResourceDefinitionContext VM = context("VirtualMachine", "virtualmachines");
    static final ResourceDefinitionContext VMI = context("VirtualMachineInstance", "virtualmachineinstances");
    private final KubernetesClient client;
    private final long deployMillis;
    private final long vmiReadyMillis;
    private final boolean deploys;
    private final List<Watch> watches = new CopyOnWriteArrayList<>();

    public ScriptedKubeVirtOperator(KubernetesClient client, long deployMillis) {
        this(client, deployMillis, 300, true);
    }

    private ScriptedKubeVirtOperator(KubernetesClient client, long deployMillis, long vmiReadyMillis, boolean deploys) {
        this.client = client;
        this.deployMillis = deployMillis;
        this.vmiReadyMillis = vmiReadyMillis;
        this.deploys = deploys;
        watches.add(client.genericKubernetesResources(KUBEVIRT).inAnyNamespace().watch(onAdded(this::deploy)));
    }

    /** Deploys after {@code deployMillis}; VMIs of running VMs become Ready {@code vmiReadyMillis} after they appear. */
    public static ScriptedKubeVirtOperator deploying(KubernetesClient client, long deployMillis, long vmiReadyMillis) {
        return new ScriptedKubeVirtOperator(client, deployMillis, vmiReadyMillis, true);
    }

    /** An operator whose KubeVirt never becomes Available: it stays Deploying. */
    public static ScriptedKubeVirtOperator stuckDeploying(KubernetesClient client) {
        return new ScriptedKubeVirtOperator(client, 0, 0, false);
    }

    private Watcher<GenericKubernetesResource> onAdded(java.util.function.Consumer<GenericKubernetesResource> action) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action a, GenericKubernetesResource o) {
                if (a == Action.ADDED) {
                    Thread t = new Thread(() -> action.accept(o), "scripted-kubevirt");
                    t.setDaemon(true);
                    t.start();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // the test ended
            }
        };
    }

    private void deploy(GenericKubernetesResource kv) {
        String ns = kv.getMetadata().getNamespace();
        String name = kv.getMetadata().getName();
        setStatus(KUBEVIRT, ns, name, Map.of("phase", "Deploying", "conditions", List.of(
                Map.of("type", "Available", "status", "False", "reason", "DeploymentInProgress"),
                Map.of("type", "Progressing", "status", "True", "reason", "DeploymentInProgress"))));
        if (!deploys) {
            return;
        }
        registerVmCrds(); // before Available, as virt-operator does
        if (!sleep(deployMillis)) {
            return;
        }
        setStatus(KUBEVIRT, ns, name, Map.of("phase", "Deployed", "conditions", List.of(
                Map.of("type", "Available", "status", "True", "reason", "AllComponentsReady"),
                Map.of("type", "Progressing", "status", "False", "reason", "AllComponentsReady"),
                Map.of("type", "Degraded", "status", "False", "reason", "AllComponentsReady"))));
    }

    private void registerVmCrds() {
        for (ResourceDefinitionContext c : List.of(VM, VMI)) {
            String name = c.getPlural() + ".kubevirt.io";
            if (client.apiextensions().v1().customResourceDefinitions().withName(name).get() != null) {
                continue;
            }
            GenericKubernetesResource crd = new GenericKubernetesResource();
            crd.setApiVersion("apiextensions.k8s.io/v1");
            crd.setKind("CustomResourceDefinition");
            crd.setMetadata(new ObjectMetaBuilder().withName(name).build());
            crd.setAdditionalProperty("spec", Map.of("group", "kubevirt.io", "scope", "Namespaced",
                    "names", Map.of("kind", c.getKind(), "plural", c.getPlural(), "listKind", c.getKind() + "List"),
                    "versions", List.of(Map.of("name", "v1", "served", true, "storage", true, "schema",
                            Map.of("openAPIV3Schema", Map.of("type", "object", "x-kubernetes-preserve-unknown-fields", true))))));
            crd.setAdditionalProperty("status", Map.of("conditions", List.of(
                    Map.of("type", "Established", "status", "True", "reason", "InitialNamesAccepted"))));
            client.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup("apiextensions.k8s.io")
                    .withVersion("v1").withKind("CustomResourceDefinition").withPlural("customresourcedefinitions")
                    .withNamespaced(false).build()).resource(crd).create();
        }
        watches.add(client.genericKubernetesResources(VM).inAnyNamespace().watch(onAdded(this::start)));
    }

    @SuppressWarnings("unchecked")
    private void start(GenericKubernetesResource vm) {
        Map<String, Object> spec = (Map<String, Object>) vm.getAdditionalProperties().getOrDefault("spec", Map.of());
        if (!Boolean.TRUE.equals(spec.get("running"))) {
            return;
        }
        Map<String, Object> template = (Map<String, Object>) spec.getOrDefault("template", Map.of());
        Map<String, Object> tmeta = (Map<String, Object>) template.getOrDefault("metadata", Map.of());
        String ns = vm.getMetadata().getNamespace();
        GenericKubernetesResource vmi = new GenericKubernetesResource();
        vmi.setApiVersion("kubevirt.io/v1");
        vmi.setKind("VirtualMachineInstance");
        vmi.setMetadata(new ObjectMetaBuilder().withName(vm.getMetadata().getName()).withNamespace(ns)
                .withLabels((Map<String, String>) tmeta.getOrDefault("labels", Map.of())).build());
        vmi.setAdditionalProperty("spec", template.getOrDefault("spec", Map.of()));
        vmi.setAdditionalProperty("status", Map.of("phase", "Scheduling"));
        var r = client.genericKubernetesResources(VMI).inNamespace(ns);
        r.resource(vmi).create();
        if (!sleep(vmiReadyMillis)) {
            return;
        }
        setStatus(VMI, ns, vm.getMetadata().getName(), Map.of("phase", "Running", "conditions", List.of(
                Map.of("type", "Ready", "status", "True"))));
    }

    /**
     * A status write as a controller makes it: through the status subresource (KubeVirt's CRDs declare one, and CRUD
     * mode then ignores a status written with the object itself, as the API server does).
     */
    private void setStatus(ResourceDefinitionContext kind, String namespace, String name, Map<String, Object> status) {
        var op = client.genericKubernetesResources(kind).inNamespace(namespace);
        GenericKubernetesResource o = op.withName(name).get();
        o.setAdditionalProperty("status", new LinkedHashMap<>(status));
        op.resource(o).updateStatus();
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("kubevirt.io").withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }

    @Override
    public void close() {
        watches.forEach(Watch::close);
    }
}
