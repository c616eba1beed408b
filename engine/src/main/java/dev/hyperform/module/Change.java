package dev.hyperform.module;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a module found it must do, computed from probes only. The same value is the {@code --check} report and
 * the real run's work, so the two cannot drift.
 *
 * @param summary          one line: what changes ("create /etc/x (mode 0644)") or why nothing does
 * @param operations       the exact operations a real run executes, in order: shell {@link Command}s on the host
 *                         and/or {@link ApiCall}s from the controller; empty = nothing to change
 * @param diffs            file or object diffs for {@code --diff}
 * @param values           values for {@code register}, known from probing (stat results, slurped content ...)
 * @param facts            host variables to set ({@code set_fact}); empty for most modules
 * @param dependsOnEarlier true when the operations could only be known after an earlier change in this run
 *                         (the check report marks them so)
 */
public record Change(String summary, List<Operation> operations, List<Diff> diffs, Map<String, Object> values,
                     Map<String, Object> facts, boolean dependsOnEarlier) {

    public Change {
        operations = List.copyOf(operations);
        diffs = List.copyOf(diffs);
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }

    /** A change of shell commands (most modules). */
    public static Change commands(String summary, List<Command> commands, List<Diff> diffs,
                                  Map<String, Object> values) {
        return new Change(summary, List.copyOf(commands), diffs, values, Map.of(), false);
    }

    /** Nothing to do; {@code why} says what state was found. */
    public static Change none(String why) {
        return new Change(why, List.of(), List.of(), Map.of(), Map.of(), false);
    }

    public static Change of(String summary, List<? extends Operation> operations) {
        return new Change(summary, List.copyOf(operations), List.of(), Map.of(), Map.of(), false);
    }

    public static Change of(String summary, Operation... operations) {
        return of(summary, List.of(operations));
    }

    /** The shell commands among the operations, in order (all of them for a module that only runs commands). */
    public List<Command> commands() {
        List<Command> out = new ArrayList<>();
        for (Operation o : operations) {
            if (o instanceof Command c) {
                out.add(c);
            }
        }
        return out;
    }

    public Change withDiff(Diff diff) {
        List<Diff> all = new ArrayList<>(diffs);
        all.add(diff);
        return new Change(summary, operations, all, values, facts, dependsOnEarlier);
    }

    public Change withValues(Map<String, Object> more) {
        Map<String, Object> all = new LinkedHashMap<>(values);
        all.putAll(more);
        return new Change(summary, operations, diffs, all, facts, dependsOnEarlier);
    }

    public Change withFacts(Map<String, Object> more) {
        Map<String, Object> all = new LinkedHashMap<>(facts);
        all.putAll(more);
        return new Change(summary, operations, diffs, values, all, dependsOnEarlier);
    }

    public Change dependingOnEarlier() {
        return new Change(summary, operations, diffs, values, facts, true);
    }

    public boolean isNone() {
        return operations.isEmpty();
    }

    public Optional<Diff> firstDiff() {
        return diffs.stream().findFirst();
    }
}
