package dev.hyperform.playbook;

import dev.hyperform.error.Location;
import dev.hyperform.module.ModuleRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads playbooks, task files and roles into the model. Everything static is read now ({@code import_playbook},
 * {@code import_tasks}, {@code import_role}, {@code roles:}); dynamic includes stay {@link Include} steps for the
 * runner, which calls {@link #loadTaskFile} and {@link #loadRole} for them. Every error is a
 * {@link PlaybookException} (or a {@code ModuleException} for module arguments) carrying file:line:column.
 * Stateless after construction and safe to share between threads.
 */
public final class PlaybookLoader {
    /** Environment variable with extra role directories, ':' separated. */
    public static final String ROLES_PATH_ENV = "HYPERFORM_ROLES_PATH";

    private final TaskParser tasks;
    private final PlayParser plays;

    /** Roles are searched in the playbook's directory and in {@value #ROLES_PATH_ENV}. */
    public PlaybookLoader(ModuleRegistry registry) {
        this(registry, rolesPathFromEnvironment());
    }

    /** Roles are searched in {@code <playbook dir>/roles}, then {@code rolesPath}, then the playbook's directory. */
    public PlaybookLoader(ModuleRegistry registry, List<Path> rolesPath) {
        this.tasks = new TaskParser(registry, rolesPath);
        this.plays = new PlayParser(tasks);
    }

    public static List<Path> rolesPathFromEnvironment() {
        String env = System.getenv(ROLES_PATH_ENV);
        List<Path> out = new ArrayList<>();
        if (env != null) {
            for (String p : env.split(":")) {
                if (!p.isBlank()) {
                    out.add(Path.of(p));
                }
            }
        }
        return out;
    }

    /** Load a playbook with every {@code import_playbook} expanded in place. */
    public Playbook load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new PlaybookException(Location.of(file), "playbook not found", "check the path");
        }
        return new Playbook(file, plays(file.normalize(), List.of(file.toAbsolutePath().normalize())));
    }

    /**
     * Load a task file named by {@code include_tasks} (at run time). Roles it imports are looked up from the
     * role's parent directory, or the file's directory when {@code role} is null.
     */
    public List<Step> loadTaskFile(Path file, RoleRef role, Location includedFrom) {
        Path base = role != null && role.dir() != null && role.dir().getParent() != null ? role.dir().getParent()
                : (file.getParent() == null ? Path.of("") : file.getParent());
        return tasks.parseFile(file, role, base, List.of(file.toAbsolutePath().normalize()), new ArrayList<>(),
                includedFrom == null ? Location.UNKNOWN : includedFrom);
    }

    /**
     * Load a role for {@code include_role} (at run time). Its meta dependencies, if any, come first in the
     * returned use's tasks as blocks carrying the dependency's own role and keywords; their handlers are included.
     */
    public RoleUse loadRole(String name, String tasksFrom, Path playbookDir, Map<String, Object> params, TaskOptions options,
                            Location from) {
        List<RoleUse> uses = tasks.roles().expand(name, params == null ? Map.of() : params,
                options == null ? TaskOptions.NONE : options, tasksFrom, playbookDir, from == null ? Location.UNKNOWN : from);
        RoleUse self = uses.get(uses.size() - 1);
        if (uses.size() == 1) {
            return self;
        }
        List<Step> steps = new ArrayList<>();
        List<Handler> handlers = new ArrayList<>();
        for (RoleUse dep : uses.subList(0, uses.size() - 1)) {
            steps.add(new Block(dep.role().name(), dep.tasks(), List.of(), List.of(), dep.options(), dep.location(),
                    null));
            handlers.addAll(dep.handlers());
        }
        steps.addAll(self.tasks());
        handlers.addAll(self.handlers());
        return new RoleUse(self.role(), steps, handlers, self.options(), self.location());
    }

    private List<Play> plays(Path file, List<Path> chain) {
        YamlDocument doc = YamlReader.read(file);
        Object root = doc.root();
        if (root == null) {
            return List.of();
        }
        if (!(root instanceof List<?> list)) {
            throw new PlaybookException(doc.location(root).line() > 0 ? doc.location(root) : Location.of(file, 1, 1),
                    "a playbook must be a list of plays ('- hosts: ...'), got " + Values.describe(root),
                    "start each play with '- hosts:'; a file of tasks is included with import_tasks");
        }
        Path dir = file.getParent() == null ? Path.of("") : file.getParent();
        List<Play> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Location where = doc.itemLocation(list, i);
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw new PlaybookException(where, "a play must be a map ('hosts:', 'tasks:' ...), got "
                        + Values.describe(list.get(i)), null);
            }
            Fields f = new Fields(doc, TaskParser.castMap(m), "play");
            if (f.has("import_playbook")) {
                out.addAll(importPlaybook(new Fields(doc, f.map(), "import_playbook"), dir, chain));
            } else {
                if (f.has("tasks") == false && f.has("hosts") == false && looksLikeTask(f)) {
                    throw new PlaybookException(where, "this looks like a task, but a playbook holds plays",
                            "put it under a play's 'tasks:', or load this file with import_tasks");
                }
                out.add(plays.parse(f, dir, chain));
            }
        }
        return out;
    }

    private boolean looksLikeTask(Fields f) {
        return f.map().keySet().stream().anyMatch(k -> tasks.module(k) != null || k.equals("block"));
    }

    private List<Play> importPlaybook(Fields f, Path dir, List<Path> chain) {
        f.requireKnown(Keywords.IMPORT_PLAYBOOK);
        String name = f.string("import_playbook");
        if (name == null || name.contains("${")) {
            throw f.error("import_playbook", "'import_playbook' needs a literal file name", null);
        }
        Path target = dir.resolve(name).normalize();
        if (!Files.isRegularFile(target)) {
            throw f.error("import_playbook", "imported playbook not found: " + target,
                    "the name is resolved against the importing playbook's directory (" + dir + ")");
        }
        LoadContext ctx = new LoadContext(f.doc(), dir, null, chain, List.of());
        List<Play> imported = plays(target, ctx.enter(target, f.at("import_playbook")));
        TaskOptions extra = OptionsReader.read(f.without("vars"));
        Map<String, Object> vars = f.submap("vars");
        if (extra.equals(TaskOptions.NONE) && vars == null) {
            return imported;
        }
        List<Play> out = new ArrayList<>();
        for (Play p : imported) {
            Map<String, Object> merged = new LinkedHashMap<>(vars == null ? Map.of() : vars);
            merged.putAll(p.vars());
            out.add(new Play(p.name(), p.hosts(), p.location(), p.baseDir(), merged, p.varsFiles(), p.varsPrompt(),
                    p.gatherFacts(), p.serial(), p.maxFailPercentage(), p.anyErrorsFatal(), p.strategy(), p.order(),
                    p.forceHandlers(), p.secrets(), OptionsInheritance.inherit(p.options(), extra), p.preTasks(),
                    p.roles(), p.tasks(), p.postTasks(), p.handlers()));
        }
        return out;
    }
}
