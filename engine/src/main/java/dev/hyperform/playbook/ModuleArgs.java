package dev.hyperform.playbook;

import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds a task's one module key among its keywords and reads its arguments (a map, or the {@code k=v} short form,
 * plus {@code args:}). Arguments without expressions are validated against the module's spec right away.
 */
final class ModuleArgs {
    static final String META = "meta";

    private final ModuleRegistry registry;

    /** The module (canonical name), its raw arguments, and whether it came from {@code local_action}. */
    record Resolved(String module, Map<String, Object> args, boolean local) {
    }

    ModuleArgs(ModuleRegistry registry) {
        this.registry = registry;
    }

    Resolved resolve(Fields f, Set<String> keywords) {
        List<String> modules = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String key : f.map().keySet()) {
            if (keywords.contains(key)) {
                continue;
            }
            if (isModule(key) && !Keywords.UNSUPPORTED.containsKey(key)) {
                modules.add(key);
            } else {
                unknown.add(key);
            }
        }
        boolean viaAction = f.has("local_action") || f.has("action");
        if (modules.size() + (viaAction ? 1 : 0) > 1 || (f.has("local_action") && f.has("action"))) {
            List<String> all = new ArrayList<>(modules);
            if (f.has("action")) {
                all.add("action");
            }
            if (f.has("local_action")) {
                all.add("local_action");
            }
            throw new PlaybookException(f.at(all.get(1)), "one task, several modules: " + String.join(", ", all),
                    "a task runs exactly one module: split it into one task per module");
        }
        if (!unknown.isEmpty() && (!modules.isEmpty() || viaAction || unknown.size() > 1
                || Keywords.UNSUPPORTED.containsKey(unknown.get(0)))) {
            String key = unknown.stream().filter(k -> Values.closest(k, keywords).isPresent()).findFirst()
                    .orElse(unknown.get(0));
            throw f.unknown(key, keywords);
        }
        if (!unknown.isEmpty()) {
            throw unknownModule(f, unknown.get(0), keywords);
        }
        if (viaAction) {
            return action(f, f.has("local_action") ? "local_action" : "action");
        }
        if (modules.isEmpty()) {
            throw new PlaybookException(f.location(), "task has no module (keys: " + String.join(", ", f.map().keySet())
                    + ")", "add one module, e.g. 'command: ...' (see: hyperform doc)");
        }
        String key = modules.get(0);
        return new Resolved(canonical(key), args(f, key, key, f.raw(key)), false);
    }

    private boolean isModule(String key) {
        return key.equals(META) || key.equals("ansible.builtin.meta") || registry.find(key).isPresent();
    }

    private String canonical(String key) {
        return registry.find(key).map(Module::name).orElse(META);
    }

    private PlaybookException unknownModule(Fields f, String key, Set<String> keywords) {
        List<String> names = new ArrayList<>(registry.names());
        names.add(META);
        String hint = Values.closest(key, names).map(c -> "did you mean module '" + c + "'? ")
                .or(() -> Values.closest(key, keywords).map(c -> "did you mean keyword '" + c + "'? ")).orElse("");
        return new PlaybookException(f.at(key), "unknown module '" + key + "'",
                hint + "known modules: " + String.join(", ", new TreeSet<>(names)));
    }

    /** {@code local_action: copy src=a dest=b} or {@code local_action: {module: copy, src: a}}. */
    private Resolved action(Fields f, String key) {
        Object v = f.raw(key);
        String module;
        Object rest;
        if (v instanceof String s && !s.isBlank()) {
            String[] parts = s.strip().split("\\s+", 2);
            module = parts[0];
            rest = parts.length > 1 ? parts[1] : null;
        } else if (v instanceof Map<?, ?> m && m.get("module") instanceof String name) {
            module = name;
            Map<String, Object> copy = new LinkedHashMap<>(TaskParser.castMap(m));
            copy.remove("module");
            rest = copy;
        } else {
            throw f.error(key, "'" + key + "' needs 'MODULE ARGS' or a map with 'module:', got " + Values.describe(v),
                    null);
        }
        if (!isModule(module)) {
            throw new PlaybookException(f.at(key), "unknown module '" + module + "' in '" + key + "'",
                    Values.didYouMean(module, registry.names()) + "see: hyperform doc");
        }
        return new Resolved(canonical(module), args(f, key, module, rest), key.equals("local_action"));
    }

    private Map<String, Object> args(Fields f, String key, String moduleName, Object raw) {
        Module m = registry.find(moduleName).orElse(null);
        if (m == null) {
            return meta(f, key, raw);
        }
        Map<String, Object> args = new LinkedHashMap<>();
        if (raw instanceof Map<?, ?> map) {
            map.forEach((k, v) -> args.put(String.valueOf(k), v));
        } else if (raw instanceof List<?>) {
            throw f.error(key, "arguments of '" + key + "' must be a map or 'name=value' text, got a list", null);
        } else if (raw != null) {
            args.putAll(ShortFormArgs.parse(String.valueOf(raw), m.name(), m.spec(), f.at(key)));
        }
        Map<String, Object> extra = f.submap("args");
        if (extra != null) {
            extra.forEach(args::putIfAbsent);
        }
        if (!dev.hyperform.vars.LazyScope.holdsExpression(args)) {
            m.spec().validate(m.name(), args, f.at(key));
        }
        return args;
    }

    private static Map<String, Object> meta(Fields f, String key, Object raw) {
        if (!(raw instanceof String action) || !Keywords.META_ACTIONS.contains(action.strip())) {
            throw f.error(key, "'meta: " + (raw == null ? "" : raw) + "' is not a meta action",
                    Values.didYouMean(String.valueOf(raw), Keywords.META_ACTIONS) + "known: "
                            + String.join(", ", new TreeSet<>(Keywords.META_ACTIONS)));
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("free_form", action.strip());
        return args;
    }
}
