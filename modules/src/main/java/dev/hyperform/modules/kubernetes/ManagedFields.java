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

    /**
     * True when applying {@code manifest} cannot change {@code live}: every field it sets already has its value, and
     * {@code manager} owns no field the manifest no longer sets (an apply would remove those). Fields of equal value
     * that another manager owns are left to it (an apply would only add co-ownership). Lets a no-change run cost
     * one read per object instead of a read and a dry run.
     */
    @SuppressWarnings("unchecked")
    static boolean alreadyApplied(Map<String, Object> live, Map<String, Object> manifest, String manager) {
        if (live == null || !same(view(live, manifest), view(manifest, manifest))) {
            return false;
        }
        Object meta = live.get("metadata");
        if (!(meta instanceof Map<?, ?> m) || !(m.get("managedFields") instanceof List<?> entries)) {
            return true;
        }
        for (Object e : entries) {
            if (e instanceof Map<?, ?> entry && manager.equals(entry.get("manager")) && "Apply".equals(entry.get("operation"))) {
                Object f = entry.get("fieldsV1");
                if (f instanceof Map<?, ?> fields && !within((Map<String, Object>) fields, manifest)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Every map field ({@code f:name}) of a fieldsV1 tree is set in {@code object}; list items are not descended. */
    @SuppressWarnings("unchecked")
    private static boolean within(Map<String, Object> fields, Object object) {
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (!e.getKey().startsWith("f:")) {
                continue;
            }
            if (!(object instanceof Map<?, ?> o) || !o.containsKey(e.getKey().substring(2))) {
                return false;
            }
            if (e.getValue() instanceof Map<?, ?> sub && !sub.isEmpty()
                    && !within((Map<String, Object>) sub, o.get(e.getKey().substring(2)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The fields hyperform manages on {@code live}: those the manifest sets plus those {@code manager} owns there
     * (an apply removes owned fields the manifest no longer sets, so they belong in the comparison and the diff).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> shape(Map<String, Object> manifest, Map<String, Object> live, String manager) {
        Map<String, Object> out = new LinkedHashMap<>(manifest);
        if (live != null && live.get("metadata") instanceof Map<?, ?> m && m.get("managedFields") instanceof List<?> entries) {
            for (Object e : entries) {
                if (e instanceof Map<?, ?> entry && manager.equals(entry.get("manager")) && entry.get("fieldsV1") instanceof Map<?, ?> f) {
                    addFields(out, (Map<String, Object>) f);
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void addFields(Map<String, Object> shape, Map<String, Object> fields) {
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (!e.getKey().startsWith("f:")) {
                continue;
            }
            String k = e.getKey().substring(2);
            Object cur = shape.get(k);
            if (e.getValue() instanceof Map<?, ?> sub && !sub.isEmpty()) {
                Map<String, Object> next = cur instanceof Map<?, ?> cm ? new LinkedHashMap<>((Map<String, Object>) cm) : new LinkedHashMap<>();
                if (cur == null || cur instanceof Map<?, ?>) {
                    addFields(next, (Map<String, Object>) sub);
                    shape.put(k, next);
                }
            } else if (cur == null) {
                shape.put(k, Map.of());
            }
        }
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
