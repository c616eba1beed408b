package dev.hyperform.playbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Where the loader itself must combine keywords (a role dependency under its parent role, plays under an
 * {@code import_playbook} with when/tags/vars): conditions are ANDed, tags and notify united, vars and environment
 * merged (the child wins), and every other keyword is the child's if set, else the parent's.
 */
final class OptionsInheritance {
    private OptionsInheritance() {
    }

    static TaskOptions inherit(TaskOptions child, TaskOptions parent) {
        if (parent == null || parent.equals(TaskOptions.NONE)) {
            return child;
        }
        return new TaskOptions(
                concat(parent.when(), child.when()),
                or(child.loop(), parent.loop()),
                or(child.loopControl(), parent.loopControl()),
                or(child.register(), parent.register()),
                union(parent.notifications(), child.notifications()),
                concat(parent.changedWhen(), child.changedWhen()),
                concat(parent.failedWhen(), child.failedWhen()),
                or(child.ignoreErrors(), parent.ignoreErrors()),
                or(child.ignoreUnreachable(), parent.ignoreUnreachable()),
                or(child.until(), parent.until()),
                or(child.retries(), parent.retries()),
                or(child.delay(), parent.delay()),
                or(child.delegateTo(), parent.delegateTo()),
                or(child.runOnce(), parent.runOnce()),
                union(parent.tags(), child.tags()),
                or(child.become(), parent.become()),
                or(child.becomeUser(), parent.becomeUser()),
                or(child.becomeMethod(), parent.becomeMethod()),
                or(child.noLog(), parent.noLog()),
                or(child.checkMode(), parent.checkMode()),
                or(child.diff(), parent.diff()),
                merge(parent.environment(), child.environment()),
                or(child.timeout(), parent.timeout()),
                or(child.throttle(), parent.throttle()),
                merge(parent.vars(), child.vars()),
                or(child.anyErrorsFatal(), parent.anyErrorsFatal()),
                or(child.connection(), parent.connection()),
                or(child.remoteUser(), parent.remoteUser()));
    }

    private static <T> T or(T child, T parent) {
        return child != null ? child : parent;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> union(List<String> a, List<String> b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        LinkedHashSet<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }

    private static Map<String, Object> merge(Map<String, Object> parent, Map<String, Object> child) {
        if (parent == null || child == null) {
            return parent == null ? child : parent;
        }
        Map<String, Object> all = new LinkedHashMap<>(parent);
        all.putAll(child);
        return all;
    }
}
