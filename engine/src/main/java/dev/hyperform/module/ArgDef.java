package dev.hyperform.module;

import java.util.List;

/**
 * One argument of a module: its name, type, whether it is required, its default (null = none), a one-line doc,
 * allowed values (empty = any) and alternative names it is also accepted under.
 */
public record ArgDef(String name, ArgType type, boolean required, Object defaultValue, String doc,
                     List<String> choices, List<String> aliases) {

    public ArgDef {
        choices = List.copyOf(choices);
        aliases = List.copyOf(aliases);
    }

    public static ArgDef required(String name, ArgType type, String doc) {
        return new ArgDef(name, type, true, null, doc, List.of(), List.of());
    }

    public static ArgDef optional(String name, ArgType type, Object defaultValue, String doc) {
        return new ArgDef(name, type, false, defaultValue, doc, List.of(), List.of());
    }

    public ArgDef choices(String... values) {
        return new ArgDef(name, type, required, defaultValue, doc, List.of(values), aliases);
    }

    public ArgDef aliases(String... names) {
        return new ArgDef(name, type, required, defaultValue, doc, choices, List.of(names));
    }
}
