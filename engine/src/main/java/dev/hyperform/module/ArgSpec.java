package dev.hyperform.module;

import dev.hyperform.error.Location;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@code hyperform doc MODULE} prints and everything checked before a run: a description, the
 * arguments, which argument takes the free-form text of {@code command: echo hi} (null = none) and an example.
 */
public record ArgSpec(String description, List<ArgDef> args, String freeForm, String example) {

    /** An argument named {@code *} lets a module take any key (like {@code set_fact}). */
    public static final String ANY_KEY = "*";

    public ArgSpec {
        args = List.copyOf(args);
    }

    public static Builder builder(String description) {
        return new Builder(description);
    }

    public Optional<ArgDef> find(String name) {
        for (ArgDef a : args) {
            if (a.name().equals(name) || a.aliases().contains(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * Check names, types, required arguments and choices; fill defaults; map aliases to canonical names.
     * Values that still hold {@code ${...}} expressions are type-checked after interpolation, by calling this
     * again on the interpolated map.
     *
     * @throws ModuleException (INVALID_INPUT) naming the module, the argument and the location
     */
    public Args validate(String module, Map<String, Object> raw, Location where) {
        Map<String, Object> out = new LinkedHashMap<>();
        boolean anyKey = find(ANY_KEY).isPresent();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            if (anyKey && find(e.getKey()).isEmpty()) {
                out.put(e.getKey(), e.getValue());
                continue;
            }
            ArgDef def = find(e.getKey()).orElseThrow(() -> ModuleException.invalidArgs(where,
                    "module '" + module + "' has no argument '" + e.getKey() + "'",
                    "known arguments: " + names() + closest(e.getKey()).map(c -> "; did you mean '" + c + "'?").orElse("")
                            + " (see: hyperform doc " + module + ")"));
            if (out.containsKey(def.name())) {
                throw ModuleException.invalidArgs(where, "module '" + module + "': argument '" + def.name()
                        + "' is given twice (once as '" + e.getKey() + "')", "keep one of them");
            }
            out.put(def.name(), ArgCoercion.coerce(module, def, e.getValue(), where));
        }
        for (ArgDef def : args) {
            if (!out.containsKey(def.name()) && !def.name().equals(ANY_KEY)) {
                if (def.required()) {
                    throw ModuleException.invalidArgs(where, "module '" + module + "' needs argument '" + def.name()
                            + "' (" + def.doc() + ")", "add '" + def.name() + ":' to the task (see: hyperform doc " + module + ")");
                }
                if (def.defaultValue() != null) {
                    out.put(def.name(), def.defaultValue());
                }
            }
        }
        return new Args(module, out, where);
    }

    private List<String> names() {
        List<String> n = new ArrayList<>();
        args.forEach(a -> n.add(a.name()));
        return n;
    }

    private Optional<String> closest(String name) {
        return EditDistance.closest(name, args.stream().map(ArgDef::name).toList());
    }

    /** Fluent construction of a spec, one {@code arg} at a time. */
    public static final class Builder {
        private final String description;
        private final List<ArgDef> args = new ArrayList<>();
        private String freeForm;
        private String example = "";

        private Builder(String description) {
            this.description = description;
        }

        public Builder arg(ArgDef def) {
            args.add(def);
            return this;
        }

        public Builder freeForm(String argName) {
            this.freeForm = argName;
            return this;
        }

        public Builder example(String yaml) {
            this.example = yaml;
            return this;
        }

        public ArgSpec build() {
            return new ArgSpec(description, args, freeForm, example);
        }
    }
}
