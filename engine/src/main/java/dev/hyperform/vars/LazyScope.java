package dev.hyperform.vars;

import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import java.util.AbstractMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A task's variables as a map whose values holding {@code ${...}} are interpolated on first read, in this same scope
 * (so layers can refer to each other whatever their order); a variable that refers to itself is an error. Names in
 * {@code literal} hold data (registered results, facts) and are never interpolated.
 */
public final class LazyScope extends AbstractMap<String, Object> {
    private final Map<String, Object> raw;
    private final Set<String> literal;
    private final Map<String, Object> resolved = new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<String> resolving = new HashSet<>();
    private final Expressions expressions;
    private final Origin origin;

    public LazyScope(Map<String, Object> raw, Expressions expressions, Origin origin) {
        this(raw, Set.of(), expressions, origin);
    }

    public LazyScope(Map<String, Object> raw, Set<String> literal, Expressions expressions, Origin origin) {
        this.raw = raw;
        this.literal = literal;
        this.expressions = expressions;
        this.origin = origin;
    }

    @Override
    public boolean containsKey(Object key) {
        return raw.containsKey(key);
    }

    @Override
    public Object get(Object key) {
        if (!(key instanceof String k) || !raw.containsKey(k)) {
            return null;
        }
        Object hit = resolved.get(k);
        if (hit != null) {
            return hit;
        }
        Object v = raw.get(k);
        if (literal.contains(k) || !holdsExpression(v)) {
            return v;
        }
        synchronized (resolving) {
            if (!resolving.add(k)) {
                throw new HyperformException(Failure.INVALID_INPUT, origin.location(),
                        "variable '" + k + "' refers to itself (directly or through other variables)",
                        "give it a plain value somewhere, or rename one of the variables");
            }
        }
        try {
            Object value = expressions.interpolate(v, this, origin);
            if (value != null) {
                resolved.put(k, value);
            }
            return value;
        } finally {
            synchronized (resolving) {
                resolving.remove(k);
            }
        }
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        Map<String, Object> view = new LinkedHashMap<>();
        for (String k : raw.keySet()) {
            view.put(k, raw.get(k));
        }
        return view.entrySet();
    }

    @Override
    public Set<String> keySet() {
        return raw.keySet();
    }

    /**
     * Whether any string inside {@code v} (deeply, keys too) holds a {@code ${...}} expression. Another scope (a host
     * of {@code hostvars}) resolves its own values when they are read, so it is not walked: walking it would resolve
     * every variable of every host, and one that cannot be resolved would fail any read of {@code hostvars}.
     */
    public static boolean holdsExpression(Object v) {
        if (v instanceof LazyScope) {
            return false;
        }
        if (v instanceof String s) {
            return s.contains("${");
        }
        if (v instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (holdsExpression(e.getKey()) || holdsExpression(e.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (v instanceof List<?> list) {
            for (Object o : list) {
                if (holdsExpression(o)) {
                    return true;
                }
            }
        }
        return false;
    }
}
