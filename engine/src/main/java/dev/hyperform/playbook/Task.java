package dev.hyperform.playbook;

import dev.hyperform.error.Location;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One task: exactly one module with its arguments (already turned from the {@code k=v} short form into a map;
 * the free-form text, if any, is under the module's free-form argument name), and its keywords.
 * {@code module} is the canonical module name (e.g. {@code copy}, {@code meta}).
 */
public record Task(String name, String module, Map<String, Object> args, TaskOptions options, Location location,
                   RoleRef role) implements Step {

    public Task {
        args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
    }

    /** The name shown in output: its name, else {@code module} (and the role prefix as Ansible shows it). */
    public String displayName() {
        String base = name == null || name.isBlank() ? module : name;
        return role == null ? base : role.name() + " : " + base;
    }
}
