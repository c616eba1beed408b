package dev.hyperform.playbook;

import dev.hyperform.error.Location;
import dev.hyperform.inventory.Host;
import dev.hyperform.inventory.Inventory;
import dev.hyperform.vars.Origin;
import freemarker.core.ParseException;
import freemarker.template.Configuration;
import freemarker.template.Template;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code hyperform syntax-check}: loads a playbook and everything reachable from it without connecting anywhere:
 * imports, roles, vars files and include_tasks/include_role targets whose names hold no expression, and the
 * FreeMarker templates of {@code template} tasks (parsed, not rendered). Modules check their tasks offline too
 * ({@code k8s} renders and validates its manifests), with an inventory's variables when one is given.
 */
public final class SyntaxChecker {
    private final PlaybookLoader loader;
    private final Configuration freemarker = new Configuration(Configuration.VERSION_2_3_33);

    /** What was checked. */
    public record Summary(Path file, int plays, int tasks, int roles, List<JinjaLookalikes.Finding> jinja) {
        public Summary {
            jinja = List.copyOf(jinja);
        }
    }

    private final dev.hyperform.module.ModuleRegistry registry;
    private final dev.hyperform.vars.Expressions expressions = new dev.hyperform.vars.Expressions();
    private final Inventory inventory;
    private final Map<String, Object> extraVars;

    public SyntaxChecker(PlaybookLoader loader) {
        this(loader, null);
    }

    /** With a registry, each task's module also checks it offline ({@link dev.hyperform.module.Module#checkOffline}). */
    public SyntaxChecker(PlaybookLoader loader, dev.hyperform.module.ModuleRegistry registry) {
        this(loader, registry, null, Map.of());
    }

    /**
     * With an inventory (or null) and extra vars, offline checks see the variables a run would have: templates are
     * rendered once per host of each play (see {@link OfflineScope}).
     */
    public SyntaxChecker(PlaybookLoader loader, dev.hyperform.module.ModuleRegistry registry, Inventory inventory,
                         Map<String, Object> extraVars) {
        this.loader = loader;
        this.registry = registry;
        this.inventory = inventory;
        this.extraVars = Map.copyOf(extraVars);
    }

    /** @throws dev.hyperform.error.HyperformException (INVALID_INPUT) at the first problem, with file:line */
    public Summary check(Path file) {
        Playbook playbook = loader.load(file);
        Inventory inv = inventory == null ? null : inventory.withPlaybookDir(file.toAbsolutePath().getParent());
        Walk walk = new Walk();
        for (Play play : playbook.plays()) {
            walk.play = play;
            Map<String, Object> varsFiles = new LinkedHashMap<>();
            for (String vf : play.varsFiles()) {
                if (!vf.contains("${")) {
                    Path p = play.baseDir().resolve(vf);
                    if (!Files.isRegularFile(p)) {
                        throw new PlaybookException(play.location(), "vars file not found: " + p,
                                "vars_files names are resolved against the playbook's directory");
                    }
                    varsFiles.putAll(VarsFiles.load(p));
                }
            }
            List<Host> hosts = inv == null || play.hosts() == null || play.hosts().contains("${") ? List.of()
                    : inv.select(play.hosts());
            walk.scope = new OfflineScope(play, varsFiles, inv, hosts, extraVars);
            walk.steps(play.preTasks());
            for (RoleUse use : play.roles()) {
                walk.role(use);
            }
            walk.steps(play.tasks());
            walk.steps(play.postTasks());
            walk.handlers(play.handlers());
        }
        return new Summary(file, playbook.plays().size(), walk.tasks, walk.roles.size(), JinjaLookalikes.in(playbook));
    }

    /** The state of one walk over a playbook. */
    private final class Walk {
        Play play;
        OfflineScope scope;
        final List<Map<String, Object>> blockVars = new ArrayList<>();
        int tasks;
        final Set<Path> roles = new HashSet<>();
        final Set<String> included = new HashSet<>();

        void role(RoleUse use) {
            roles.add(use.role().dir().toAbsolutePath().normalize());
            steps(use.tasks());
            handlers(use.handlers());
        }

        void handlers(List<Handler> handlers) {
            handlers.forEach(h -> template(h.task()));
        }

