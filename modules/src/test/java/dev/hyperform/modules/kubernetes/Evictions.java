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
 * than {@code maxUnavailable}); otherwise the pod is deleted. A virt-launcher pod (label {@code kubevirt.io:
 * virt-launcher}) whose VMI ({@code vm.kubevirt.io/name}) has {@code spec.evictionStrategy: LiveMigrate} is refused
 * with 429 as KubeVirt 0.58's virt-api admission webhook does, and the VMI's {@code status.evacuationNodeName} is set
 * to the pod's node; the migration itself is {@link ScriptedMigrationController}'s.
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
        MockResponse evacuation = evacuation(crud, ns, pod, labels);
        if (evacuation != null) {
            return evacuation;
        }
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

    /** KubeVirt's answer to evicting the virt-launcher pod of a LiveMigrate VMI: refused, the VMI marked for evacuation. */
    @SuppressWarnings("unchecked")
    private static MockResponse evacuation(KubeApiDouble.Crud crud, String ns, Map<String, Object> pod, Map<String, Object> labels)
            throws IOException {
        if (!"virt-launcher".equals(labels.get("kubevirt.io")) || !(labels.get("vm.kubevirt.io/name") instanceof String vmiName)) {
            return null;
        }
        String vmiPath = "/apis/kubevirt.io/v1/namespaces/" + ns + "/virtualmachineinstances/" + vmiName;
        Map<String, Object> vmi = ServerSideApply.read(crud, vmiPath);
        Map<String, Object> spec = vmi == null ? Map.of() : (Map<String, Object>) vmi.getOrDefault("spec", Map.of());
        if (!"LiveMigrate".equals(spec.get("evictionStrategy"))) {
            return null;
        }
        Map<String, Object> status = new java.util.LinkedHashMap<>((Map<String, Object>) vmi.getOrDefault("status", Map.of()));
        if (status.get("evacuationNodeName") == null) {
            status.put("evacuationNodeName", ((Map<String, Object>) pod.getOrDefault("spec", Map.of())).get("nodeName"));
            Map<String, Object> updated = new java.util.LinkedHashMap<>(vmi);
            updated.put("status", status);
            crud.crud("PUT", vmiPath + "/status", JSON.writeValueAsString(updated));
        }
        return new MockResponse().setResponseCode(429).setBody(KubeApiDouble.status(429, "TooManyRequests",
                "Eviction triggered evacuation of VMI \"" + ns + "/" + vmiName + "\""));
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
