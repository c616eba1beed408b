package dev.hyperform.output;

import dev.hyperform.error.Location;
import dev.hyperform.module.Diff;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What happened during a run. The runner emits events; sinks (console, JSON lines, JUnit) only listen.
 * Events never hold secrets: the runner redacts values and commands before emitting.
 */
public sealed interface Event {

    Instant at();

    /** The run begins. */
    record RunStarted(Instant at, List<String> playbooks, boolean check, boolean diff, int forks) implements Event {
    }

    /** A play (or one serial batch of it) begins. {@code batch} counts from 1; {@code batches} is the total. */
    record PlayStarted(Instant at, String play, Location location, List<String> hosts, int batch, int batches)
            implements Event {
    }

    /** A task begins on these hosts ({@code handler} true for handlers). */
    record TaskStarted(Instant at, String task, Location location, boolean handler, List<String> hosts)
            implements Event {
    }

    /** Hosts still busy with a task that has run longer than a second (for a live status line). */
    record StillRunning(Instant at, String task, List<String> hosts, Duration elapsed) implements Event {
    }

    /**
     * One command of a task, with what it did; text already redacted. {@code kind} tells probes (read the state)
     * from runs (changed it) and, in check mode, from planned commands (what the real run would execute; never run,
     * exit code 0, no output).
     */
    record CommandLog(String command, int exitCode, String stdout, String stderr, Duration elapsed, CommandKind kind,
                      boolean api) {
        /** A shell command's log entry. */
        public CommandLog(String command, int exitCode, String stdout, String stderr, Duration elapsed, CommandKind kind) {
            this(command, exitCode, stdout, stderr, elapsed, kind, false);
        }
    }

    /** Why a command is in a task's log. */
    enum CommandKind { PROBE, RUN, PLANNED }

    /**
     * The result of a task on one host (one per loop item when looping, with {@code item} the label).
     * {@code result} is what {@code register} stores, redacted.
     */
    record HostResult(Instant at, String host, String task, Location location, Status status, String message,
                      String item, String delegatedTo, Map<String, Object> result, List<CommandLog> commands,
                      List<Diff> diffs, Duration elapsed) implements Event {
    }

    /**
     * An include_tasks ran on these hosts (for one loop item, {@code item} its label; else null): {@code file} is the
     * task file it brought in, as ansible-playbook's {@code included: FILE for HOSTS} line shows it. It counts as ok
     * on each of those hosts.
     */
    record Included(Instant at, String task, Location location, String file, List<String> hosts, String item)
            implements Event {
    }

    /** Something a person should know that is not a failure (e.g. host key checking is off). */
    record Warning(Instant at, String host, String message) implements Event {
    }

    /** The run ends: per-host counts in inventory order, total time, the exit code chosen. */
    record RunFinished(Instant at, Map<String, Recap> recap, Duration elapsed, int exitCode, boolean interrupted)
            implements Event {
    }

    /** PLAY RECAP counts for one host. */
    /** {@code interrupted}: tasks that Ctrl-C ended on the host (their commands were stopped there). */
    record Recap(int ok, int changed, int unreachable, int failed, int skipped, int rescued, int ignored,
                 int interrupted) {
        public Recap(int ok, int changed, int unreachable, int failed, int skipped, int rescued, int ignored) {
            this(ok, changed, unreachable, failed, skipped, rescued, ignored, 0);
        }
    }

    /** The outcome of a task on a host, as Ansible names them. */
    enum Status { OK, CHANGED, FAILED, SKIPPED, UNREACHABLE, RESCUED, IGNORED, INTERRUPTED }
}
