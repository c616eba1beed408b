package dev.hyperform.playbook;

import dev.hyperform.error.Location;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads task lists (a play's sections, a task file, a role's tasks and handlers) into steps: tasks, blocks,
 * static imports (expanded now) and dynamic includes (kept for run time).
 */
final class TaskParser {
    private final ModuleRegistry registry;
    private final ModuleArgs moduleArgs;
    private final RoleResolver roles;

    TaskParser(ModuleRegistry registry, List<Path> rolesPath) {
        this.registry = registry;
        this.moduleArgs = new ModuleArgs(registry);
        this.roles = new RoleResolver(this, rolesPath);
    }

    RoleResolver roles() {
        return roles;
    }

    ModuleRegistry registry() {
        return registry;
    }

    /** A task file: a YAML list of tasks (an empty file is no tasks). */
    List<Step> parseFile(Path file, RoleRef role, Path playbookDir, List<Path> chain, List<Handler> handlers,
                         Location from) {
        YamlDocument doc = readTaskFile(file, from);
        LoadContext ctx = new LoadContext(doc, playbookDir, role, chain, handlers);
        return doc.root() == null ? List.of() : steps(doc.root(), ctx, Location.of(file, 1, 1), "task file");
    }

    /** A handlers file of a role. */
    List<Handler> parseHandlerFile(Path file, RoleRef role, Path playbookDir) {
        YamlDocument doc = readTaskFile(file, Location.of(file));
        LoadContext ctx = new LoadContext(doc, playbookDir, role, List.of(), new ArrayList<>());
        return doc.root() == null ? List.of() : handlers(doc.root(), ctx, Location.of(file, 1, 1));
    }

    private static YamlDocument readTaskFile(Path file, Location from) {
        if (!Files.isRegularFile(file)) {
            throw new PlaybookException(from.isKnown() ? from : Location.of(file), "task file not found: " + file,
                    "relative names are looked up next to the file that names them ("
                            + (file.getParent() == null ? "." : file.getParent()) + ")");
        }
        return YamlReader.read(file);
    }

