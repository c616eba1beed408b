package dev.hyperform.playbook;

import dev.hyperform.error.Location;
import java.util.List;

/**
 * One entry of a play's {@code roles:} (or a role pulled in through {@code meta/main.yml} dependencies, which
 * come first in the list): the role, its loaded tasks and handlers, and the keywords given where it was used
 * ({@code when}, {@code tags}, {@code become} ...), which apply to every task of the role.
 */
public record RoleUse(RoleRef role, List<Step> tasks, List<Handler> handlers, TaskOptions options,
                      Location location) {
    public RoleUse {
        tasks = List.copyOf(tasks);
        handlers = List.copyOf(handlers);
    }
}
