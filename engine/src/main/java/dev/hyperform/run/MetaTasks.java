package dev.hyperform.run;

import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.output.Event;
import dev.hyperform.output.Event.Status;
import dev.hyperform.playbook.Task;
import dev.hyperform.vars.Origin;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code meta:} tasks, which act on the run rather than on hosts: flush_handlers, end_play, end_host,
 * clear_host_errors, reset_connection, noop. {@code when} is honoured per host where it makes sense.
 */
final class MetaTasks {
    private final RunServices services;
    private final StepRunner steps;

    MetaTasks(RunServices services, StepRunner steps) {
        this.services = services;
        this.steps = steps;
    }

    void run(PlayContext play, Task task, Inherited inh, List<HostState> hosts, BatchState batch) {
        String action = String.valueOf(task.args().getOrDefault("free_form", task.args().get("_raw_params")));
        List<HostState> selected = hosts.stream().filter(h -> conditionsHold(play, task, inh, h)).toList();
        switch (action) {
            case "flush_handlers" -> steps.flushHandlers(play, batch.hosts, batch, play.options().forceHandlers()
                    || play.play().forceHandlers());
            case "end_play" -> {
                if (!selected.isEmpty()) {
                    batch.hosts.forEach(h -> h.ended = true);
                    batch.stop("meta: end_play");
                }
            }
            case "end_host" -> selected.forEach(h -> {
                h.ended = true;
                report(task, h, "ending play for this host");
            });
            case "clear_host_errors" -> batch.hosts.forEach(h -> {
                if (h.failed) {
                    h.failed = false;
                }
            });
            case "reset_connection" -> selected.forEach(h -> services.connections().get(h.host).reset());
            case "noop" -> {
            }
            default -> throw new HyperformException(Failure.INVALID_INPUT, task.location(), "unknown meta action '"
                    + action + "'", "use " + dev.hyperform.playbook.MetaActions.names() + " (hyperform doc meta)");
        }
    }

    private boolean conditionsHold(PlayContext play, Task task, Inherited inh, HostState h) {
        if (inh.when().isEmpty()) {
            return true;
        }
        Map<String, Object> scope = HostScope.build(play, h, inh, Map.of(), Map.of(), services.expressions(), services.hosts());
        Origin origin = new Origin(h.name(), task.displayName(), task.location());
        for (String c : inh.when()) {
            if (!services.expressions().test(c, scope, origin)) {
                return false;
            }
        }
        return true;
    }

    private void report(Task task, HostState h, String message) {
        services.emitter().emit(new Event.HostResult(Instant.now(), h.name(), task.displayName(), task.location(),
                Status.SKIPPED, message, null, null, Map.of(), List.of(), List.of(), Duration.ZERO));
    }
}
