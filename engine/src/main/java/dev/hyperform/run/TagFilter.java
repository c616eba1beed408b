package dev.hyperform.run;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * {@code --tags} / {@code --skip-tags} with Ansible's rules: a task runs when it has a selected tag (or
 * {@code all} is selected and it is not tagged {@code never}), tasks tagged {@code always} run unless
 * {@code always} is skipped, tasks tagged {@code never} run only when one of their other tags (or {@code never})
 * is selected; {@code tagged} / {@code untagged} select tasks with / without tags; skip wins over select.
 */
public record TagFilter(Set<String> only, Set<String> skip) {

    public static final TagFilter ALL = new TagFilter(Set.of("all"), Set.of());

    public TagFilter {
        only = only.isEmpty() ? Set.of("all") : Set.copyOf(only);
        skip = Set.copyOf(skip);
    }

    public static TagFilter of(List<String> tags, List<String> skipTags) {
        return new TagFilter(split(tags), split(skipTags));
    }

    private static Set<String> split(List<String> values) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (String v : values) {
            for (String t : v.split(",")) {
                if (!t.isBlank()) {
                    out.add(t.trim());
                }
            }
        }
        return out;
    }

    /** Whether a task with these (inherited) tags runs. */
    public boolean runs(Collection<String> tags) {
        if (matchesAny(skip, tags)) {
            return false;
        }
        if (tags.contains("always")) {
            return true;
        }
        if (only.contains("all")) {
            return !tags.contains("never");
        }
        if (only.contains("tagged") && !tags.isEmpty() || only.contains("untagged") && tags.isEmpty()) {
            return true;
        }
        return tags.stream().anyMatch(only::contains);
    }

    private static boolean matchesAny(Set<String> set, Collection<String> tags) {
        if (set.isEmpty()) {
            return false;
        }
        if (set.contains("all")) {
            return true;
        }
        if (set.contains("tagged") && !tags.isEmpty()) {
            return true;
        }
        if (set.contains("untagged") && tags.isEmpty()) {
            return true;
        }
        return tags.stream().anyMatch(set::contains);
    }
}
