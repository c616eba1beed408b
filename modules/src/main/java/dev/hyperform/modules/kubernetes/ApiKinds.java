package dev.hyperform.modules.kubernetes;

import dev.hyperform.error.Failure;
import dev.hyperform.module.EditDistance;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the API server serves, from its discovery documents ({@code /api/v1}, {@code /apis/GROUP/VERSION}), read once
 * per group version per run and again after a miss (a CRD applied earlier in the run adds kinds). Unknown kinds are
 * errors that list what the server serves under that apiVersion, closest match first.
 */
final class ApiKinds {
    private final KubernetesClient client;
    private final Map<String, List<APIResource>> byGroupVersion = new ConcurrentHashMap<>();

    private ApiKinds(KubernetesClient client) {
        this.client = client;
    }

    static ApiKinds of(Target target, KubeConnection connection) {
        KubernetesClient client = connection.client(target);
        return target.shared("k8s-kinds:" + connection, () -> new ApiKinds(client));
    }

    /** One served kind: where it lives and whether it is namespaced. */
    record Kind(String group, String version, String kind, String plural, boolean namespaced) {
        ResourceDefinitionContext context() {
            return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                    .withPlural(plural).withNamespaced(namespaced).build();
        }

        String apiVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }
    }

    /** The kind if served (re-reading discovery once on a miss), or empty. */
    Optional<Kind> find(Target target, String apiVersion, String kind) {
        Optional<Kind> k = lookup(target, apiVersion, kind, false);
        return k.isPresent() ? k : lookup(target, apiVersion, kind, true);
    }

    /** The kind, or an error naming what is served instead. */
    Kind require(Target target, String apiVersion, String kind, String where) {
        return find(target, apiVersion, kind).orElseThrow(() -> unknown(target, apiVersion, kind, where));
    }

    private Optional<Kind> lookup(Target target, String apiVersion, String kind, boolean fresh) {
        if (fresh) {
            byGroupVersion.remove(apiVersion);
        }
        List<APIResource> served = served(target, apiVersion);
        String[] gv = split(apiVersion);
        return served.stream().filter(r -> r.getKind().equals(kind) && !r.getName().contains("/")).findFirst()
                .map(r -> new Kind(gv[0], gv[1], kind, r.getName(), Boolean.TRUE.equals(r.getNamespaced())));
    }

    private List<APIResource> served(Target target, String apiVersion) {
        return byGroupVersion.computeIfAbsent(apiVersion, gv -> target.probeApi("discover " + gv, () -> {
            try {
                APIResourceList l = client.getApiResources(gv);
                return l == null || l.getResources() == null ? List.<APIResource>of() : List.copyOf(l.getResources());
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return List.<APIResource>of();
                }
                throw KubeErrors.of(e, "discover", gv, null, target);
            }
        }));
    }

    private ModuleException unknown(Target target, String apiVersion, String kind, String where) {
        List<String> kinds = new ArrayList<>(served(target, apiVersion).stream().filter(r -> !r.getName().contains("/"))
                .map(APIResource::getKind).distinct().toList());
        kinds.sort(Comparator.comparingInt((String k) -> EditDistance.between(k.toLowerCase(), kind.toLowerCase()))
                .thenComparing(k -> k));
        String served = kinds.isEmpty() ? "the server serves nothing under apiVersion " + apiVersion
                : "the server serves under " + apiVersion + ": " + String.join(", ", kinds.subList(0, Math.min(8, kinds.size())));
        return new ModuleException(Failure.TASK_FAILED, null, where + ": unknown kind " + kind + " in apiVersion "
                + apiVersion + "; " + served, kinds.isEmpty() ? "check the apiVersion; is the CRD installed?"
                : "did you mean " + kinds.get(0) + "?");
    }

    static String[] split(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? new String[] {"", apiVersion} : new String[] {apiVersion.substring(0, slash), apiVersion.substring(slash + 1)};
    }
}
