package dev.hyperform.playbook;

import java.nio.file.Path;
import java.util.Map;

/**
 * The role a step belongs to: its name and directory (for {@code files/} and {@code templates/} look-ups), its
 * {@code defaults/} (lowest precedence), its {@code vars/}, and the parameters it was called with.
 */
public record RoleRef(String name, Path dir, Map<String, Object> defaults, Map<String, Object> vars,
                      Map<String, Object> params) {
    public RoleRef {
        defaults = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(defaults));
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    }
}
