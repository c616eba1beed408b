package dev.hyperform.modules.kubernetes;

import dev.hyperform.error.Failure;
import dev.hyperform.module.EditDistance;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
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
 * per group version per run and again after a miss (a CRD applied earlier in the run adds kinds). Unknown kinds and
 * apiVersions are errors that list what the server serves instead, closest match first, and where the kind lives.
 */
final class ApiKinds {
    private static final int LISTED = 12;
    private final KubernetesClient client;
    private final KubeConnection conn;
    private final Map<String, List<APIResource>> byGroupVersion = new ConcurrentHashMap<>();

    private ApiKinds(KubernetesClient client, KubeConnection conn) {
        this.client = client;
        this.conn = conn;
    }

    static ApiKinds of(Target target, KubeConnection connection) {
        KubernetesClient client = connection.client(target);
        return target.shared("k8s-kinds:" + connection, () -> new ApiKinds(client, connection));
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
                throw KubeErrors.of(e, "discover", gv, null, target, conn);
            }
        }));
    }

    /**
     * An unknown kind names what the server serves instead: under a served apiVersion its kinds, closest first;
     * under an apiVersion the server does not serve, the group versions it does serve, closest first. Either way
     * the apiVersions that serve this exact kind are named (discovery of every group, read only on this error).
     */
    private ModuleException unknown(Target target, String apiVersion, String kind, String where) {
        List<String> kinds = closest(served(target, apiVersion).stream().filter(r -> !r.getName().contains("/"))
                .map(APIResource::getKind).distinct().toList(), kind);
        List<String> versions = groupVersions(target);
        List<String> elsewhere = closest(versions.stream().filter(gv -> !gv.equals(apiVersion))
                .filter(gv -> served(target, gv).stream().anyMatch(r -> r.getKind().equals(kind) && !r.getName().contains("/")))
                .toList(), apiVersion);
        String servedElsewhere = elsewhere.isEmpty() ? "" : "; " + kind + " is served under " + String.join(", ", elsewhere);
        if (kinds.isEmpty()) {
            List<String> near = closest(versions, apiVersion);
            return new ModuleException(Failure.TASK_FAILED, null, where + ": unknown apiVersion " + apiVersion + " (kind "
                    + kind + "); the server serves: " + listed(near) + servedElsewhere,
                    !elsewhere.isEmpty() ? "did you mean apiVersion: " + elsewhere.get(0) + "?"
                            : near.isEmpty() ? "check the kubeconfig's cluster" : "did you mean apiVersion: " + near.get(0)
                            + "? or is the CRD that serves " + apiVersion + " not installed yet?");
        }
        return new ModuleException(Failure.TASK_FAILED, null, where + ": unknown kind " + kind + " in apiVersion "
                + apiVersion + "; the server serves under " + apiVersion + ": " + listed(kinds) + servedElsewhere,
                elsewhere.isEmpty() ? "did you mean " + kinds.get(0) + "?" : "did you mean apiVersion: " + elsewhere.get(0) + "?");
    }

    /** Every group version the server serves ({@code v1} and each version of each group of {@code /apis}). */
    private List<String> groupVersions(Target target) {
        return target.probeApi("discover API groups", () -> {
            List<String> out = new ArrayList<>(List.of("v1"));
            try {
                APIGroupList groups = client.getApiGroups();
                if (groups != null && groups.getGroups() != null) {
                    for (APIGroup g : groups.getGroups()) {
                        g.getVersions().forEach(v -> out.add(v.getGroupVersion()));
                    }
                }
            } catch (KubernetesClientException e) {
                throw KubeErrors.of(e, "discover", "API groups", null, target, conn);
            }
            return out;
        });
    }

    private static List<String> closest(List<String> names, String to) {
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(Comparator.comparingInt((String n) -> EditDistance.between(n.toLowerCase(), to.toLowerCase()))
                .thenComparing(n -> n));
        return sorted;
    }

    private static String listed(List<String> names) {
        return names.size() <= LISTED ? String.join(", ", names)
                : String.join(", ", names.subList(0, LISTED)) + " and " + (names.size() - LISTED) + " more";
    }

    static String[] split(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? new String[] {"", apiVersion} : new String[] {apiVersion.substring(0, slash), apiVersion.substring(slash + 1)};
    }
}
