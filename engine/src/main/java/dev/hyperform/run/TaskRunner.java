package dev.hyperform.run;

import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.inventory.Host;
import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.output.Event;
import dev.hyperform.output.Event.Status;
import dev.hyperform.playbook.Task;
import dev.hyperform.playbook.TaskOptions.LoopControl;
import dev.hyperform.transport.HostUnreachableException;
import dev.hyperform.vars.Origin;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one task on one host: conditions, loops, retries ({@code until}), check mode, {@code register},
 * {@code changed_when}/{@code failed_when}, {@code ignore_errors}, notifications, and the result events.
 * Everything that can go wrong on the host becomes a result of that host; nothing escapes to other hosts.
 */
final class TaskRunner {
    private final RunServices services;

    TaskRunner(RunServices services) {
        this.services = services;
    }

    /** The task's outcome on the host, after every loop item; also counted and emitted. */
    Status run(PlayContext play, Task task, Inherited inh, HostState host) {
        Instant start = Instant.now();
        Origin origin = new Origin(host.name(), task.displayName(), task.location());
        Map<String, Object> taskVars = Map.of(); // task vars arrive through inh (innermost block-vars layer)
        Map<String, Object> scope = HostScope.build(play, host, inh, taskVars, Map.of(), services.expressions(), services.hosts());
        Status status;
        try {
            if (task.options().loop() == null) {
                if (!conditionsHold(inh, scope, origin)) {
                    status = skipWhole(play, task, inh, host, start);
                } else {
                    Attempt a = attempt(play, task, inh, host, scope, origin, null);
                    register(task, host, a.result);
                    status = finish(play, task, inh, host, a, null, start);
                    if (status == Status.IGNORED && a.changed) {
                        host.countChangedToo();
                    }
                }
            } else {
                status = runLoop(play, task, inh, host, scope, origin, start);
            }
        } catch (HostUnreachableException e) {
            status = unreachable(play, task, inh, host, e, start);
        } catch (HyperformException e) {
            status = fail(play, task, inh, host, e.getMessage(), e.kind(), start);
        }
        if (stoppedByCtrlC(status)) {
            status = Status.INTERRUPTED;
        }
        host.count(status);
        if (status == Status.OK || status == Status.CHANGED || status == Status.IGNORED) {
            host.tasksRan = true;
        }
        return status;
    }

    /** A task that failed or lost its host after Ctrl-C was stopped by it: the recap says interrupted, not failed. */
    private boolean stoppedByCtrlC(Status status) {
        return services.interrupted().get() && (status == Status.FAILED || status == Status.UNREACHABLE
                || status == Status.IGNORED);
    }

    private Status runLoop(PlayContext play, Task task, Inherited inh, HostState host, Map<String, Object> scope,
                           Origin origin, Instant start) {
        List<?> list = LoopItems.of(services.expressions(), task.options().loop(), inh, scope, origin, task.location());
        if (list == null) {
            return skipWhole(play, task, inh, host, start);
        }
        LoopControl lc = task.options().loopControl() == null ? LoopControl.DEFAULT : task.options().loopControl();
        String loopVar = lc.loopVar() == null ? "item" : lc.loopVar();
        List<Object> results = new ArrayList<>();
        boolean anyChanged = false;
        boolean anyFailed = false;
        boolean allSkipped = true;
        Map<String, Object> taskVars = Map.of(); // task vars arrive through inh (innermost block-vars layer)
        for (int i = 0; i < list.size(); i++) {
            Map<String, Object> loopVars = new LinkedHashMap<>();
            loopVars.put(loopVar, list.get(i));
            if (lc.indexVar() != null) {
                loopVars.put(lc.indexVar(), i);
            }
            loopVars.put("ansible_loop", Map.of("index", i + 1, "index0", i, "first", i == 0,
                    "last", i == list.size() - 1, "length", list.size()));
            Map<String, Object> itemScope = HostScope.build(play, host, inh, taskVars, loopVars, services.expressions(), services.hosts());
            String label = lc.label() == null ? String.valueOf(list.get(i))
                    : String.valueOf(services.expressions().interpolate(lc.label(), itemScope, origin));
            if (!conditionsHold(inh, itemScope, origin)) {
                Map<String, Object> r = skippedResult();
                r.put(loopVar, list.get(i));
                r.put("ansible_loop_var", loopVar);
                results.add(r);
                emit(play, task, host, Status.SKIPPED, "conditional result was false", label, r, List.of(), List.of(), Instant.now(), inh);
                continue;
            }
            allSkipped = false;
            Attempt a = attempt(play, task, inh, host, itemScope, origin, label);
            Map<String, Object> r = new LinkedHashMap<>(a.result);
            r.put(loopVar, list.get(i));
            results.add(r);
            Status itemStatus = itemStatus(a);
            anyChanged |= a.changed;
            anyFailed |= a.failed;
            emit(play, task, host, itemStatus, a.message, label, r, a.commands, a.diffs, a.started, inh);
            pause(play, lc);
        }
        Map<String, Object> aggregate = new LinkedHashMap<>();
        aggregate.put("results", results);
        aggregate.put("changed", anyChanged);
        if (allSkipped && !list.isEmpty()) {
            aggregate.put("msg", "All items skipped");
            aggregate.put("skipped", true);
        } else {
            aggregate.put("failed", anyFailed);
            aggregate.put("msg", anyFailed ? "One or more items failed" : "All items completed");
        }
        register(task, host, aggregate);
        if (anyFailed) {
            Status s = failedOrIgnored(play, task, inh, host, aggregate, "One or more items failed", Failure.TASK_FAILED);
            if (s == Status.IGNORED && anyChanged) {
                host.countChangedToo();
            }
            return s;
        }
        if (anyChanged) {
            notifyHandlers(play, task, host);
            return Status.CHANGED;
        }
        return allSkipped ? Status.SKIPPED : Status.OK;
    }

