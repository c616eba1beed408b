package dev.hyperform.modules.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The part of an object hyperform manages: the fields the task's manifest sets, read from a live object or a dry
 * run's answer. Server-owned fields ({@code metadata.managedFields}, {@code resourceVersion}, {@code uid},
 * {@code generation}, {@code creationTimestamp}, {@code status}) are never part of it. Comparing the managed view
 * of the live object with that of the dry run tells whether an apply changes anything; the YAML of both is the
 * {@code --diff}.
 */
final class ManagedFields {
    private static final List<String> SERVER_META = List.of("managedFields", "resourceVersion", "uid", "generation",
            "creationTimestamp", "selfLink");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private ManagedFields() {
    }

    /** {@code object} cut down to the keys {@code shape} (the manifest) sets; null stays null. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> view(Map<String, Object> object, Map<String, Object> shape) {
        if (object == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : shape.entrySet()) {
            String k = e.getKey();
            if (k.equals("status")) {
                continue;
            }
            Object v = object.get(k);
            if (v == null) {
                continue;
            }
            if (e.getValue() instanceof Map<?, ?> sub && v instanceof Map<?, ?> vm) {
                Map<String, Object> s = new LinkedHashMap<>((Map<String, Object>) sub);
                if (k.equals("metadata")) {
                    SERVER_META.forEach(s::remove);
                }
                out.put(k, view((Map<String, Object>) vm, s));
            } else {
                out.put(k, v);
            }
        }
        return out;
    }

    static boolean same(Map<String, Object> a, Map<String, Object> b) {
        return Objects.equals(normal(a), normal(b));
    }

    /** Numbers compare by value (the API answers 3 where YAML said 3.0, or a long where we had an int). */
    private static Object normal(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, normal(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            return l.stream().map(ManagedFields::normal).toList();
        }
        if (o instanceof Number n) {
            return n.doubleValue() == Math.rint(n.doubleValue()) ? (Object) n.longValue() : (Object) n.doubleValue();
        }
        return o;
    }

    static String yaml(Map<String, Object> view) {
        if (view == null) {
            return null;
        }
        try {
            return YAML.writeValueAsString(view);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(view);
        }
    }
}
