package dev.hyperform.module;

import dev.hyperform.error.Location;
import dev.hyperform.vars.Secret;
import java.util.List;
import java.util.Map;

/** Turns a YAML value into the Java type an {@link ArgDef} asks for, or says precisely why it cannot. */
final class ArgCoercion {
    private ArgCoercion() {
    }

    static Object coerce(String module, ArgDef def, Object value, Location where) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s && s.contains("${") && def.type() != ArgType.STRING && def.type() != ArgType.EXPRESSION) {
            return value; // checked again once interpolated
        }
        Object v = switch (def.type()) {
            case STRING, PATH -> scalarText(value);
            case SECRET -> value instanceof Secret ? value : new Secret(scalarText(value));
            case EXPRESSION -> value instanceof List<?> ? value : scalarText(value);
            case MODE -> mode(value);
            case INT -> integer(value);
            case BOOL -> bool(value);
            case LIST -> value instanceof List<?> ? value : (value instanceof String s ? splitList(s) : null);
            case MAP -> value instanceof Map<?, ?> ? value : null;
            case ANY -> value;
        };
        if (v == null) {
            throw ModuleException.invalidArgs(where, "module '" + module + "': argument '" + def.name() + "' must be "
                    + article(def.type()) + ", got " + describe(value), "see: hyperform doc " + module);
        }
        if (!def.choices().isEmpty() && !def.choices().contains(String.valueOf(v))) {
            throw ModuleException.invalidArgs(where, "module '" + module + "': argument '" + def.name() + "' is '" + v
                    + "', allowed: " + String.join(", ", def.choices()), "see: hyperform doc " + module);
        }
        return v;
    }

    private static String scalarText(Object value) {
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            return null;
        }
        return String.valueOf(value);
    }

    /** File modes: YAML 0644 arrives as the integer 420 (octal literal) or as text "0644" / "u+x". */
    private static Object mode(Object value) {
        if (value instanceof Integer i) {
            return String.format("%04o", i);
        }
        if (value instanceof String s && (s.matches("0?[0-7]{3,4}") || s.matches("[ugoa]*[-+=][rwxXst]*(,[ugoa]*[-+=][rwxXst]*)*"))) {
            return s.matches("[0-7]{3}") ? "0" + s : s;
        }
        return null;
    }

    private static Object integer(Object value) {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof String s && s.trim().matches("-?\\d+")) {
            return Long.parseLong(s.trim());
        }
        return null;
    }

    private static Object bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            return switch (s.trim().toLowerCase()) {
                case "yes", "true", "on", "1" -> Boolean.TRUE;
                case "no", "false", "off", "0" -> Boolean.FALSE;
                default -> null;
            };
        }
        return null;
    }

    private static List<String> splitList(String s) {
        return List.of(s.split("\\s*,\\s*"));
    }

    private static String article(ArgType t) {
        return switch (t) {
            case INT -> "an integer";
            case BOOL -> "a boolean (true/false/yes/no)";
            case LIST -> "a list";
            case MAP -> "a map";
            case MODE -> "a file mode such as '0644' (quote it) or 'u+x'";
            default -> "a string";
        };
    }

    private static String describe(Object value) {
        String type = value instanceof Map<?, ?> ? "a map" : value instanceof List<?> ? "a list"
                : value.getClass().getSimpleName().toLowerCase();
        return type + " (" + value + ")";
    }
}
