package dev.hyperform.run;

import dev.hyperform.error.HyperformException;
import dev.hyperform.output.Event;
import dev.hyperform.output.Event.Status;
import dev.hyperform.playbook.Include;
import dev.hyperform.playbook.RoleUse;
import dev.hyperform.playbook.Step;
import dev.hyperform.playbook.TaskOptions.LoopControl;
import dev.hyperform.vars.Origin;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an include ({@code include_tasks}, {@code include_role}) as ansible-core 2.14 does and shows it as
 * ansible-playbook does. Its conditions are tested per host (per item with a loop), outermost first, stopping at the
 * first false one, and not again for the tasks it brings in. An include_tasks that runs prints
 * {@code included: FILE for HOSTS} (one line per item) and counts as ok on those hosts (per item); an include_role
 * that runs prints nothing and is not counted. A skipped include, or a host whose items were all skipped (or that had
 * none), is shown and counted as skipped once; a skipped item is shown and not counted. With a loop, item i's tasks
 * run on every host that has an item i before item i+1's (Ansible's linear strategy).
 */
final class IncludeRunner {
    private final RunServices services;
    private final StepRunner steps;

    IncludeRunner(RunServices services, StepRunner steps) {
        this.services = services;
        this.steps = steps;
    }

    /** What an include resolves to for a host: the file or role, and the role's tasks_from (null: main). */
    private record Resolved(String target, String tasksFrom) {
    }

    /** One run of the include on a host: its loop index and item (0 and null without a loop), and what it brings in. */
    private record Use(int index, Object item, String label, Resolved resolved) {
    }

    /** What a resolved include brings in, loaded once per include run, and the keywords its steps run under. */
    private record Loaded(List<Step> steps, Inherited inh, String file) {
    }

    void run(PlayContext play, Include inc, Inherited parent, List<HostState> hosts, BatchState batch) {
        Inherited inh = parent.child(inc.options());
        if (!services.tags().runs(inh.tags())) {
            return;
        }
        String title = title(inc);
        services.emitter().emit(new Event.TaskStarted(Instant.now(), title, inc.location(), false,
                hosts.stream().map(HostState::name).toList()));
        Map<HostState, List<Use>> uses = new LinkedHashMap<>();
        for (HostState h : hosts) {
            try {
                List<Use> u = uses(play, inc, inh, h, title);
                if (u.isEmpty()) {
                    h.count(Status.SKIPPED);
                    skipped(h, inc, title, null);
                } else {
                    uses.put(h, u);
                }
            } catch (HyperformException e) {
                // as ansible-core: ignore_errors covers an include whose conditions, loop or file name fail
                Status status = Options.truthy(inh.ignoreErrors()) ? Status.IGNORED : Status.FAILED;
                if (status == Status.FAILED) {
                    h.failed = true;
                    h.lastFailureKind = e.kind();
                }
                h.count(status);
                services.emitter().emit(new Event.HostResult(Instant.now(), h.name(), title, inc.location(),
                        status, services.emitter().redact(e.getMessage()), null, null, Map.of("failed", true),
                        List.of(), List.of(), Duration.ZERO));
            }
        }
        int longest = uses.values().stream().mapToInt(u -> u.get(u.size() - 1).index() + 1).max().orElse(0);
        // every item's include line first, then the items' tasks in turn, as ansible-playbook shows and runs them
        Map<Resolved, Loaded> loaded = new LinkedHashMap<>();
        List<Map<Use, List<HostState>>> rounds = new ArrayList<>();
        for (int i = 0; i < longest; i++) {
            Map<Use, List<HostState>> round = new LinkedHashMap<>();
            for (Map.Entry<HostState, List<Use>> e : uses.entrySet()) {
                for (Use u : e.getValue()) {
                    if (u.index() == i) {
                        round.computeIfAbsent(new Use(i, u.item(), u.label(), u.resolved()), k -> new ArrayList<>())
                                .add(e.getKey());
                    }
                }
            }
            for (Map.Entry<Use, List<HostState>> g : round.entrySet()) {
                Loaded l = loaded.computeIfAbsent(g.getKey().resolved(), r -> load(play, inc, parent, inh, r));
                if (l.file() != null) {
                    // run_once: the tasks it brings in run on the first host (they inherit it), which alone is
                    // shown and counted as including the file, as in ansible-playbook
                    List<HostState> including = Options.truthy(inh.runOnce()) ? g.getValue().subList(0, 1) : g.getValue();
                    services.emitter().emit(new Event.Included(Instant.now(), title, inc.location(), l.file(),
                            including.stream().map(HostState::name).toList(), g.getKey().label()));
                    including.forEach(h -> h.count(Status.OK));
                }
            }
            rounds.add(round);
        }
        for (Map<Use, List<HostState>> round : rounds) {
            for (Map.Entry<Use, List<HostState>> g : round.entrySet()) {
                List<HostState> active = g.getValue().stream().filter(HostState::active).toList();
                if (active.isEmpty()) {
                    continue;
                }
                Loaded l = loaded.get(g.getKey().resolved());
                steps.run(play, l.steps(), inc.options().loop() == null ? l.inh()
                        : l.inh().withIncludeParams(loopVars(inc, g.getKey().index(), g.getKey().item())), active, batch);
            }
        }
    }

