package dev.hyperform.modules.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;

/** Plain maps to and from fabric8's generic object: modules work on maps, the client on its model. */
final class KubeObjects {
    private KubeObjects() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(GenericKubernetesResource r) {
        return r == null ? null : Serialization.jsonMapper().convertValue(r, Map.class);
    }

    static GenericKubernetesResource generic(Map<String, Object> m) {
        return Serialization.jsonMapper().convertValue(m, GenericKubernetesResource.class);
    }
}
