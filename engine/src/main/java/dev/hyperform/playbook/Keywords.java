package dev.hyperform.playbook;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** The keywords each kind of entry accepts, and the Ansible keywords hyperform knows but does not offer. */
final class Keywords {
    private Keywords() {
    }

    /** Keywords every block, include, role use and task may carry (they become {@code TaskOptions}). */
    static final Set<String> COMMON = Set.of("when", "tags", "become", "become_user", "become_method",
            "ignore_errors", "ignore_unreachable", "no_log", "check_mode", "diff", "environment", "vars",
            "any_errors_fatal", "delegate_to", "run_once", "connection", "remote_user", "timeout", "throttle");

    static final Set<String> LOOP = Set.of("loop", "with_items", "with_list", "loop_control");

    static final Set<String> TASK = union(COMMON, LOOP, Set.of("name", "args", "register", "notify", "changed_when",
            "failed_when", "until", "retries", "delay", "local_action", "action"));

    static final Set<String> HANDLER = union(TASK, Set.of("listen"));

    static final Set<String> BLOCK = union(COMMON, Set.of("name", "block", "rescue", "always", "notify"));

    static final Set<String> IMPORT_TASKS = union(COMMON, Set.of("name", "import_tasks"));
    static final Set<String> INCLUDE_TASKS = union(COMMON, LOOP, Set.of("name", "include_tasks"));
    static final Set<String> IMPORT_ROLE = union(COMMON, Set.of("name", "import_role"));
    static final Set<String> INCLUDE_ROLE = union(COMMON, LOOP, Set.of("name", "include_role"));

    /** Keys inside {@code import_role:}/{@code include_role:}. */
    static final Set<String> ROLE_CALL = Set.of("name", "tasks_from", "handlers_from", "defaults_from", "vars_from",
            "allow_duplicates");

    /** Keywords of a {@code roles:} entry; every other key is a role parameter. */
    static final Set<String> ROLE_ENTRY = union(Set.of("role", "name", "when", "tags", "become", "become_user",
            "become_method", "vars", "environment", "ignore_errors", "ignore_unreachable", "no_log", "check_mode",
            "diff", "delegate_to", "any_errors_fatal", "connection", "remote_user"));

    static final Set<String> PLAY = Set.of("name", "hosts", "vars", "vars_files", "vars_prompt", "become",
            "become_user", "become_method", "gather_facts", "serial", "max_fail_percentage", "any_errors_fatal",
            "strategy", "order", "pre_tasks", "roles", "tasks", "post_tasks", "handlers", "tags", "environment",
            "force_handlers", "ignore_errors", "ignore_unreachable", "check_mode", "diff", "no_log", "connection",
            "remote_user", "secrets");

    static final Set<String> IMPORT_PLAYBOOK = Set.of("import_playbook", "name", "vars", "tags", "when");

    static final Set<String> LOOP_CONTROL = Set.of("loop_var", "index_var", "label", "pause", "extended");

    static final Set<String> VARS_PROMPT = Set.of("name", "prompt", "default", "private");

    static final Set<String> META_ACTIONS = Set.of("flush_handlers", "end_play", "end_host", "clear_host_errors",
            "noop", "reset_connection");

    /** Ansible keywords hyperform does not offer, with what to do instead. */
    static final Map<String, String> UNSUPPORTED = Map.ofEntries(
            Map.entry("async", "hyperform runs every task to completion; use 'timeout:' to bound it"),
            Map.entry("poll", "hyperform runs every task to completion; use 'timeout:' to bound it"),
            Map.entry("collections", "modules are found by name; remove 'collections:'"),
            Map.entry("module_defaults", "give the arguments on each task (a YAML anchor '&x' / '<<: *x' helps)"),
            Map.entry("debugger", "rerun with -vvv to see what each task ran"),
            Map.entry("gather_subset", "hyperform gathers a fixed, cheap fact set; remove it"),
            Map.entry("gather_timeout", "remove it"),
            Map.entry("fact_path", "remove it"),
            Map.entry("become_flags", "remove it"),
            Map.entry("become_exe", "remove it"),
            Map.entry("delegate_facts", "remove it"),
            Map.entry("port", "set ansible_port for the host in the inventory"),
            Map.entry("include", "use 'include_tasks:' (dynamic) or 'import_tasks:' (static)"),
            Map.entry("with_dict", "use 'loop:' with an expression that gives a list"),
            Map.entry("with_fileglob", "use 'loop:' with an expression that gives a list"),
            Map.entry("with_sequence", "use 'loop:' with an expression such as \"${1..5}\""),
            Map.entry("with_nested", "use 'loop:' with an expression that gives a list"),
            Map.entry("with_together", "use 'loop:' with an expression that gives a list"),
            Map.entry("with_subelements", "use 'loop:' with an expression that gives a list"),
            Map.entry("with_indexed_items", "use 'loop:' with 'loop_control: {index_var: i}'"),
            Map.entry("with_first_found", "name the file directly"),
            Map.entry("with_file", "use 'loop:' with an expression that gives a list"),
            Map.entry("with_lines", "use 'loop:' with an expression that gives a list"),
            Map.entry("with_flattened", "use 'loop:' with an expression that gives a list"));

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new LinkedHashSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return Set.copyOf(all);
    }
}