        void steps(List<Step> steps) {
            for (Step s : steps) {
                if (s instanceof Task t) {
                    tasks++;
                    if (t.role() != null) {
                        roles.add(t.role().dir().toAbsolutePath().normalize());
                    }
                    template(t);
                } else if (s instanceof Block b) {
                    blockVars.add(b.options().vars() == null ? Map.of() : b.options().vars());
                    steps(b.block());
                    steps(b.rescue());
                    steps(b.always());
                    blockVars.remove(blockVars.size() - 1);
                } else if (s instanceof Include i) {
                    include(i);
                }
            }
        }

        void include(Include i) {
            if (i.target().contains("${") || !included.add(i.kind() + " " + i.baseDir() + " " + i.target())) {
                return;
            }
            if (i.kind() == Include.Kind.TASKS) {
                steps(loader.loadTaskFile(i.baseDir().resolve(i.target()), i.role(), i.location()));
            } else {
                role(loader.loadRole(i.target(), i.tasksFrom() != null && i.tasksFrom().contains("${") ? null : i.tasksFrom(), i.baseDir(), i.params(), i.options(), i.location()));
            }
        }

        void offline(Task t) {
            if (registry == null) {
                return;
            }
            registry.find(t.module()).ifPresent(m -> m.checkOffline(new dev.hyperform.module.OfflineCheck() {
                @Override
                public java.util.Map<String, Object> args() {
                    return t.args();
                }

                @Override
                public Location location() {
                    return t.location();
                }

                @Override
                public java.util.Optional<Path> controllerFile(String kind, String name) {
                    if (Path.of(name).isAbsolute()) {
                        return java.util.Optional.of(Path.of(name)).filter(Files::isRegularFile);
                    }
                    List<Path> candidates = new ArrayList<>();
                    if (t.role() != null) {
                        candidates.add(t.role().dir().resolve(kind).resolve(name));
                    }
                    if (t.location().file() != null && t.location().file().getParent() != null) {
                        candidates.add(t.location().file().getParent().resolve(kind).resolve(name));
                        candidates.add(t.location().file().getParent().resolve(name));
                    }
                    candidates.add(play.baseDir().resolve(kind).resolve(name));
                    candidates.add(play.baseDir().resolve(name));
                    return candidates.stream().filter(Files::isRegularFile).findFirst();
                }

                @Override
                public List<Rendering> render(Path template) {
                    List<Host> hosts = scope.hosts().isEmpty() ? java.util.Collections.singletonList(null) : scope.hosts();
                    Map<String, String> byText = new LinkedHashMap<>();
                    for (Host h : hosts) {
                        Map<String, Object> vars = scope.of(t, blockVars, h, expressions);
                        Origin origin = new Origin(h == null ? "syntax-check" : h.name(), t.displayName(), t.location());
                        byText.putIfAbsent(expressions.renderTemplate(template, vars, origin), h == null ? null : h.name());
                    }
                    List<Rendering> out = new ArrayList<>();
                    byText.forEach((text, host) -> out.add(new Rendering(host, text)));
                    return out;
                }
            }));
        }

        void template(Task t) {
            offline(t);
            if (!t.module().equals("template") || !(t.args().get("src") instanceof String src) || src.contains("${")) {
                return;
            }
            List<Path> candidates = new ArrayList<>();
            if (Path.of(src).isAbsolute()) {
                candidates.add(Path.of(src));
            } else {
                if (t.role() != null) {
                    candidates.add(t.role().dir().resolve("templates").resolve(src));
                }
                candidates.add(play.baseDir().resolve(src));
                candidates.add(play.baseDir().resolve("templates").resolve(src));
            }
            Path found = candidates.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() ->
                    new PlaybookException(t.location(), "template '" + src + "' not found; searched:\n    "
                            + String.join("\n    ", candidates.stream().map(Path::toString).toList()),
                            "put it in the role's templates/ or the playbook's templates/ directory"));
            parse(found, t);
        }

        void parse(Path file, Task t) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                new Template(file.getFileName().toString(), r, freemarker);
            } catch (ParseException e) {
                throw new PlaybookException(Location.of(file, e.getLineNumber(), e.getColumnNumber()),
                        "template syntax error: " + e.getEditorMessage(),
                        "used by task '" + t.displayName() + "' at " + t.location(), e);
            } catch (IOException e) {
                throw new PlaybookException(Location.of(file), "cannot read template: " + e.getMessage(),
                        "used by task '" + t.displayName() + "' at " + t.location(), e);
            }
        }
    }
}