    /** The include's runs on one host: none when its conditions (or all its items' conditions) are false. */
    private List<Use> uses(PlayContext play, Include inc, Inherited inh, HostState h, String title) {
        Origin origin = new Origin(h.name(), inc.name(), inc.location());
        Map<String, Object> scope = HostScope.build(play, h, inh, Map.of(), Map.of(), services.expressions(), services.hosts());
        if (inc.options().loop() == null) {
            return conditionsHold(inh, scope, origin) ? List.of(new Use(0, null, null, resolve(inc, scope, origin)))
                    : List.of();
        }
        List<?> items = LoopItems.of(services.expressions(), inc.options().loop(), inh, scope, origin, inc.location());
        if (items == null) {
            return List.of();
        }
        LoopControl lc = inc.options().loopControl() == null ? LoopControl.DEFAULT : inc.options().loopControl();
        List<Use> uses = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Map<String, Object> itemScope = HostScope.build(play, h, inh, Map.of(), loopVars(inc, i, items.get(i)),
                    services.expressions(), services.hosts());
            String label = lc.label() == null ? String.valueOf(items.get(i))
                    : String.valueOf(services.expressions().interpolate(lc.label(), itemScope, origin));
            if (conditionsHold(inh, itemScope, origin)) {
                uses.add(new Use(i, items.get(i), label, resolve(inc, itemScope, origin)));
            } else {
                skipped(h, inc, title, label);
            }
        }
        return uses;
    }

    /** In order, outermost first, stopping at the first false one: a block's condition guards its include's own. */
    private boolean conditionsHold(Inherited inh, Map<String, Object> scope, Origin origin) {
        return LoopItems.conditionsHold(services.expressions(), inh, scope, origin);
    }

    private Resolved resolve(Include inc, Map<String, Object> scope, Origin origin) {
        String target = String.valueOf(services.expressions().interpolate(inc.target(), scope, origin));
        String tasksFrom = inc.tasksFrom() == null ? null
                : String.valueOf(services.expressions().interpolate(inc.tasksFrom(), scope, origin));
        return new Resolved(target, tasksFrom);
    }

    /** The steps an include brings in; the included tasks keep the blocks' conditions, not the include's own. */
    private Loaded load(PlayContext play, Include inc, Inherited parent, Inherited inh, Resolved r) {
        Inherited withParams = inh.withWhen(parent.when()).withIncludeParams(inc.params());
        if (inc.kind() == Include.Kind.TASKS) {
            Path base = inc.role() != null && inc.role().dir() != null ? inc.role().dir().resolve("tasks") : inc.baseDir();
            Path file = base.resolve(r.target());
            List<Step> loadedSteps = services.loader().loadTaskFile(file, inc.role(), inc.location());
            return new Loaded(loadedSteps, withParams, file.toAbsolutePath().normalize().toString());
        }
        RoleUse role = services.loader().loadRole(r.target(), r.tasksFrom(), play.playbookDir(), inc.params(),
                inc.options(), inc.location());
        services.handlers().add(role.handlers());
        // the role use carries the include's own options: its when is not the included tasks'
        return new Loaded(role.tasks(), withParams.child(role.options()).withWhen(parent.when()).inRole(role.role()), null);
    }

    private static Map<String, Object> loopVars(Include inc, int index, Object item) {
        LoopControl lc = inc.options().loopControl() == null ? LoopControl.DEFAULT : inc.options().loopControl();
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put(lc.loopVar() == null ? "item" : lc.loopVar(), item);
        if (lc.indexVar() != null) {
            vars.put(lc.indexVar(), index);
        }
        return vars;
    }

    private void skipped(HostState h, Include inc, String title, String item) {
        services.emitter().emit(new Event.HostResult(Instant.now(), h.name(), title, inc.location(), Status.SKIPPED,
                "conditional result was false", item, null,
                Map.of("changed", false, "skipped", true, "skip_reason", "Conditional result was False"),
                List.of(), List.of(), Duration.ZERO));
    }

    /** As a task's: the include's name (or its kind and target), after its role's name inside a role. */
    private static String title(Include inc) {
        String base = inc.name() != null ? inc.name() : (inc.kind() == Include.Kind.TASKS ? "include_tasks" : "include_role")
                + " " + inc.target();
        return inc.role() == null ? base : inc.role().name() + " : " + base;
    }
}
