package dev.hyperform.module;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a module found it must do, computed from probes only. The same value is the {@code --check} report and
 * the real run's work, so the two cannot drift.
 *
 * @param summary          one line: what changes ("create /etc/x (mode 0644)") or why nothing does
 * @param commands         the exact commands a real run executes, in order; empty = nothing to change
 * @param diffs            file or attribute diffs for {@code --diff}
 * @param values           values for {@code register}, known from probing (stat results, slurped content ...)
 * @param facts            host variables to set ({@code set_fact}); empty for most modules
 * @param dependsOnEarlier true when the commands could only be known after an earlier change in this run
 *                         (the check report marks them so)
 */
public record Change(String summary, List<Command> commands, List<Diff> diffs, Map<String, Object> values,
                     Map<String, Object> facts, boolean dependsOnEarlier) {

    public Change {
        commands = List.copyOf(commands);
        diffs = List.copyOf(diffs);
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }

    /** Nothing to do; {@code why} says what state was found. */
    public static Change none(String why) {
        return new Change(why, List.of(), List.of(), Map.of(), Map.of(), false);
    }

    public static Change of(String summary, List<Command> commands) {
        return new Change(summary, commands, List.of(), Map.of(), Map.of(), false);
    }

    public static Change of(String summary, Command... commands) {
        return of(summary, List.of(commands));
    }

    public Change withDiff(Diff diff) {
        List<Diff> all = new java.util.ArrayList<>(diffs);
        all.add(diff);
        return new Change(summary, commands, all, values, facts, dependsOnEarlier);
    }

    public Change withValues(Map<String, Object> more) {
        Map<String, Object> all = new LinkedHashMap<>(values);
        all.putAll(more);
        return new Change(summary, commands, diffs, all, facts, dependsOnEarlier);
    }

    public Change withFacts(Map<String, Object> more) {
        Map<String, Object> all = new LinkedHashMap<>(facts);
        all.putAll(more);
        return new Change(summary, commands, diffs, values, all, dependsOnEarlier);
    }

    public Change dependingOnEarlier() {
        return new Change(summary, commands, diffs, values, facts, true);
    }

    public boolean isNone() {
        return commands.isEmpty();
    }

    public Optional<Diff> firstDiff() {
        return diffs.stream().findFirst();
    }
}
