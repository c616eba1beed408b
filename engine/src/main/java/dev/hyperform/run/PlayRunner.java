package dev.hyperform.run;

import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.inventory.Host;
import dev.hyperform.inventory.Inventory;
import dev.hyperform.output.Event;
import dev.hyperform.output.Event.Status;
import dev.hyperform.playbook.Handler;
import dev.hyperform.playbook.Play;
import dev.hyperform.playbook.RoleUse;
import dev.hyperform.vars.Origin;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * Runs one play: selects its hosts ({@code hosts:} ∩ {@code --limit}, minus hosts that failed in earlier plays),
 * orders them, splits them into serial batches, gathers facts, and runs pre_tasks, roles, tasks and post_tasks with
 * a handler flush after each section, with the linear or the free strategy.
 */
final class PlayRunner {
    private final RunServices services;
    private final Inventory inventory;
    private final RunOptions options;
    private final StepRunner steps;
    private final PlayVars playVars;
    private final RunProgress progress;

    PlayRunner(RunServices services, Inventory inventory, RunOptions options, StepRunner steps, RunProgress progress) {
        this.progress = progress;
        this.services = services;
        this.inventory = inventory;
        this.options = options;
        this.steps = steps;
        this.playVars = new PlayVars(services.expressions(), options, services.loader());
    }

    /**
     * Run one play; false when it was stopped by any_errors_fatal or an exceeded max_fail_percentage, after which,
     * as in ansible-playbook, no later play of the run starts.
     */
    boolean run(Play play, int index, Path playbookDir) {
        List<HostState> hosts = skipFinished(play, index, selectHosts(play));
        List<String> names = hosts.stream().map(HostState::name).toList();
        List<Handler> handlers = new ArrayList<>(play.handlers());
        play.roles().forEach(r -> handlers.addAll(r.handlers()));
        services.handlers().reset(handlers);
        if (hosts.isEmpty()) {
            services.emitter().emit(new Event.PlayStarted(Instant.now(), play.displayName(), play.location(), List.of(), 1, 1));
            services.emitter().emit(new Event.Warning(Instant.now(), null, "play '" + play.displayName()
                    + "': no hosts matched '" + PlayHosts.pattern(play, options.extraVars(), services.expressions()) + "'" + (options.limit() == null ? "" : " with --limit " + options.limit())));
            return true;
        }
        Map<String, Object> vars = play.vars();
        Map<String, Object> prompted = playVars.prompts(play);
        Map<String, Object> files = playVars.files(play, prompted);
        List<List<HostState>> batches = Batches.split(hosts, play.serial(), play.location());
        Double maxFail = maxFail(play);
        for (int i = 0; i < batches.size() && !services.interrupted().get(); i++) {
            List<HostState> batchHosts = batches.get(i).stream().filter(HostState::active).toList();
            if (batchHosts.isEmpty()) {
                continue;
            }
            List<String> batchNames = batchHosts.stream().map(HostState::name).toList();
            PlayContext ctx = new PlayContext(play, inventory, vars, prompted, files, names, batchNames, options, playbookDir);
            BatchState batch = new BatchState(batchHosts, maxFail);
            services.emitter().emit(new Event.PlayStarted(Instant.now(), play.displayName(), play.location(),
                    batchNames, i + 1, batches.size()));
            gatherFacts(ctx, batch);
            if ("free".equals(play.strategy())) {
                runFree(ctx, batch);
            } else {
                runSections(ctx, batch, batchHosts);
            }
            recordFinished(play, index, i + 1, batch);
            if (batch.stopped || FailureBudget.exceeded(maxFail, batch.failedCount(), batchHosts.size())) {
                boolean endPlay = "meta: end_play".equals(batch.stopReason);
                if (!endPlay) {
                    String reason = batch.stopReason != null ? batch.stopReason : "max_fail_percentage exceeded";
                    services.emitter().emit(new Event.Warning(Instant.now(), null, "play '" + play.displayName()
                            + "' stopped: " + reason + "; no later play runs"));
                }
                return endPlay;
            }
        }
        return true;
    }

    /** On a resumed run: leave out the hosts the journal shows finished with this play, and say so in one line. */
    private List<HostState> skipFinished(Play play, int index, List<HostState> hosts) {
        java.util.Set<String> done = progress.finished(index);
        List<String> skipped = hosts.stream().map(HostState::name).filter(done::contains).toList();
        if (skipped.isEmpty()) {
            return hosts;
        }
        services.emitter().emit(new Event.Warning(Instant.now(), null, "resume: play '" + play.displayName() + "': "
                + (skipped.size() == hosts.size() ? "all " + skipped.size() + " hosts" : String.join(", ", skipped))
                + " finished in the journal, skipped" + (skipped.size() == hosts.size() ? ": " + String.join(", ", skipped) : "")));
        // a skipped host that did nothing else in this run is left out of the recap too: it was not touched
        hosts.stream().filter(h -> done.contains(h.name()) && h.recap().equals(HostState.UNTOUCHED))
                .forEach(h -> services.hosts().remove(h.name(), h));
        return hosts.stream().filter(h -> !done.contains(h.name())).toList();
    }

    /**
     * A host finished a batch when all its tasks and handlers ran: the run was not interrupted, the play was not
     * stopped short (any_errors_fatal, max_fail_percentage; meta: end_play ends it on purpose) and the host neither
     * failed nor became unreachable.
     */
    private void recordFinished(Play play, int index, int batchNumber, BatchState batch) {
        if (services.interrupted().get() || batch.stopped && !"meta: end_play".equals(batch.stopReason)) {
            return;
        }
        List<String> done = batch.hosts.stream().filter(h -> !h.failed && !h.unreachable).map(HostState::name).toList();
        if (!done.isEmpty()) {
            progress.finished(index, play.displayName(), batchNumber, done);
        }
    }

