package dev.hyperform.modules.kubernetes;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperform.error.Failure;
import dev.hyperform.module.ApiCall;
import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Diff;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.module.OfflineCheck;
import dev.hyperform.module.Target;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kubevirt_migrate}: live-migrates KubeVirt VMIs, the named ones or every one running on {@code node}, with
 * VirtualMachineInstanceMigrations ({@link VmiMigrations}: within the cluster's parallel limits, followed through
 * their phases, judged by the VMI's migrationState and node). Before anything is created, a VMI that KubeVirt
 * reports not live-migratable (condition {@code LiveMigratable=False}, e.g. a PVC that is not ReadWriteMany) or that
 * does not run fails the task with its reason. Migrating named VMIs is an action (each run moves them again);
 * evacuating a node is idempotent (a node that runs no VMI has nothing to move). The result's {@code migrations}
 * lists per VM where it went, how long it took and the phases seen.
 */
public final class KubevirtMigrateModule implements Module {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "kubevirt_migrate";
    }

    @Override
    public ArgSpec spec() {
        ArgSpec.Builder b = ArgSpec.builder("Live-migrate KubeVirt VMIs (named, or every one on a node) within the cluster's parallel-migration limits")
                .arg(ArgDef.optional("vms", ArgType.LIST, List.of(), "names of the VMIs to migrate (in namespace)"))
                .arg(ArgDef.optional("node", ArgType.STRING, "", "migrate every VMI running on this node instead (any namespace)"))
                .arg(ArgDef.optional("namespace", ArgType.STRING, "default", "the namespace of the named VMIs"))
                .arg(ArgDef.optional("kubevirt_namespace", ArgType.STRING, "kubevirt", "where the KubeVirt CR is (its spec.configuration.migrations sets the limits)"))
                .arg(ArgDef.optional("timeout", ArgType.INT, 600L, "seconds one migration may take; then it is deleted (KubeVirt aborts it) and the task fails"))
                .arg(ArgDef.optional("poll_ms", ArgType.INT, 1000L, "how often the migrations are read"));
        KubeArgs.common(b);
        return b.example("""
                kubevirt_migrate:
                  node: node2          # or vms: [vm1, vm2]
                  timeout: 900
                register: moved        # moved.migrations: [{vm, from, to, seconds, phases}]""").build();
    }

    @Override
    public Change plan(Target target, Args args) {
        List<String> names = args.list("vms").stream().map(String::valueOf).toList();
        String node = args.string("node");
        if (names.isEmpty() == node.isEmpty()) {
            throw ModuleException.invalidArgs(args.location(), "give either vms (names of VMIs) or node (evacuate it), not " + (node.isEmpty() ? "neither" : "both"),
                    "e.g. vms: [vm1] or node: node2");
        }
        KubeConnection conn = KubeConnection.of(target, args);
        KubernetesClient client = conn.client(target);
        VmiMigrations.Limits limits = target.probeApi("get KubeVirt in " + args.string("kubevirt_namespace"), () -> limits(client, args, target, conn));
        List<GenericKubernetesResource> vmis = target.probeApi(node.isEmpty() ? "get VirtualMachineInstances " + names : "list VirtualMachineInstances on " + node,
                () -> vmis(client, names, node, args.string("namespace"), target, conn));
        List<VmiMigrations.Vmi> moving = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (GenericKubernetesResource v : vmis) {
            Map<String, Object> s = VmiMigrations.status(v);
            String ref = v.getMetadata().getNamespace() + "/" + v.getMetadata().getName();
            if (!"Running".equals(s.get("phase"))) {
                refused.add(ref + " is " + s.getOrDefault("phase", "without a phase") + ", not Running");
                continue;
            }
            String notMigratable = notMigratable(s);
            if (notMigratable != null) {
                refused.add(ref + " is not live-migratable: " + notMigratable);
                continue;
            }
            moving.add(new VmiMigrations.Vmi(v.getMetadata().getNamespace(), v.getMetadata().getName(), String.valueOf(s.getOrDefault("nodeName", ""))));
        }
        if (!refused.isEmpty()) {
            throw new ModuleException("cannot live-migrate: " + String.join("; ", refused) + " (nothing was migrated)",
                    "a VMI's disks must be shared: PVCs ReadWriteMany (rook-ceph-block with volumeMode: Block), no local disks; "
                            + (node.isEmpty() ? "" : "stop or move such VMs yourself before evacuating " + node));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("migrations", List.of());
        values.put("limits", Map.of("parallelMigrationsPerCluster", limits.perCluster(), "parallelOutboundMigrationsPerNode", limits.perNode()));
        values.put("vms", moving.stream().map(VmiMigrations.Vmi::ref).toList());
        if (moving.isEmpty()) {
            return Change.none("no VMI runs on " + node + ": nothing to migrate").withValues(values);
        }
        VmiMigrations run = new VmiMigrations(client, limits, args.integer("timeout"), args.integer("poll_ms"));
        String what = moving.size() + " VMI(s): " + String.join(", ", moving.stream().map(VmiMigrations.Vmi::ref).toList());
        ApiCall call = ApiCall.of("migrate", "kubevirt.io/v1 VirtualMachineInstanceMigration x" + moving.size(), () -> {
            List<Map<String, Object>> results = run.run(moving);
            String json = toJson(results);
            List<String> failed = results.stream().filter(r -> Boolean.TRUE.equals(r.get("failed")))
                    .map(r -> r.get("vm") + ": " + r.get("reason")).toList();
            if (!failed.isEmpty()) {
                throw new ModuleException("live migration failed: " + String.join("; ", failed),
                        "see the VMI's events (kubectl describe vmi) and the virt-handler logs of both nodes");
            }
            return json;
        }).detailed("at most " + limits.perCluster() + " at once in the cluster, " + limits.perNode() + " leaving a node");
        Map<String, String[]> diff = new LinkedHashMap<>();
        moving.forEach(v -> diff.put(v.ref(), new String[] {v.node(), "another node (KubeVirt's scheduler chooses)"}));
        return Change.of("live-migrate " + what, call).withValues(values).withDiff(Diff.attributes("VMI nodes", diff));
    }

    @Override
    public ModuleResult apply(Target target, Args args, Change change) {
        ModuleResult r = target.execute(change);
        Map<String, Object> values = new LinkedHashMap<>(r.values());
        String out = String.valueOf(values.getOrDefault("stdout", ""));
        if (!r.failed() && out.startsWith("[")) {
            try {
                values.put("migrations", JSON.readValue(out, new TypeReference<List<Map<String, Object>>>() { }));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return new ModuleResult(r.changed(), r.failed(), r.message(), values, r.ran());
    }

    /** syntax-check: the VMIM hyperform creates validates against KubeVirt 0.58's schema. */
    @Override
    public void checkOffline(OfflineCheck task) {
        String sample = VmiMigrations.manifest(new VmiMigrations.Vmi("default", "vm1", "node1"), "vm1-migration-x");
        List<ManifestValidator.Problem> problems = ManifestValidator.validate(sample, "kubevirt_migrate");
        if (!problems.isEmpty()) {
            throw new ModuleException(Failure.INVALID_INPUT, task.location(), "the VirtualMachineInstanceMigration kubevirt_migrate creates does not validate: "
                    + problems, "report this as a hyperform bug");
        }
    }

    /** Why KubeVirt says the VMI cannot live-migrate (its LiveMigratable condition False), or null. */
    static String notMigratable(Map<String, Object> vmiStatus) {
        if (vmiStatus.get("conditions") instanceof List<?> cs) {
            for (Object c : cs) {
                Map<String, Object> m = VmiMigrations.asMap(c);
                if ("LiveMigratable".equals(m.get("type")) && "False".equals(m.get("status"))) {
                    return m.getOrDefault("reason", "") + (m.get("message") == null ? "" : ": " + m.get("message"));
                }
            }
        }
        return null;
    }

    private static VmiMigrations.Limits limits(KubernetesClient client, Args args, Target target, KubeConnection conn) {
        String ns = args.string("kubevirt_namespace");
        try {
            List<GenericKubernetesResource> kv = client.genericKubernetesResources(VmiMigrations.KUBEVIRT).inNamespace(ns).list().getItems();
            if (kv.isEmpty()) {
                throw new ModuleException("no KubeVirt CR in namespace " + ns, "is KubeVirt installed (site.yaml --tags kubevirt)? else set kubevirt_namespace");
            }
            Map<String, Object> mig = VmiMigrations.asMap(VmiMigrations.asMap(VmiMigrations.spec(kv.get(0)).get("configuration")).get("migrations"));
            return new VmiMigrations.Limits(positive(mig.get("parallelMigrationsPerCluster"), 5), positive(mig.get("parallelOutboundMigrationsPerNode"), 2));
        } catch (KubernetesClientException e) {
            throw KubeErrors.of(e, "list", "kubevirts", ns, target, conn);
        }
    }

    private static int positive(Object o, int fallback) {
        return o instanceof Number n && n.intValue() > 0 ? n.intValue() : fallback;
    }

    private static List<GenericKubernetesResource> vmis(KubernetesClient client, List<String> names, String node, String ns, Target target, KubeConnection conn) {
        try {
            var op = client.genericKubernetesResources(VmiMigrations.VMI);
            if (!node.isEmpty()) {
                return op.inAnyNamespace().list().getItems().stream()
                        .filter(v -> node.equals(VmiMigrations.status(v).get("nodeName"))).toList();
            }
            List<GenericKubernetesResource> out = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String n : names) {
                GenericKubernetesResource v = op.inNamespace(ns).withName(n).get();
                if (v == null) {
                    missing.add(n);
                } else {
                    out.add(v);
                }
            }
            if (!missing.isEmpty()) {
                List<String> there = op.inNamespace(ns).list().getItems().stream().map(v -> v.getMetadata().getName()).toList();
                throw new ModuleException("no VirtualMachineInstance " + missing + " in namespace " + ns + " (there: " + there + ")",
                        "check the names (kubectl get vmi -n " + ns + ") or set the namespace");
            }
            return out;
        } catch (KubernetesClientException e) {
            throw KubeErrors.of(e, "get", "virtualmachineinstances", node.isEmpty() ? ns : null, target, conn);
        }
    }

    private static String toJson(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
