package dev.hyperform.cli;

import dev.hyperform.playbook.Block;
import dev.hyperform.playbook.Include;
import dev.hyperform.playbook.Play;
import dev.hyperform.playbook.RoleUse;
import dev.hyperform.playbook.Step;
import dev.hyperform.playbook.Task;
import dev.hyperform.run.TagFilter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code --list-tasks}: the tasks a play would run with the selected tags, with their tags, without connecting. */
final class TaskLister {
    private TaskLister() {
    }

    static List<String> list(Play play, TagFilter filter) {
        List<String> out = new ArrayList<>();
        Set<String> playTags = tags(Set.of(), play.options().tags());
        walk(play.preTasks(), playTags, filter, out);
        for (RoleUse r : play.roles()) {
            walk(r.tasks(), tags(playTags, r.options().tags()), filter, out);
        }
        walk(play.tasks(), playTags, filter, out);
        walk(play.postTasks(), playTags, filter, out);
        return out;
    }

    private static void walk(List<Step> steps, Set<String> inherited, TagFilter filter, List<String> out) {
        for (Step s : steps) {
            Set<String> t = tags(inherited, s.options().tags());
            if (s instanceof Task task) {
                if (filter.runs(t)) {
                    out.add(task.displayName() + (t.isEmpty() ? "" : "\tTAGS: " + t));
                }
            } else if (s instanceof Block b) {
                walk(b.block(), t, filter, out);
                walk(b.rescue(), t, filter, out);
                walk(b.always(), t, filter, out);
            } else if (s instanceof Include i && filter.runs(t)) {
                out.add((i.kind() == Include.Kind.TASKS ? "include_tasks: " : "include_role: ") + i.target()
                        + " (resolved at run time)");
            }
        }
    }

    private static Set<String> tags(Set<String> inherited, List<String> own) {
        Set<String> s = new LinkedHashSet<>(inherited);
        if (own != null) {
            s.addAll(own);
        }
        return s;
    }
}