    private void runSections(PlayContext ctx, BatchState batch, List<HostState> hosts) {
        Play play = ctx.play();
        Inherited root = Inherited.root(options.become()).child(play.options());
        boolean force = options.forceHandlers() || play.forceHandlers();
        steps.run(ctx, play.preTasks(), root, hosts, batch);
        steps.flushHandlers(ctx, hosts, batch, force);
        for (RoleUse role : play.roles()) {
            steps.run(ctx, role.tasks(), root.child(role.options()).inRole(role.role()), hosts, batch);
        }
        steps.run(ctx, play.tasks(), root, hosts, batch);
        steps.flushHandlers(ctx, hosts, batch, force);
        steps.run(ctx, play.postTasks(), root, hosts, batch);
        steps.flushHandlers(ctx, hosts, batch, force);
    }

    /** The free strategy: every host runs the whole play on its own, as fast as it can. */
    private void runFree(PlayContext ctx, BatchState batch) {
        List<Future<?>> all = new ArrayList<>();
        for (HostState h : batch.hosts) {
            all.add(services.workers().submit(() -> runSections(ctx, batch, List.of(h))));
        }
        awaitAll(all);
    }

    /** Wait for every host's work; an interrupt stops the run, a worker's exception is rethrown here. */
    private void awaitAll(List<Future<?>> all) {
        for (Future<?> f : all) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                services.interrupted().set(true);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
        }
    }

    private void gatherFacts(PlayContext ctx, BatchState batch) {
        Play play = ctx.play();
        Map<String, Object> scope = playVars.playScope(play, Map.of());
        boolean gather = play.gatherFacts() == null || Options.resolveBool(play.gatherFacts(), true,
                services.expressions(), scope, Origin.at(play.location()));
        List<HostState> todo = batch.hosts.stream().filter(h -> h.active() && !h.factsGathered).toList();
        if (!gather || todo.isEmpty()) {
            return;
        }
        services.emitter().emit(new Event.TaskStarted(Instant.now(), "Gathering Facts", play.location(), false,
                todo.stream().map(HostState::name).toList()));
        List<Future<?>> all = new ArrayList<>();
        for (HostState h : todo) {
            all.add(services.workers().submit(() -> gatherOne(play, h)));
        }
        awaitAll(all);
    }

    private void gatherOne(Play play, HostState h) {
        Instant start = Instant.now();
        Status status;
        String message = null;
        try {
            Map<String, Object> facts = services.facts().gather(services.connections().get(h.host));
            synchronized (h) {
                h.facts.clear();
                h.facts.putAll(facts);
                h.factsGathered = true;
            }
            status = Status.OK;
        } catch (dev.hyperform.transport.HostUnreachableException e) {
            h.unreachable = true;
            status = Status.UNREACHABLE;
            message = e.getMessage();
        } catch (HyperformException e) {
            h.failed = true;
            h.lastFailureKind = e.kind();
            status = Status.FAILED;
            message = e.getMessage();
        }
        h.count(status);
        services.emitter().emit(new Event.HostResult(Instant.now(), h.name(), "Gathering Facts", play.location(), status,
                services.emitter().redact(message), null, null, Map.of(), List.of(), List.of(),
                Duration.between(start, Instant.now())));
    }

    private List<HostState> selectHosts(Play play) {
        List<Host> selected = inventory.select(PlayHosts.pattern(play, options.extraVars(), services.expressions()));
        if (options.limit() != null && !options.limit().isBlank()) {
            List<String> allowed = inventory.select(options.limit()).stream().map(Host::name).toList();
            selected = selected.stream().filter(h -> allowed.contains(h.name())).toList();
        }
        List<HostState> out = new ArrayList<>();
        for (Host h : order(play, selected)) {
            HostState s = services.hosts().computeIfAbsent(h.name(), n -> new HostState(h));
            s.host = h;
            s.ended = false;
            if (!s.failed && !s.unreachable) {
                out.add(s);
            }
        }
        return out;
    }

    private static List<Host> order(Play play, List<Host> hosts) {
        List<Host> l = new ArrayList<>(hosts);
        String order = play.order() == null ? "inventory" : play.order();
        switch (order) {
            case "inventory" -> {
            }
            case "reverse_inventory" -> Collections.reverse(l);
            case "sorted" -> l.sort((a, b) -> a.name().compareTo(b.name()));
            case "reverse_sorted" -> l.sort((a, b) -> b.name().compareTo(a.name()));
            case "shuffle" -> Collections.shuffle(l);
            default -> throw new HyperformException(Failure.INVALID_INPUT, play.location(), "order: '" + order
                    + "' is not known", "use inventory, reverse_inventory, sorted, reverse_sorted or shuffle");
        }
        return l;
    }

    private Double maxFail(Play play) {
        if (play.maxFailPercentage() == null) {
            return null;
        }
        try {
            return Double.parseDouble(String.valueOf(play.maxFailPercentage()).replace("%", "").trim());
        } catch (NumberFormatException e) {
            throw new HyperformException(Failure.INVALID_INPUT, play.location(), "max_fail_percentage must be a number, got '"
                    + play.maxFailPercentage() + "'", "write max_fail_percentage: 30");
        }
    }
}
