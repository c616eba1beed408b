package dev.hyperform.run;

import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.output.Event;
import dev.hyperform.output.Event.Status;
import dev.hyperform.playbook.Block;
import dev.hyperform.playbook.Handler;
import dev.hyperform.playbook.Include;
import dev.hyperform.playbook.RoleUse;
import dev.hyperform.playbook.Step;
import dev.hyperform.playbook.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Walks a list of steps for a set of hosts with the linear strategy: every host finishes a task before the next
 * starts (with one host — the free strategy runs each host on its own — tasks simply run in order). Blocks send
 * failed hosts to {@code rescue} and everyone to {@code always}; includes are loaded per host at run time; meta
 * tasks and handler flushes happen here.
 */
final class StepRunner {
    private final RunServices services;
    private final TaskRunner tasks;
    private final StartAt startAt;
    private final IncludeRunner includes;

    StepRunner(RunServices services, StartAt startAt) {
        this.services = services;
        this.tasks = new TaskRunner(services);
        this.startAt = startAt;
        this.includes = new IncludeRunner(services, this);
    }

    /** {@code --start-at-task}: tasks are skipped silently until one with this name is reached. */
    static final class StartAt {
        private final String name;
        private volatile boolean reached;

        StartAt(String name) {
            this.name = name;
            this.reached = name == null;
        }

        boolean allows(Task task) {
            if (!reached && (name.equals(task.name()) || name.equals(task.displayName()))) {
                reached = true;
            }
            return reached;
        }

        boolean reached() {
            return reached;
        }
    }

    void run(PlayContext play, List<Step> steps, Inherited inh, List<HostState> hosts, BatchState batch) {
        for (Step step : steps) {
            if (batch.stopped || services.interrupted().get()) {
                return;
            }
            List<HostState> active = hosts.stream().filter(HostState::active).toList();
            if (active.isEmpty()) {
                return;
            }
            if (step instanceof Task t) {
                runTask(play, t, inh, active, batch, false);
            } else if (step instanceof Block b) {
                runBlock(play, b, inh, active, batch);
            } else if (step instanceof Include i) {
                includes.run(play, i, inh, active, batch);
            }
        }
    }

    private void runBlock(PlayContext play, Block b, Inherited parent, List<HostState> hosts, BatchState batch) {
        Inherited inh = parent.child(b.options());
        if (b.role() != null && b.role() != parent.role()) {
            inh = inh.inRole(b.role());
        }
        run(play, b.block(), inh, hosts, batch);
        List<HostState> failedHere = hosts.stream().filter(h -> h.failed && !h.unreachable).toList();
        if (!b.rescue().isEmpty() && !failedHere.isEmpty() && !batch.stopped) {
            failedHere.forEach(h -> h.failed = false);
            run(play, b.rescue(), inh, failedHere, batch);
            for (HostState h : failedHere) {
                if (!h.failed && !h.unreachable) {
                    synchronized (h) {
                        h.failures = Math.max(0, h.failures - 1);
                    }
                    h.count(Status.RESCUED);
                    h.failedTask = Map.of();
                    h.failedResult = Map.of();
                }
            }
        }
        if (!b.always().isEmpty()) {
            List<HostState> failedBefore = hosts.stream().filter(h -> h.failed && !h.unreachable).toList();
            failedBefore.forEach(h -> h.failed = false);
            boolean wasStopped = batch.stopped;
            run(play, b.always(), inh, hosts.stream().filter(h -> !h.unreachable && !h.ended).toList(), batch);
            failedBefore.forEach(h -> h.failed = true);
            if (wasStopped) {
                batch.stop(batch.stopReason);
            }
        }
    }

    void runTask(PlayContext play, Task written, Inherited parent, List<HostState> hosts, BatchState batch, boolean handler) {
        Inherited inh = parent.child(written.options());
        Task task = titled(play, written, inh, hosts.get(0));
        if (!handler && (!services.tags().runs(inh.tags()) || !startAt.allows(task))) {
            return;
        }
        if (task.module().equals("meta")) {
            new MetaTasks(services, this).run(play, task, inh, hosts, batch);
            return;
        }
        services.emitter().emit(new Event.TaskStarted(Instant.now(), task.displayName(), task.location(), handler,
                hosts.stream().map(HostState::name).toList()));
        boolean bypass = services.registry().find(task.module()).map(m -> m.bypassHostLoop()).orElse(false);
        if (bypass || Options.truthy(inh.runOnce())) {
            runOnce(play, task, inh, hosts);
        } else {
            runParallel(play, task, inh, hosts);
        }
        afterTask(inh, hosts, batch);
    }

