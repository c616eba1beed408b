package dev.hyperform.playbook;

import dev.hyperform.error.Location;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds Jinja2 expressions ({@code {{ name }}}) left in a loaded playbook. hyperform's one expression language is
 * FreeMarker, so such text reaches the target as written; an Ansible user porting a playbook should hear of it
 * before it runs, with where and what to write instead. Go and Helm templates ({@code {{ .Values.x }}}) start with a
 * dot and are not reported; neither is text that only has braces.
 */
public final class JinjaLookalikes {
    private static final Pattern JINJA = Pattern.compile("\\{\\{-?\\s*([A-Za-z_][^{}]*?)\\s*-?}}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
    private static final Pattern DEFAULT = Pattern.compile("(" + NAME.pattern() + ")\\s*\\|\\s*default\\((['\"][^'\"]*['\"]|[0-9]+)\\)");

    /** One Jinja-looking expression: where (the task, play or role use that holds it) and what to write instead. */
    public record Finding(Location where, String text, String instead) {
        public String message() {
            return "'" + text + "' is Jinja2, which hyperform does not evaluate: it is used as written. "
                    + (instead == null ? "Write it as a FreeMarker expression (docs/expressions.md has the table)"
                    : "Write " + instead + " (docs/expressions.md)");
        }
    }

    private final Set<Finding> found = new LinkedHashSet<>();

    private JinjaLookalikes() {
    }

    /** Every Jinja-looking expression in the playbook's plays, roles, tasks, handlers and their keywords. */
    public static List<Finding> in(Playbook book) {
        JinjaLookalikes j = new JinjaLookalikes();
        for (Play p : book.plays()) {
            j.scan(p.vars(), p.location());
            j.options(p.options(), p.location());
            j.steps(p.preTasks());
            for (RoleUse r : p.roles()) {
                j.options(r.options(), r.location());
                j.role(r.role(), r.location());
                j.steps(r.tasks());
                r.handlers().forEach(h -> j.step(h.task()));
            }
            j.steps(p.tasks());
            j.steps(p.postTasks());
            p.handlers().forEach(h -> j.step(h.task()));
        }
        return List.copyOf(j.found);
    }

    private void role(RoleRef role, Location at) {
        if (role != null) {
            scan(role.defaults(), at);
            scan(role.vars(), at);
            scan(role.params(), at);
        }
    }

    private void steps(List<Step> steps) {
        steps.forEach(this::step);
    }

    private void step(Step s) {
        options(s.options(), s.location());
        if (s instanceof Task t) {
            scan(t.args(), t.location());
        } else if (s instanceof Block b) {
            steps(b.block());
            steps(b.rescue());
            steps(b.always());
        } else if (s instanceof Include i) {
            scan(i.target(), i.location());
            scan(i.params(), i.location());
        }
    }

    private void options(TaskOptions o, Location at) {
        if (o == null) {
            return;
        }
        for (Object v : new Object[] {o.when(), o.loop(), o.changedWhen(), o.failedWhen(), o.until(), o.vars(),
                o.environment(), o.delegateTo(), o.become(), o.becomeUser(), o.ignoreErrors(), o.runOnce(),
                o.timeout(), o.notifications()}) {
            scan(v, at);
        }
    }

    private void scan(Object value, Location at) {
        if (value instanceof String s) {
            Matcher m = JINJA.matcher(s);
            while (m.find()) {
                found.add(new Finding(at, m.group(), instead(m.group(1).strip())));
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                scan(k, at);
                scan(v, at);
            });
        } else if (value instanceof List<?> list) {
            list.forEach(v -> scan(v, at));
        }
    }

    /** The FreeMarker form of the simple cases (a name, a dotted path, a name with a default); null otherwise. */
    static String instead(String jinja) {
        if (NAME.matcher(jinja).matches()) {
            return "${" + jinja + "}";
        }
        Matcher d = DEFAULT.matcher(jinja);
        if (d.matches()) {
            String dflt = d.group(3).replace('"', '\'');
            return "${" + d.group(1) + "!" + dflt + "}";
        }
        return null;
    }
}
