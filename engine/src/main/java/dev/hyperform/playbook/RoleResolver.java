package dev.hyperform.playbook;

import dev.hyperform.error.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds roles on the search path and loads them: {@code tasks/}, {@code handlers/}, {@code defaults/},
 * {@code vars/} and {@code meta/} (whose dependencies come first, each once per name and parameters unless the
 * role allows duplicates).
 */
final class RoleResolver {
    private final TaskParser tasks;
    private final List<Path> rolesPath;

    /** One use of a role: by name, with parameters and keywords, from a place. */
    private record RoleCall(String name, Map<String, Object> params, TaskOptions options, Location location,
                            String tasksFrom) {
    }

    RoleResolver(TaskParser tasks, List<Path> rolesPath) {
        this.tasks = tasks;
        this.rolesPath = List.copyOf(rolesPath);
    }

    /** A play's {@code roles:} list, dependencies expanded first, each role once per name and parameters. */
    List<RoleUse> section(Object value, YamlDocument doc, Path playbookDir, Location where) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new PlaybookException(where, "'roles' must be a list of role names or maps, got "
                    + Values.describe(value), null);
        }
        List<RoleUse> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            RoleCall call = entry(list.get(i), doc, doc.itemLocation(list, i), playbookDir);
            use(call, TaskOptions.NONE, playbookDir, seen, new ArrayDeque<>(), out);
        }
        return out;
    }

    /** One role with its dependencies first (for import_role and include_role). */
    List<RoleUse> expand(String name, Map<String, Object> params, TaskOptions options, String tasksFrom,
                         Path playbookDir, Location from) {
        List<RoleUse> out = new ArrayList<>();
        use(new RoleCall(name, params, options, from, tasksFrom), TaskOptions.NONE, playbookDir, new HashSet<>(),
                new ArrayDeque<>(), out);
        return out;
    }

    /** The directory of role {@code name}; a name holding '/' is a path relative to the playbook. */
    Path find(String name, Path playbookDir, Location from) {
        List<Path> candidates = new ArrayList<>();
        if (name.contains("/")) {
            candidates.add(playbookDir.resolve(name).normalize());
        } else {
            candidates.add(playbookDir.resolve("roles").resolve(name));
            rolesPath.forEach(p -> candidates.add(p.resolve(name)));
            candidates.add(playbookDir.resolve(name));
        }
        for (Path c : candidates) {
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        List<String> shown = candidates.stream().map(Path::toString).toList();
        throw new PlaybookException(from, "role '" + name + "' not found; searched:\n    " + String.join("\n    ", shown),
                "create " + candidates.get(0) + "/tasks/main.yml, or add the directory holding the role to "
                        + "HYPERFORM_ROLES_PATH (a ':' separated list)");
    }

    private void use(RoleCall call, TaskOptions parent, Path playbookDir, Set<String> seen, Deque<String> chain,
                     List<RoleUse> out) {
        Path dir = find(call.name(), playbookDir, call.location());
        String roleName = dir.getFileName().toString();
        if (chain.contains(roleName)) {
            throw new PlaybookException(call.location(), "role dependency cycle: " + String.join(" -> ", chain)
                    + " -> " + roleName, "remove one of the dependencies in meta/main.yml");
        }
        YamlDocument meta = optional(dir.resolve("meta"), "main");
        Map<String, Object> metaMap = meta == null || meta.root() == null ? Map.of() : VarsFiles.asVars(meta);
        Fields metaFields = new Fields(meta, metaMap, "role meta");
        TaskOptions options = OptionsInheritance.inherit(call.options(), parent);
        String key = dir.toAbsolutePath().normalize() + " " + call.params() + " " + call.tasksFrom();
        if (!seen.add(key) && !Boolean.TRUE.equals(metaFields.flag("allow_duplicates"))) {
            return;
        }
        chain.addLast(roleName);
        List<Object> deps = metaFields.list("dependencies");
        if (deps != null) {
            for (int i = 0; i < deps.size(); i++) {
                RoleCall dep = entry(deps.get(i), meta, meta.itemLocation(deps, i), playbookDir);
                use(dep, options, playbookDir, seen, chain, out);
            }
        }
        chain.removeLast();
        out.add(load(call, roleName, dir, options, playbookDir));
    }

    private RoleUse load(RoleCall call, String name, Path dir, TaskOptions options, Path playbookDir) {
        Map<String, Object> defaults = vars(optional(dir.resolve("defaults"), "main"));
        Map<String, Object> vars = vars(optional(dir.resolve("vars"), "main"));
        RoleRef ref = new RoleRef(name, dir, defaults, vars, call.params());
        List<Handler> handlers = new ArrayList<>();
        Path taskFile = file(dir.resolve("tasks"), call.tasksFrom() == null ? "main" : call.tasksFrom());
        if (taskFile == null && call.tasksFrom() != null) {
            throw new PlaybookException(call.location(), "role '" + name + "' has no tasks/" + call.tasksFrom()
                    + ".yml", "check 'tasks_from' against the files in " + dir.resolve("tasks"));
        }
        List<Step> steps = taskFile == null ? List.of() : tasks.parseFile(taskFile, ref, playbookDir,
                List.of(taskFile.toAbsolutePath().normalize()), handlers, call.location());
        Path handlerFile = file(dir.resolve("handlers"), "main");
        List<Handler> all = new ArrayList<>();
        if (handlerFile != null) {
            all.addAll(tasks.parseHandlerFile(handlerFile, ref, playbookDir));
        }
        all.addAll(handlers);
        return new RoleUse(ref, steps, all, options, call.location());
    }

    /** A {@code roles:} or {@code dependencies:} entry: a name, or a map with role/name, keywords and parameters. */
    private RoleCall entry(Object value, YamlDocument doc, Location where, Path playbookDir) {
        if (value instanceof String s) {
            return new RoleCall(s, Map.of(), TaskOptions.NONE, where, null);
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw new PlaybookException(where, "a role entry must be a role name or a map with 'role:', got "
                    + Values.describe(value), null);
        }
        Fields f = new Fields(doc, TaskParser.castMap(m), "role");
        String name = f.has("role") ? f.string("role") : f.string("name");
        if (name == null || name.isBlank()) {
            throw new PlaybookException(f.location(), "role entry without 'role:' (the role's name)",
                    "write '- role: NAME' followed by its parameters and keywords");
        }
        Map<String, Object> defaults = vars(optional(find(name, playbookDir, f.location()).resolve("defaults"), "main"));
        Map<String, Object> params = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : f.map().entrySet()) {
            String key = e.getKey();
            if (Keywords.ROLE_ENTRY.contains(key)) {
                continue;
            }
            if (!defaults.containsKey(key) && Keywords.ROLE_ENTRY.stream().anyMatch(k -> likelyTypo(key, k))) {
                PlaybookException e1 = f.unknown(key, Keywords.ROLE_ENTRY);
                throw new PlaybookException(e1.location(), e1.detail(), e1.hint() + "; a role parameter of this name "
                        + "must be declared in the role's defaults/main.yml or passed under 'vars:'");
            }
            params.put(key, e.getValue());
        }
        Map<String, Object> vars = f.submap("vars");
        if (vars != null) {
            params.putAll(vars);
        }
        if (f.has("role") && f.has("name")) {
            throw f.error("name", "role entry with both 'role:' and 'name:'", "keep 'role:'");
        }
        return new RoleCall(name, params, OptionsReader.read(f.without("vars")), f.location(), null);
    }

    /**
     * Whether an undeclared role parameter is probably a misspelt keyword: one edit away, or the same letters
     * swapped ({@code wehn}). Looser matching would reject real parameters such as {@code port} (near {@code role}).
     */
    private static boolean likelyTypo(String key, String keyword) {
        if (dev.hyperform.module.EditDistance.between(key, keyword) <= 1) {
            return true;
        }
        char[] a = key.toCharArray();
        char[] b = keyword.toCharArray();
        java.util.Arrays.sort(a);
        java.util.Arrays.sort(b);
        return java.util.Arrays.equals(a, b);
    }

    private static Map<String, Object> vars(YamlDocument doc) {
        return doc == null ? Map.of() : VarsFiles.asVars(doc);
    }

    private static YamlDocument optional(Path dir, String base) {
        Path f = file(dir, base);
        return f == null ? null : YamlReader.read(f);
    }

    /** {@code base.yml}, {@code base.yaml} or {@code base} in {@code dir}, or null. */
    static Path file(Path dir, String base) {
        for (String name : List.of(base + ".yml", base + ".yaml", base)) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
