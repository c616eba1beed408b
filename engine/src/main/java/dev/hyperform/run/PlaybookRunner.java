package dev.hyperform.run;

import dev.hyperform.error.ExitCode;
import dev.hyperform.error.Failure;
import dev.hyperform.facts.FactGatherer;
import dev.hyperform.inventory.Inventory;
import dev.hyperform.module.ModuleRegistry;
import dev.hyperform.output.Event;
import dev.hyperform.output.EventSink;
import dev.hyperform.playbook.Play;
import dev.hyperform.playbook.Playbook;
import dev.hyperform.transport.Connections;
import dev.hyperform.vars.Expressions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * Runs playbooks against an inventory and says how it went: the entry point of the runner. Hosts are worked on
 * in parallel by up to {@code forks} worker threads (one per active host; the expensive part of a task is waiting
 * for the host), each host through its one persistent connection.
 */
public final class PlaybookRunner {
    private final Inventory inventory;
    private final RunOptions options;
    private final RunServices services;
    private final Map<String, HostState> hosts = new ConcurrentHashMap<>();
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private RunProgress progress = RunProgress.NONE;

    public PlaybookRunner(Inventory inventory, Expressions expressions, ModuleRegistry registry,
                          Connections connections, IncludeLoader loader, FactGatherer facts, EventSink sink,
                          UnaryOperator<String> redactor, RunOptions options) {
        this.inventory = inventory;
        this.options = options;
        ExecutorService workers = Executors.newFixedThreadPool(options.forks(), r -> {
            Thread t = new Thread(r, "hyperform-worker");
            t.setDaemon(true);
            return t;
        });
        Emitter emitter = new Emitter(sink, redactor);
        this.services = new RunServices(expressions, registry, connections, emitter, new HandlerQueue(),
                new TargetFactory(inventory, connections, expressions), hosts, loader, facts, workers, options.forks(),
                interrupted, options.tags());
    }

    /** Ask the run to stop: no new task starts; running commands finish; the recap is still emitted. */
    public void interrupt() {
        interrupted.set(true);
    }

    /** Where the runner records which hosts finished which plays, and learns which to skip (a run journal). */
    public void progress(RunProgress journal) {
        this.progress = journal;
    }

    public boolean finished() {
        return finished.get();
    }

    /** Run every play of every playbook in order; returns the exit code (see {@link ExitCode}). */
    public int run(List<Playbook> playbooks) {
        Instant start = Instant.now();
        services.emitter().emit(new Event.RunStarted(start, playbooks.stream().map(p -> String.valueOf(p.file())).toList(),
                options.check(), options.diff(), options.forks()));
        StepRunner steps = new StepRunner(services, new StepRunner.StartAt(options.startAtTask()));
        PlayRunner plays = new PlayRunner(services, inventory, options, steps, progress);
        try {
            int index = 0;
            boolean goOn = true;
            for (Playbook pb : playbooks) {
                for (Play play : pb.plays()) {
                    if (interrupted.get() || !goOn) {
                        break;
                    }
                    goOn = plays.run(play, index++, pb.file().toAbsolutePath().getParent());
                }
            }
        } finally {
            services.workers().shutdownNow();
            try {
                services.workers().awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int code = exitCode();
        Map<String, Event.Recap> recap = new LinkedHashMap<>();
        inventory.hosts().forEach(h -> {
            HostState s = hosts.get(h.name());
            if (s != null) {
                recap.put(h.name(), s.recap());
            }
        });
        hosts.forEach((name, s) -> recap.putIfAbsent(name, s.recap()));
        services.emitter().emit(new Event.RunFinished(Instant.now(), recap, Duration.between(start, Instant.now()),
                code, interrupted.get()));
        progress.ended(code, interrupted.get());
        finished.set(true);
        return code;
    }

    private int exitCode() {
        if (interrupted.get()) {
            return ExitCode.INTERRUPTED;
        }
        boolean anyFailed = false;
        boolean onlyInputErrors = true;
        boolean anyUnreachable = false;
        boolean anyTaskRan = false;
        for (HostState s : hosts.values()) {
            anyTaskRan |= s.tasksRan;
            if (s.failures > 0 || s.failed) {
                anyFailed = true;
                onlyInputErrors &= s.lastFailureKind == Failure.INVALID_INPUT;
            }
            anyUnreachable |= s.unreachableCount > 0 || s.unreachable;
        }
        if (anyFailed) {
            // 4 promises that no task ran anywhere: fix the input and run again; once a task ran, it is a failed run
            return onlyInputErrors && !anyTaskRan ? ExitCode.INVALID_INPUT : ExitCode.TASK_FAILED;
        }
        return anyUnreachable ? ExitCode.UNREACHABLE : ExitCode.OK;
    }
}
