package dev.hyperform.run;

import dev.hyperform.inventory.Host;
import dev.hyperform.output.Event;
import dev.hyperform.playbook.Handler;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything the run knows about one host: facts, variables set by set_fact and register, whether it failed, is
 * unreachable or has ended, the handlers notified on it, and its recap counters. Touched by one worker at a time.
 */
final class HostState {
    /** The inventory's view of the host; taken again at each play, since add_host and group_by can change it. */
    volatile Host host;
    final Map<String, Object> facts = new LinkedHashMap<>();
    /** set_fact and register results: they outlive the play, as in Ansible. */
    final Map<String, Object> hostFacts = new ConcurrentHashMap<>();
    final Set<Handler> notified = new LinkedHashSet<>();
    volatile boolean failed;
    volatile boolean unreachable;
    volatile boolean ended;
    boolean factsGathered;
    /** A task (not fact gathering) ran here: ok, changed or ignored. After that an input error is a failed task. */
    volatile boolean tasksRan;
    /** The kind of the last failure (INVALID_INPUT for an undefined variable) — picks the exit code. */
    dev.hyperform.error.Failure lastFailureKind;
    /** The delegate_to host of the task being reported, as resolved for this host and item (for the result line). */
    volatile String delegateShown;
    Map<String, Object> failedTask = Map.of();
    Map<String, Object> failedResult = Map.of();
    int ok;
    int changed;
    int failures;
    int skipped;
    int rescued;
    int ignored;
    int unreachableCount;
    int interrupted;

    HostState(Host host) {
        this.host = host;
    }

    String name() {
        return host.name();
    }

    /** Still taking part in the play. */
    boolean active() {
        return !failed && !unreachable && !ended;
    }

    synchronized void count(Event.Status status) {
        switch (status) {
            case OK -> ok++;
            case CHANGED -> {
                ok++;
                changed++;
            }
            case FAILED -> failures++;
            case SKIPPED -> skipped++;
            case RESCUED -> rescued++;
            case IGNORED -> {
                ok++;
                ignored++;
            }
            case UNREACHABLE -> unreachableCount++;
            case INTERRUPTED -> interrupted++;
        }
    }

    /**
     * A failed task whose errors are ignored but which changed something before failing counts as changed too, as
     * in Ansible's recap (a failure that is not ignored counts only as a failure there, and here).
     */
    synchronized void countChangedToo() {
        changed++;
    }

    static final Event.Recap UNTOUCHED = new HostState(null).recap();

    synchronized Event.Recap recap() {
        return new Event.Recap(ok, changed, unreachableCount, failures, skipped, rescued, ignored, interrupted);
    }

    synchronized Map<String, Object> snapshotFacts() {
        return new LinkedHashMap<>(hostFacts);
    }
}
