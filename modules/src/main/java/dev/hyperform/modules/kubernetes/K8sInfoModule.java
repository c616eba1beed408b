package dev.hyperform.modules.kubernetes;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Module;
import dev.hyperform.module.Target;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code k8s_info}: get one object or list objects by kind, name, namespace, label and field selectors, optionally
 * waiting (through a watch) until they pass the same conditions as {@code k8s}. Reads only: always {@code ok};
 * the objects are registered as {@code resources} for {@code register}, {@code until} and {@code when}.
 */
public final class K8sInfoModule implements Module {

    @Override
    public String name() {
        return "k8s_info";
    }

    @Override
    public List<String> aliases() {
        return List.of("kubernetes.core.k8s_info");
    }

    @Override
    public ArgSpec spec() {
        ArgSpec.Builder b = ArgSpec.builder("Read Kubernetes objects (get or list) from the controller; registers resources")
                .arg(ArgDef.required("kind", ArgType.STRING, "the kind, e.g. Pod, VirtualMachineInstance"))
                .arg(ArgDef.optional("api_version", ArgType.STRING, "v1", "apiVersion of the kind, e.g. kubevirt.io/v1"))
                .arg(ArgDef.optional("name", ArgType.STRING, null, "one object by name (else a list)"))
                .arg(ArgDef.optional("namespace", ArgType.STRING, null, "namespace (namespaced kinds; else all namespaces for a list, default for a name)"))
                .arg(ArgDef.optional("label_selectors", ArgType.LIST, null, "label selectors, ANDed: ['app=web', 'tier!=db']"))
                .arg(ArgDef.optional("field_selectors", ArgType.LIST, null, "field selectors, ANDed: ['spec.nodeName=node1']"));
        KubeArgs.common(b);
        KubeArgs.waits(b);
        return b.example("""
                k8s_info:
                  api_version: kubevirt.io/v1
                  kind: KubeVirt
                  name: kubevirt
                  namespace: kubevirt
                  wait: true
                  wait_for: status.phase == Deployed
                register: kv""").build();
    }

    @Override
    public Change plan(Target target, Args args) {
        KubeConnection conn = KubeConnection.of(target, args);
        KubernetesClient client = conn.client(target);
        String apiVersion = args.string("api_version");
        String kindName = args.string("kind");
        ApiKinds.Kind kind = ApiKinds.of(target, conn).require(target, apiVersion, kindName, "k8s_info");
        var op = client.genericKubernetesResources(kind.context());
        String ns = args.optString("namespace").orElse(null);
        Waits waits = Waits.of(args);
        List<Map<String, Object>> found = new ArrayList<>();
        try {
            if (args.has("name")) {
                String n = kind.namespaced() ? (ns == null ? "default" : ns) : null;
                Resource<GenericKubernetesResource> r = n == null ? op.withName(args.string("name"))
                        : op.inNamespace(n).withName(args.string("name"));
                String ref = kindName + " " + (n == null ? "" : n + "/") + args.string("name");
                if (waits != null) {
                    waits.await(r, ref);
                }
                Map<String, Object> one = target.probeApi("get " + ref, () -> KubeObjects.map(r.get()));
                if (one != null) {
                    found.add(one);
                }
            } else {
                FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> f =
                        kind.namespaced() && ns != null ? op.inNamespace(ns) : kind.namespaced() ? op.inAnyNamespace() : op;
                for (String l : args.has("label_selectors") ? args.strings("label_selectors") : List.<String>of()) {
                    f = selectLabel(f, l);
                }
                for (String s : args.has("field_selectors") ? args.strings("field_selectors") : List.<String>of()) {
                    String[] kv = s.split("!?=", 2);
                    f = s.contains("!=") ? f.withoutField(kv[0].strip(), kv[1].strip()) : f.withField(kv[0].strip(), kv[1].strip());
                }
                var filtered = f;
                List<GenericKubernetesResource> items = target.probeApi("list " + kindName, () -> filtered.list().getItems());
                for (GenericKubernetesResource r : items) {
                    found.add(KubeObjects.map(r));
                }
                if (waits != null) {
                    for (GenericKubernetesResource r : items) {
                        String rn = r.getMetadata().getNamespace();
                        waits.await(rn == null ? op.withName(r.getMetadata().getName())
                                : op.inNamespace(rn).withName(r.getMetadata().getName()), kindName + " " + r.getMetadata().getName());
                    }
                }
            }
        } catch (KubernetesClientException e) {
            throw KubeErrors.of(e, "get", kindName, ns, target, conn);
        }
        return Change.none(found.size() + " " + kindName + (found.size() == 1 ? "" : " objects"))
                .withValues(Map.of("resources", found, "api_found", true));
    }

    private static FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> selectLabel(
            FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> f, String sel) {
        if (sel.contains("!=")) {
            String[] kv = sel.split("!=", 2);
            return f.withoutLabel(kv[0].strip(), kv[1].strip());
        }
        if (sel.contains("=")) {
            String[] kv = sel.split("==?", 2);
            return f.withLabel(kv[0].strip(), kv[1].strip());
        }
        return sel.startsWith("!") ? f.withoutLabel(sel.substring(1).strip()) : f.withLabel(sel.strip());
    }
}