    private void pause(PlayContext play, LoopControl lc) {
        if (lc.pause() == null || play.options().check()) {
            return;
        }
        try {
            Thread.sleep((long) (Double.parseDouble(String.valueOf(lc.pause())) * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One module run with retries, as a value. */
    private record Attempt(boolean changed, boolean failed, String message, Map<String, Object> result,
                           List<Event.CommandLog> commands, List<dev.hyperform.module.Diff> diffs, Instant started) {
    }

    private static Status itemStatus(Attempt a) {
        return a.failed ? Status.FAILED : a.changed ? Status.CHANGED : Status.OK;
    }

    private Attempt attempt(PlayContext play, Task task, Inherited inh, HostState host, Map<String, Object> scope,
                            Origin origin, String label) {
        Instant started = Instant.now();
        Module module = services.registry().find(task.module()).orElseThrow(() -> new HyperformException(
                Failure.INVALID_INPUT, task.location(), "no module named '" + task.module() + "'",
                "see: hyperform doc"));
        // as ansible-core counts them: the first run plus `retries` more (3 when not given); `retries: 0` (or less)
        // runs the task once and, as there, does not test `until` at all
        int retries = 0;
        long delaySeconds = 5;
        if (task.options().until() != null) {
            retries = task.options().retries() == null ? 3
                    : Integer.parseInt(String.valueOf(services.expressions().interpolate(task.options().retries(), scope, origin)));
            if (task.options().delay() != null) {
                delaySeconds = Long.parseLong(String.valueOf(services.expressions().interpolate(task.options().delay(), scope, origin)));
            }
        }
        int attempts = Math.max(0, retries) + 1;
        Attempt last = null;
        for (int n = 1; n <= attempts; n++) {
            last = once(play, task, inh, host, module, scope, origin, started);
            if (task.options().until() == null || attempts == 1) {
                return last;
            }
            Map<String, Object> withResult = new LinkedHashMap<>(last.result);
            withResult.put("attempts", n);
            last = new Attempt(last.changed, last.failed, last.message, withResult, last.commands, last.diffs, started);
            Map<String, Object> untilScope = bind(scope, task.options().register(), last.result);
            if (!last.failed || task.options().failedWhen() != null) {
                if (services.expressions().test(task.options().until(), untilScope, origin)) {
                    return last;
                }
            }
            if (n < attempts && !play.options().check()) {
                sleep(delaySeconds);
            }
        }
        Map<String, Object> r = new LinkedHashMap<>(last.result);
        r.put("failed", true);
        r.put("attempts", retries);   // ansible-core's given-up result says `retries`, one less than the runs made
        // the result keeps the last attempt's values (rc, stdout, stderr, msg) and attempts, as Ansible's does; the
        // console shows them (see ConsoleSink): a wait that gives up says what state it last saw
        return new Attempt(last.changed, true, "until condition '" + task.options().until() + "' at " + task.location()
                + " still false after " + attempts + " attempts (retries: " + retries + ")" + (last.message == null ? "" : ": " + last.message), r,
                last.commands, last.diffs, started);
    }

    private Attempt once(PlayContext play, Task task, Inherited inh, HostState host, Module module,
                         Map<String, Object> scope, Origin origin, Instant started) {
        Map<String, Object> raw = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : task.args().entrySet()) {
            ArgDef def = module.spec().find(e.getKey()).orElse(null);
            boolean keep = def != null && def.type() == ArgType.EXPRESSION;
            raw.put(e.getKey(), keep ? e.getValue() : services.expressions().interpolate(e.getValue(), scope, origin));
        }
        Args args = module.spec().validate(module.name(), raw, task.location());
        boolean check = Options.checkMode(inh, play.options(), services.expressions(), scope, origin);
        HostTarget target = services.targets().target(play, task, inh, host, scope, check, origin);
        String delegate = delegateName(task, inh);
        host.delegateShown = delegate == null ? null
                : String.valueOf(services.expressions().interpolate(delegate, scope, origin));
        Change change = module.plan(target, args);
        ModuleResult result;
        if (check || change.isNone()) {
            if (check) {
                target.plan(change.operations());
            }
            result = new ModuleResult(!change.isNone(), false, change.summary(), change.values(), List.of());
        } else {
            result = module.apply(target, args, change);
        }
        if (!change.facts().isEmpty() && !result.failed()) {
            host.hostFacts.putAll(change.facts());
        }
        Map<String, Object> values = new LinkedHashMap<>(result.values());
        boolean inventoryChanged = !result.failed() && InventoryEdits.apply(play.inventory(), host.name(), values);
        values.put("changed", result.changed() || inventoryChanged);
        values.put("failed", result.failed());
        if (result.message() != null) {
            values.putIfAbsent("msg", result.message());
        }
        boolean changed = result.changed() || inventoryChanged;
        boolean failed = result.failed();
        Map<String, Object> bound = bind(scope, task.options().register(), values);
        if (task.options().changedWhen() != null) {
            changed = all(task.options().changedWhen(), bound, origin);
            values.put("changed", changed);
        }
        if (task.options().failedWhen() != null) {
            failed = all(task.options().failedWhen(), bind(scope, task.options().register(), values), origin);
            values.put("failed", failed);
        }
        String message = result.message();
        if (check && !change.isNone()) {
            message = "would " + change.summary() + (change.dependsOnEarlier() ? " (depends on an earlier change)" : "")
                    + commandsPreview(change);
        }
        return new Attempt(changed, failed, message, values, List.copyOf(target.log), change.diffs(), started);
    }

    private static String commandsPreview(Change change) {
        StringBuilder s = new StringBuilder();
        for (var c : change.operations()) {
            s.append("\n    ").append(c.display());
        }
        return s.toString();
    }

    private boolean all(List<String> conditions, Map<String, Object> scope, Origin origin) {
        for (String c : conditions) {
            if (!services.expressions().test(c, scope, origin)) {
                return false;
            }
        }
        return true;
    }

    private boolean conditionsHold(Inherited inh, Map<String, Object> scope, Origin origin) {
        return all(inh.when(), scope, origin);
    }

    private static Map<String, Object> bind(Map<String, Object> scope, String register, Map<String, Object> result) {
        if (register == null) {
            return scope;
        }
        Map<String, Object> m = new LinkedHashMap<>(scope);
        m.put(register, result);
        return m;
    }

    private Status finish(PlayContext play, Task task, Inherited inh, HostState host, Attempt a, String label,
                          Instant start) {
        if (a.failed) {
            emitFailed(play, task, inh, host, a.message, a.result, a.commands, a.diffs, start, label);
            return failedOrIgnored(play, task, inh, host, a.result, a.message, Failure.TASK_FAILED);
        }
        Status s = a.changed ? Status.CHANGED : Status.OK;
        emit(play, task, host, s, a.message, label, a.result, a.commands, a.diffs, start, inh);
        if (a.changed) {
            notifyHandlers(play, task, host);
        }
        return s;
    }

    private void emitFailed(PlayContext play, Task task, Inherited inh, HostState host, String message,
                            Map<String, Object> result, List<Event.CommandLog> commands,
                            List<dev.hyperform.module.Diff> diffs, Instant start, String label) {
        boolean ignored = Options.truthy(inh.ignoreErrors(), task.options().ignoreErrors());
        emit(play, task, host, ignored ? Status.IGNORED : Status.FAILED, message, label, result, commands, diffs, start, inh);
    }

    private Status failedOrIgnored(PlayContext play, Task task, Inherited inh, HostState host,
                                   Map<String, Object> result, String message, Failure kind) {
        if (Options.truthy(inh.ignoreErrors(), task.options().ignoreErrors())) {
            return Status.IGNORED;
        }
        host.failed = true;
        host.lastFailureKind = kind;
        host.failedTask = Map.of("name", task.displayName(), "action", task.module(),
                "location", String.valueOf(task.location()));
        host.failedResult = result;
        return Status.FAILED;
    }

    private Status fail(PlayContext play, Task task, Inherited inh, HostState host, String message, Failure kind,
                        Instant start) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("failed", true);
        r.put("msg", message);
        register(task, host, r);
        emitFailed(play, task, inh, host, message, r, List.of(), List.of(), start, null);
        return failedOrIgnored(play, task, inh, host, r, message, kind);
    }

    private Status unreachable(PlayContext play, Task task, Inherited inh, HostState host,
                               HostUnreachableException e, Instant start) {
        emit(play, task, host, Status.UNREACHABLE, e.getMessage(), null, Map.of("unreachable", true, "msg", e.getMessage()),
                List.of(), List.of(), start, inh);
        if (!Options.truthy(inh.ignoreUnreachable(), task.options().ignoreUnreachable())) {
            host.unreachable = true;
        }
        return Status.UNREACHABLE;
    }

    /** A task whose conditions are false: skipped, and its {@code register} holds what ansible-core registers. */
    private Status skipWhole(PlayContext play, Task task, Inherited inh, HostState host, Instant start) {
        Map<String, Object> r = skippedResult();
        register(task, host, r);
        emit(play, task, host, Status.SKIPPED, "conditional result was false", null, r, List.of(), List.of(), start, inh);
        return Status.SKIPPED;
    }

    private static Map<String, Object> skippedResult() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("changed", false);
        r.put("skip_reason", "Conditional result was False");
        r.put("skipped", true);
        return r;
    }

    private void register(Task task, HostState host, Map<String, Object> result) {
        if (task.options().register() != null) {
            host.hostFacts.put(task.options().register(), result);
        }
    }

    private void notifyHandlers(PlayContext play, Task task, HostState host) {
        if (task.options().notifications() == null) {
            return;
        }
        for (String n : task.options().notifications()) {
            services.handlers().notify(host, n, task);
        }
    }

    private void emit(PlayContext play, Task task, HostState host, Status status, String message, String item,
                      Map<String, Object> result, List<Event.CommandLog> commands,
                      List<dev.hyperform.module.Diff> diffs, Instant start, Inherited inh) {
        boolean noLog = Options.truthy(inh.noLog(), task.options().noLog());
        Emitter em = services.emitter();
        if (stoppedByCtrlC(status)) {
            status = Status.INTERRUPTED;
            message = "interrupted (Ctrl-C): the command was ended on the host; " + message;
        }
        String msg = noLog ? "the output has been hidden due to no_log: true" : em.redact(message);
        Map<String, Object> shown = noLog ? Map.of("censored", "the output has been hidden due to no_log: true")
                : Redaction.deep(result, em);
        List<Event.CommandLog> logs = noLog ? List.of() : commands.stream().map(c -> new Event.CommandLog(
                em.redact(c.command()), c.exitCode(), em.redact(c.stdout()), em.redact(c.stderr()), c.elapsed(), c.kind(), c.api())).toList();
        List<dev.hyperform.module.Diff> shownDiffs = noLog || !play.options().diff() ? List.of() : diffs.stream()
                .map(d -> new dev.hyperform.module.Diff(d.path(), em.redact(d.before()), em.redact(d.after()), d.attributes())).toList();
        em.emit(new Event.HostResult(Instant.now(), host.name(), task.displayName(), task.location(), status, msg,
                noLog ? null : item, shownDelegate(task, inh, host), shown, logs, shownDiffs,
                Duration.between(start, Instant.now())));
        host.delegateShown = null;
    }

    /** The delegate as resolved for this host and item when the task ran, else as written (a skipped task). */
    private static String shownDelegate(Task task, Inherited inh, HostState host) {
        String written = delegateName(task, inh);
        String resolved = host.delegateShown;
        return written == null ? null : resolved != null ? resolved : written;
    }

    private static String delegateName(Task task, Inherited inh) {
        return task.options().delegateTo() != null ? task.options().delegateTo() : inh.delegateTo();
    }

    static Host implicitHost(String name) {
        return new Host(name, Map.of("ansible_connection", "local"));
    }

    private static void sleep(long seconds) {
        try {
            Thread.sleep(seconds * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
