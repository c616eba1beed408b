package dev.hyperform.module;

import dev.hyperform.error.Location;
import dev.hyperform.vars.Secret;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A module's validated, interpolated arguments with typed accessors. Names are the canonical ones of the
 * {@link ArgSpec}; defaults are filled in. {@link #location()} is the task's place, for error messages.
 */
public record Args(String module, Map<String, Object> values, Location location) {

    public Args {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public boolean has(String name) {
        return values.get(name) != null;
    }

    public String string(String name) {
        Object v = require(name);
        return v instanceof Secret s ? s.reveal() : String.valueOf(v);
    }

    public Optional<String> optString(String name) {
        Object v = values.get(name);
        return v == null ? Optional.empty() : Optional.of(v instanceof Secret s ? s.reveal() : String.valueOf(v));
    }

    public boolean bool(String name) {
        Object v = values.get(name);
        return v instanceof Boolean b && b;
    }

    public Optional<Boolean> optBool(String name) {
        Object v = values.get(name);
        return v instanceof Boolean b ? Optional.of(b) : Optional.empty();
    }

    public long integer(String name) {
        return ((Number) require(name)).longValue();
    }

    public Optional<Long> optInteger(String name) {
        Object v = values.get(name);
        return v instanceof Number n ? Optional.of(n.longValue()) : Optional.empty();
    }

    @SuppressWarnings("unchecked")
    public List<Object> list(String name) {
        Object v = values.get(name);
        return v == null ? List.of() : (List<Object>) v;
    }

    /** A list argument as strings (every element converted with {@code String.valueOf}). */
    public List<String> strings(String name) {
        return list(name).stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String name) {
        Object v = values.get(name);
        return v == null ? Map.of() : (Map<String, Object>) v;
    }

    public Object raw(String name) {
        return values.get(name);
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw ModuleException.invalidArgs(location, "module '" + module + "' needs argument '" + name + "'",
                    "see: hyperform doc " + module);
        }
        return v;
    }
}