    /** The task with its name interpolated (as Ansible templates names); the written name when that fails. */
    private Task titled(PlayContext play, Task task, Inherited inh, HostState first) {
        if (task.name() == null || !task.name().contains("${")) {
            return task;
        }
        try {
            Map<String, Object> scope = HostScope.build(play, first, inh, Map.of(), Map.of(), services.expressions(), services.hosts());
            Object title = services.expressions().interpolate(task.name(), scope,
                    new dev.hyperform.vars.Origin(first.name(), task.name(), task.location()));
            return new Task(String.valueOf(title), task.module(), task.args(), task.options(), task.location(), task.role());
        } catch (HyperformException e) {
            return task;
        }
    }

    /**
     * The task on the first host, its new facts and registered results shared with the others; when it fails, every
     * host fails with it (as in ansible-core: a gate written with run_once stops the whole batch, not only its host).
     */
    private void runOnce(PlayContext play, Task task, Inherited inh, List<HostState> hosts) {
        HostState first = hosts.get(0);
        Map<String, Object> before = first.snapshotFacts();
        tasks.run(play, task, inh, first);
        if (first.failed) {
            hosts.stream().filter(h -> !h.unreachable).forEach(h -> h.failed = true);
        }
        Map<String, Object> after = first.snapshotFacts();
        for (HostState other : hosts.subList(1, hosts.size())) {
            after.forEach((k, v) -> {
                if (!before.containsKey(k) || before.get(k) != v) {
                    other.hostFacts.put(k, v);
                }
            });
        }
    }

    private void runParallel(PlayContext play, Task task, Inherited inh, List<HostState> hosts) {
        if (hosts.size() == 1) {
            tasks.run(play, task, inh, hosts.get(0));
            return;
        }
        int limit = services.forks();
        if (inh.throttle() != null) {
            limit = Math.max(1, Math.min(limit, Integer.parseInt(String.valueOf(inh.throttle()).trim())));
        }
        Semaphore slots = new Semaphore(limit);
        Map<HostState, Future<?>> running = new LinkedHashMap<>();
        for (HostState h : hosts) {
            running.put(h, services.workers().submit(() -> {
                slots.acquireUninterruptibly();
                try {
                    tasks.run(play, task, inh, h);
                } finally {
                    slots.release();
                }
            }));
        }
        waitFor(task, running);
    }

    private void waitFor(Task task, Map<HostState, Future<?>> running) {
        Instant start = Instant.now();
        for (Map.Entry<HostState, Future<?>> e : running.entrySet()) {
            while (true) {
                try {
                    e.getValue().get(1, TimeUnit.SECONDS);
                    break;
                } catch (TimeoutException te) {
                    List<String> busy = running.entrySet().stream().filter(x -> !x.getValue().isDone())
                            .map(x -> x.getKey().name()).toList();
                    services.emitter().emit(new Event.StillRunning(Instant.now(), task.displayName(), busy,
                            Duration.between(start, Instant.now())));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    services.interrupted().set(true);
                    return;
                } catch (ExecutionException ee) {
                    Throwable cause = ee.getCause();
                    throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
                }
            }
        }
    }

    private void afterTask(Inherited inh, List<HostState> hosts, BatchState batch) {
        boolean anyFailed = hosts.stream().anyMatch(h -> h.failed);
        if (anyFailed && Options.truthy(inh.anyErrorsFatal())) {
            batch.stop("any_errors_fatal: a host failed");
            return;
        }
        if (batch.maxFailPercentage != null
                && FailureBudget.exceeded(batch.maxFailPercentage, batch.failedCount(), batch.hosts.size())) {
            batch.stop("max_fail_percentage " + batch.maxFailPercentage + "% exceeded: " + batch.failedCount()
                    + " of " + batch.hosts.size() + " hosts failed");
        }
    }

    /** Run notified handlers in definition order on the hosts that notified them, until none is pending. */
    void flushHandlers(PlayContext play, List<HostState> hosts, BatchState batch, boolean force) {
        for (int round = 0; round < 100; round++) {
            boolean ranAny = false;
            for (Handler handler : services.handlers().inOrder()) {
                List<HostState> notified = new ArrayList<>();
                for (HostState h : hosts) {
                    synchronized (h) {
                        boolean eligible = !h.unreachable && !h.ended && (!h.failed || force);
                        if (h.notified.contains(handler) && eligible) {
                            notified.add(h);
                            h.notified.remove(handler);
                        }
                    }
                }
                if (notified.isEmpty()) {
                    continue;
                }
                ranAny = true;
                Inherited inh = Inherited.root(play.options().become()).child(play.play().options());
                if (handler.task().role() != null) {
                    inh = inh.inRole(handler.task().role());
                }
                runTask(play, handler.task(), inh, notified, batch, true);
            }
            if (!ranAny) {
                return;
            }
        }
    }

    RunServices services() {
        return services;
    }
}
