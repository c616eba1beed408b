package dev.hyperform.playbook;

import dev.hyperform.error.Location;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One play. Values that may hold {@code ${...}} expressions are kept as written ({@code Object}) and resolved
 * by the runner. {@code options} holds the keywords a play shares with blocks and tasks (become, tags,
 * environment, check_mode, diff, no_log, ignore_errors, vars ...); {@code vars} and {@code varsFiles} are the
 * play's own variable layers.
 *
 * @param baseDir         the directory of the file the play was written in (for vars_files, files, templates)
 * @param serial          batch sizes as written: empty = all hosts at once; elements are Integer or "N%" text
 * @param gatherFacts     Boolean or an expression; null = default (true)
 * @param secrets         names of variables whose values must never be shown
 */
public record Play(String name, String hosts, Location location, Path baseDir,
                   Map<String, Object> vars, List<String> varsFiles, List<VarsPrompt> varsPrompt,
                   Object gatherFacts, List<Object> serial, Object maxFailPercentage, boolean anyErrorsFatal,
                   String strategy, String order, boolean forceHandlers, List<String> secrets,
                   TaskOptions options,
                   List<Step> preTasks, List<RoleUse> roles, List<Step> tasks, List<Step> postTasks,
                   List<Handler> handlers) {

    public Play {
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
        varsFiles = List.copyOf(varsFiles);
        varsPrompt = List.copyOf(varsPrompt);
        serial = List.copyOf(serial);
        secrets = List.copyOf(secrets);
        preTasks = List.copyOf(preTasks);
        roles = List.copyOf(roles);
        tasks = List.copyOf(tasks);
        postTasks = List.copyOf(postTasks);
        handlers = List.copyOf(handlers);
    }

    /** The play's name as shown in output: its name, else its host pattern. */
    public String displayName() {
        return name == null || name.isBlank() ? hosts : name;
    }
}
