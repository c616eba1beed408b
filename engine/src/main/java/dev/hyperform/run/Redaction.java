package dev.hyperform.run;

import dev.hyperform.vars.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deep copy of a result with every text passed through the run's redactor and every {@link Secret} masked. */
final class Redaction {
    private Redaction() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> deep(Map<String, Object> value, Emitter emitter) {
        return (Map<String, Object>) copy(value, emitter);
    }

    private static Object copy(Object v, Emitter emitter) {
        if (v instanceof Secret) {
            return Secret.MASK;
        }
        if (v instanceof String s) {
            return emitter.redact(s);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), copy(x, emitter)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(copy(x, emitter)));
            return out;
        }
        return v;
    }
}
