package dev.hyperform.modules.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;

/**
 * The test double's Eviction API and {@code spec.nodeName} field selector (part of {@link KubeApiDouble}, DECLARED
 * DOUBLE). An eviction is refused with 429 when a PodDisruptionBudget of the pod's namespace selects it
 * ({@code matchLabels}) and evicting it would leave fewer running pods than {@code minAvailable} (or more missing
 * than {@code maxUnavailable}); otherwise the pod is deleted. No KubeVirt live migration happens here.
 */
final class Evictions {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Evictions() {
    }

    @SuppressWarnings("unchecked")
    static MockResponse evict(KubeApiDouble.Crud crud, String podPath) throws IOException {
        Map<String, Object> pod = ServerSideApply.read(crud, podPath);
        if (pod == null) {
            return new MockResponse().setResponseCode(404).setBody(KubeApiDouble.status(404, "NotFound", "pod not found"));
        }
        String ns = (String) ((Map<String, Object>) pod.get("metadata")).get("namespace");
        Map<String, Object> labels = labels(pod);
        Map<String, Object> pdbs = ServerSideApply.read(crud, "/apis/policy/v1/namespaces/" + ns + "/poddisruptionbudgets");
        Map<String, Object> pods = ServerSideApply.read(crud, "/api/v1/namespaces/" + ns + "/pods");
        for (Object o : pdbs == null ? List.of() : (List<Object>) pdbs.getOrDefault("items", List.of())) {
            Map<String, Object> pdb = (Map<String, Object>) o;
            Map<String, Object> spec = (Map<String, Object>) pdb.get("spec");
            Map<String, Object> match = (Map<String, Object>) ((Map<String, Object>) spec.getOrDefault("selector", Map.of()))
                    .getOrDefault("matchLabels", Map.of());
            if (!labels.entrySet().containsAll(match.entrySet())) {
                continue;
            }
            int selected = 0;
            for (Object p : (List<Object>) pods.getOrDefault("items", List.of())) {
                if (labels((Map<String, Object>) p).entrySet().containsAll(match.entrySet())) {
                    selected++;
                }
            }
            boolean allowed = spec.get("minAvailable") instanceof Number min ? selected - 1 >= min.intValue()
                    : !(spec.get("maxUnavailable") instanceof Number max) || max.intValue() >= 1;
            if (!allowed) {
                return new MockResponse().setResponseCode(429).setBody(KubeApiDouble.status(429, "TooManyRequests",
                        "Cannot evict pod as it would violate the pod's disruption budget."));
            }
        }
        crud.crud("DELETE", podPath, null);
        return new MockResponse().setResponseCode(201).setBody(JSON.writeValueAsString(Map.of("kind", "Status",
                "apiVersion", "v1", "status", "Success")));
    }

    @SuppressWarnings("unchecked")
    static MockResponse podsOnNode(KubeApiDouble.Crud crud, String path, String node) throws IOException {
        Map<String, Object> list = ServerSideApply.read(crud, path);
        List<Object> on = new ArrayList<>();
        for (Object p : list == null ? List.of() : (List<Object>) list.getOrDefault("items", List.of())) {
            Map<String, Object> spec = (Map<String, Object>) ((Map<String, Object>) p).getOrDefault("spec", Map.of());
            if (node.equals(spec.get("nodeName"))) {
                on.add(p);
            }
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>(list == null ? Map.of("kind", "PodList", "apiVersion", "v1") : list);
        out.put("items", on);
        return new MockResponse().setResponseCode(200).setBody(JSON.writeValueAsString(out));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> labels(Map<String, Object> o) {
        Map<String, Object> meta = (Map<String, Object>) o.getOrDefault("metadata", Map.of());
        return (Map<String, Object>) meta.getOrDefault("labels", Map.of());
    }
}
