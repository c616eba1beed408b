package dev.hyperform.playbook;

import dev.hyperform.error.Location;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One YAML map being read as a play, task, block or role entry: typed reads of its keys, each failing with the
 * key's file:line and what was expected.
 */
final class Fields {
    private final YamlDocument doc;
    private final Map<String, Object> map;
    private final String what;
    private final Set<String> hidden;

    Fields(YamlDocument doc, Map<String, Object> map, String what) {
        this(doc, map, what, Set.of());
    }

    private Fields(YamlDocument doc, Map<String, Object> map, String what, Set<String> hidden) {
        this.doc = doc;
        this.map = map;
        this.what = what;
        this.hidden = hidden;
    }

    /** The same map with {@code keys} treated as absent (for reads; {@link #requireKnown} still sees them). */
    Fields without(String... keys) {
        Set<String> h = new java.util.HashSet<>(hidden);
        h.addAll(List.of(keys));
        return new Fields(doc, map, what, h);
    }

    YamlDocument doc() {
        return doc;
    }

    Map<String, Object> map() {
        return map;
    }

    String what() {
        return what;
    }

    Location location() {
        return doc.location(map);
    }

    Location at(String key) {
        return doc.keyLocation(map, key);
    }

    boolean has(String key) {
        return !hidden.contains(key) && map.containsKey(key);
    }

    Object raw(String key) {
        return hidden.contains(key) ? null : map.get(key);
    }

    /** Every key must be one of {@code allowed}; otherwise an error with a "did you mean". */
    void requireKnown(Collection<String> allowed) {
        for (String key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw unknown(key, allowed);
            }
        }
    }

    PlaybookException unknown(String key, Collection<String> allowed) {
        String unsupported = Keywords.UNSUPPORTED.get(key);
        if (unsupported != null) {
            return new PlaybookException(at(key), "'" + key + "' is an Ansible keyword hyperform does not support",
                    unsupported);
        }
        String suggestion = Values.didYouMean(key, allowed);
        return new PlaybookException(at(key), "unknown " + what + " keyword '" + key + "'", suggestion.isEmpty()
                ? "valid here: " + String.join(", ", new TreeSet<>(allowed)) : suggestion.strip());
    }

    PlaybookException error(String key, String message, String hint) {
        return new PlaybookException(at(key), message, hint);
    }

    /** Text (numbers and booleans become text); null if absent. Maps and lists are errors. */
    String string(String key) {
        Object v = raw(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            throw error(key, "'" + key + "' must be text, got " + Values.describe(v), null);
        }
        return String.valueOf(v);
    }

    /** A scalar or a list of scalars, as text; null if absent. */
    List<String> strings(String key) {
        Object v = raw(key);
        if (v == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Object o : v instanceof List<?> l ? l : List.of(v)) {
            if (o instanceof Map<?, ?> || o instanceof List<?> || o == null) {
                throw error(key, "'" + key + "' must be text or a list of text, got an entry that is "
                        + Values.describe(o), null);
            }
            out.add(String.valueOf(o));
        }
        return out;
    }

    /** Tags: a list, or one text that may hold several comma-separated tags. */
    List<String> tags(String key) {
        List<String> raw = strings(key);
        if (raw == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String s : raw) {
            for (String t : s.split(",")) {
                if (!t.isBlank()) {
                    out.add(t.trim());
                }
            }
        }
        return out;
    }

    /** A boolean, or text holding an expression; null if absent. */
    Object flag(String key) {
        Object v = raw(key);
        if (v == null || v instanceof Boolean) {
            return v;
        }
        if (v instanceof String s && s.contains("${")) {
            return s;
        }
        throw error(key, "'" + key + "' must be true or false (or an expression \"${...}\"), got " + Values.describe(v),
                "write " + key + ": true or " + key + ": false, without quotes");
    }

    /** A whole number, or text holding an expression; null if absent. */
    Object number(String key) {
        Object v = raw(key);
        if (v == null || v instanceof Integer || v instanceof Long) {
            return v;
        }
        if (v instanceof String s && s.contains("${")) {
            return s;
        }
        if (v instanceof String s && s.trim().matches("\\d+")) {
            return Integer.valueOf(s.trim());
        }
        throw error(key, "'" + key + "' must be a whole number (or an expression \"${...}\"), got " + Values.describe(v),
                null);
    }

    /** A map with text keys; null if absent. */
    Map<String, Object> submap(String key) {
        Object v = raw(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map<?, ?>)) {
            throw error(key, "'" + key + "' must be a map of 'name: value', got " + Values.describe(v), null);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        return m;
    }

    /** A list; null if absent; a single non-list value is an error. */
    List<Object> list(String key) {
        Object v = raw(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?>)) {
            throw error(key, "'" + key + "' must be a list ('- item' per line), got " + Values.describe(v), null);
        }
        @SuppressWarnings("unchecked")
        List<Object> l = (List<Object>) v;
        return l;
    }
}
