package dev.hyperform.playbook;

import dev.hyperform.error.Location;
import java.nio.file.Path;
import java.util.Map;

/**
 * A dynamic include, resolved at run time per host (it may loop): {@code include_tasks: FILE} or
 * {@code include_role: {name: ROLE}}. {@code target} is the file or role name as written (it may hold
 * expressions); {@code baseDir} is where a relative file is looked up; {@code params} are the include's vars.
 */
public record Include(String name, Kind kind, String target, String tasksFrom, Map<String, Object> params, TaskOptions options,
                      Location location, RoleRef role, Path baseDir) implements Step {

    /** What is included. */
    public enum Kind { TASKS, ROLE }

    public Include {
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    }
}
