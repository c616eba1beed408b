package dev.hyperform.modules.kubernetes;

import dev.hyperform.module.Args;
import dev.hyperform.module.ModuleException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Readiness as a pure predicate over an object, shared by {@code k8s} and {@code k8s_info} waits and by tests:
 * a condition ({@code {type: Available, status: "True"}}) and/or a field test ({@code status.phase == Deployed},
 * {@code !=} too). Waiting uses the API's watch (fabric8's informer), never fixed sleeps; a timeout reports the last
 * status seen.
 *
 * @param conditionType   condition type, or null
 * @param conditionStatus wanted status of that condition ("True" by default)
 * @param field           dotted path of a field test, or null
 * @param equals          true for {@code ==}, false for {@code !=}
 * @param value           the value the field is compared with
 * @param timeoutSeconds  how long to wait
 */
record Waits(String conditionType, String conditionStatus, String field, boolean equals, String value,
             long timeoutSeconds) {

    /** The wait a task asks for ({@code wait: true} plus {@code wait_condition}/{@code wait_for}), or null. */
    static Waits of(Args args) {
        if (!args.bool("wait")) {
            return null;
        }
        String type = null;
        String status = "True";
        if (args.has("wait_condition")) {
            Map<String, Object> c = args.map("wait_condition");
            type = String.valueOf(c.get("type"));
            status = c.get("status") == null ? "True" : String.valueOf(c.get("status"));
        }
        String field = null;
        boolean eq = true;
        String value = null;
        if (args.has("wait_for")) {
            String t = args.string("wait_for");
            String[] parts = t.split("\\s*(==|!=)\\s*", 2);
            if (parts.length != 2 || parts[0].isBlank()) {
                throw KubeErrors.invalid("wait_for '" + t + "' is not 'FIELD == VALUE' or 'FIELD != VALUE'",
                        "for example: wait_for: status.phase == Deployed");
            }
            field = parts[0].strip();
            eq = t.contains("==");
            value = parts[1].strip();
        }
        return new Waits(type, status, field, eq, value, args.integer("wait_timeout"));
    }

    static Waits established(long timeoutSeconds) {
        return new Waits("Established", "True", null, true, null, timeoutSeconds);
    }

    /** The readiness predicate; without a condition or field test, "the object exists". */
    boolean test(Map<String, Object> object) {
        if (object == null) {
            return false;
        }
        if (conditionType != null && !conditionStatus.equals(condition(object, conditionType))) {
            return false;
        }
        if (field != null) {
            Object v = field(object, field);
            return equals == Objects.equals(v == null ? null : String.valueOf(v), value);
        }
        return true;
    }

    String describe() {
        String c = conditionType == null ? "" : "condition " + conditionType + "=" + conditionStatus;
        String f = field == null ? "" : field + (equals ? " == " : " != ") + value;
        return c.isEmpty() && f.isEmpty() ? "exists" : c + (c.isEmpty() || f.isEmpty() ? "" : " and ") + f;
    }

    /** Block until the object passes, through a watch; on timeout an error with the last status and conditions. */
    void await(Resource<GenericKubernetesResource> resource, String ref) {
        Predicate<GenericKubernetesResource> p = r -> test(r == null ? null : KubeObjects.map(r));
        try {
            resource.waitUntilCondition(p, timeoutSeconds, TimeUnit.SECONDS);
        } catch (KubernetesClientException | IllegalStateException e) {
            GenericKubernetesResource last = resource.get();
            Object status = last == null ? "the object does not exist" : KubeObjects.map(last).get("status");
            throw new ModuleException("timed out after " + timeoutSeconds + " s waiting for " + ref + " to reach "
                    + describe() + "; last status: " + status, "raise wait_timeout, or look at the object's events "
                    + "(kubectl describe)");
        }
    }

    static String condition(Map<String, Object> object, String type) {
        if (object.get("status") instanceof Map<?, ?> s && s.get("conditions") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> c && type.equals(c.get("type"))) {
                    return String.valueOf(c.get("status"));
                }
            }
        }
        return null;
    }

    static Object field(Map<String, Object> object, String path) {
        Object cur = object;
        for (String part : path.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(part);
        }
        return cur;
    }
}