    /** A list of task entries ({@code section} names it in messages, e.g. "tasks"). */
    List<Step> steps(Object value, LoadContext ctx, Location where, String section) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new PlaybookException(where, "'" + section + "' must be a list of tasks ('- name: ...'), got "
                    + Values.describe(value), null);
        }
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(step(list.get(i), ctx, ctx.doc().itemLocation(list, i), section));
        }
        return out;
    }

    List<Handler> handlers(Object value, LoadContext ctx, Location where) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new PlaybookException(where, "'handlers' must be a list of tasks, got " + Values.describe(value), null);
        }
        List<Handler> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Fields f = entry(list.get(i), ctx, ctx.doc().itemLocation(list, i), "handler");
            if (f.has("block") || f.has("import_tasks") || f.has("include_tasks") || f.has("import_role")
                    || f.has("include_role")) {
                throw new PlaybookException(f.location(), "a handler must be a single task (no block, import or "
                        + "include)", "write the steps as separate handlers listening to one topic ('listen:')");
            }
            Task task = task(f, ctx, Keywords.HANDLER);
            List<String> listen = f.strings("listen");
            if ((task.name() == null || task.name().isBlank()) && listen == null) {
                throw new PlaybookException(f.location(), "a handler needs a 'name:' (or 'listen:') so tasks can "
                        + "notify it", "add name: and use it in the tasks' notify:");
            }
            out.add(new Handler(task, listen == null ? List.of() : listen));
        }
        return out;
    }

    private Fields entry(Object value, LoadContext ctx, Location where, String what) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new PlaybookException(where, "a " + what + " must be a map ('name: ...' and a module), got "
                    + Values.describe(value), "indent the task's keys under its '- '");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) m;
        return new Fields(ctx.doc(), map, what);
    }

    private Step step(Object value, LoadContext ctx, Location where, String section) {
        Fields f = entry(value, ctx, where, "task");
        if (f.has("block")) {
            return block(new Fields(f.doc(), f.map(), "block"), ctx);
        }
        if (f.has("rescue") || f.has("always")) {
            throw f.error(f.has("rescue") ? "rescue" : "always", "'rescue'/'always' without 'block'",
                    "put the tasks to protect under 'block:' in the same entry");
        }
        if (f.has("import_tasks")) {
            return importTasks(new Fields(f.doc(), f.map(), "import_tasks"), ctx);
        }
        if (f.has("include_tasks")) {
            return include(new Fields(f.doc(), f.map(), "include_tasks"), ctx, Include.Kind.TASKS);
        }
        if (f.has("import_role")) {
            return importRole(new Fields(f.doc(), f.map(), "import_role"), ctx);
        }
        if (f.has("include_role")) {
            return include(new Fields(f.doc(), f.map(), "include_role"), ctx, Include.Kind.ROLE);
        }
        return task(f, ctx, Keywords.TASK);
    }

    private Block block(Fields f, LoadContext ctx) {
        for (String loop : Keywords.LOOP) {
            if (f.has(loop) && !loop.equals("loop_control")) {
                throw f.error(loop, "a block cannot loop ('" + loop + "')",
                        "move the block's tasks to a file and loop over 'include_tasks:' of that file");
            }
        }
        f.requireKnown(Keywords.BLOCK);
        List<Step> block = steps(f.raw("block"), ctx, f.at("block"), "block");
        List<Step> rescue = steps(f.raw("rescue"), ctx, f.at("rescue"), "rescue");
        List<Step> always = steps(f.raw("always"), ctx, f.at("always"), "always");
        return new Block(f.string("name"), block, rescue, always, OptionsReader.read(f), f.location(), ctx.role());
    }

    private Block importTasks(Fields f, LoadContext ctx) {
        f.requireKnown(Keywords.IMPORT_TASKS);
        String name = fileName(f, "import_tasks");
        if (name.contains("${")) {
            throw f.error("import_tasks", "'import_tasks' is static: its file name cannot hold an expression",
                    "use 'include_tasks:' to choose the file at run time");
        }
        Path file = ctx.dir().resolve(name).normalize();
        List<Path> chain = ctx.enter(file, f.at("import_tasks"));
        List<Step> steps = parseFile(file, ctx.role(), ctx.playbookDir(), chain, ctx.handlers(), f.at("import_tasks"));
        return new Block(f.string("name"), steps, List.of(), List.of(), OptionsReader.read(f), f.location(),
                ctx.role());
    }

    private Include include(Fields f, LoadContext ctx, Include.Kind kind) {
        String key = kind == Include.Kind.TASKS ? "include_tasks" : "include_role";
        f.requireKnown(kind == Include.Kind.TASKS ? Keywords.INCLUDE_TASKS : Keywords.INCLUDE_ROLE);
        Map<String, Object> call = kind == Include.Kind.TASKS ? null : roleCall(f, key, false);
        String target = kind == Include.Kind.TASKS ? fileName(f, key) : call.get("name").toString();
        String tasksFrom = call == null ? null : (String) call.get("tasks_from");
        Map<String, Object> vars = f.submap("vars");
        Path base = kind == Include.Kind.TASKS ? ctx.dir() : ctx.playbookDir();
        return new Include(f.string("name"), kind, target, tasksFrom, vars == null ? Map.of() : vars,
                OptionsReader.read(f.without("vars")), f.location(), ctx.role(), base);
    }

    private Block importRole(Fields f, LoadContext ctx) {
        f.requireKnown(Keywords.IMPORT_ROLE);
        Map<String, Object> call = roleCall(f, "import_role", true);
        String name = String.valueOf(call.get("name"));
        Map<String, Object> vars = f.submap("vars");
        List<RoleUse> uses = roles.expand(name, vars == null ? Map.of() : vars, TaskOptions.NONE,
                (String) call.get("tasks_from"), ctx.playbookDir(), f.at("import_role"));
        List<Step> steps = new ArrayList<>();
        for (RoleUse use : uses) {
            // the block carries the imported role: its defaults, vars and params are the scope of its tasks
            steps.add(new Block(use.role().name(), use.tasks(), List.of(), List.of(), use.options(), use.location(),
                    use.role()));
            ctx.handlers().addAll(use.handlers());
        }
        return new Block(f.string("name"), steps, List.of(), List.of(), OptionsReader.read(f.without("vars")),
                f.location(), ctx.role());
    }

    /** {@code import_tasks: FILE} or {@code import_tasks: {file: FILE}}. */
    private static String fileName(Fields f, String key) {
        Object v = f.raw(key);
        if (v instanceof Map<?, ?> m) {
            Fields inner = new Fields(f.doc(), castMap(m), key);
            inner.requireKnown(List.of("file"));
            v = inner.raw("file");
        }
        if (v == null || v instanceof Map<?, ?> || v instanceof List<?>) {
            throw f.error(key, "'" + key + "' needs a file name, got " + Values.describe(v), null);
        }
        return String.valueOf(v);
    }

    /** {@code import_role: {name: R, tasks_from: F}} (a bare role name is accepted too). */
    private static Map<String, Object> roleCall(Fields f, String key, boolean isStatic) {
        Object v = f.raw(key);
        Map<String, Object> call = new LinkedHashMap<>();
        if (v instanceof String s) {
            call.put("name", s);
            return call;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw f.error(key, "'" + key + "' needs '{name: ROLE}', got " + Values.describe(v), null);
        }
        Fields inner = new Fields(f.doc(), castMap(m), key);
        inner.requireKnown(isStatic ? Keywords.ROLE_CALL : List.of("name", "tasks_from"));
        if (inner.string("name") == null) {
            throw f.error(key, "'" + key + "' needs 'name:' (the role)", null);
        }
        call.put("name", inner.string("name"));
        call.put("tasks_from", inner.string("tasks_from"));
        if (isStatic && call.get("name").toString().contains("${")) {
            throw f.error(key, "'import_role' is static: the role name cannot hold an expression",
                    "use 'include_role:' to choose the role at run time");
        }
        return call;
    }

    private Task task(Fields f, LoadContext ctx, java.util.Set<String> keywords) {
        ModuleArgs.Resolved action = moduleArgs.resolve(f, keywords);
        TaskOptions options = OptionsReader.read(f);
        if (action.local()) {
            if (options.delegateTo() != null) {
                throw f.error("local_action", "'local_action' and 'delegate_to' in one task", "keep one of them");
            }
            options = OptionsInheritance.inherit(options, withDelegate("localhost"));
        }
        return new Task(f.string("name"), action.module(), action.args(), options, f.location(), ctx.role());
    }

    private static TaskOptions withDelegate(String host) {
        TaskOptions n = TaskOptions.NONE;
        return new TaskOptions(n.when(), n.loop(), n.loopControl(), n.register(), n.notifications(), n.changedWhen(),
                n.failedWhen(), n.ignoreErrors(), n.ignoreUnreachable(), n.until(), n.retries(), n.delay(), host,
                n.runOnce(), n.tags(), n.become(), n.becomeUser(), n.becomeMethod(), n.noLog(), n.checkMode(),
                n.diff(), n.environment(), n.timeout(), n.throttle(), n.vars(), n.anyErrorsFatal(), n.connection(),
                n.remoteUser());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    Module module(String name) {
        return registry.find(name).orElse(null);
    }
}
