package dev.hyperform.playbook;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads one play: its keywords, variables, sections and handlers. */
final class PlayParser {
    private static final Set<String> STRATEGIES = Set.of("linear", "free");
    private static final Set<String> ORDERS = Set.of("inventory", "reverse_inventory", "sorted", "reverse_sorted",
            "shuffle");

    private final TaskParser tasks;

    PlayParser(TaskParser tasks) {
        this.tasks = tasks;
    }

    Play parse(Fields f, Path playbookDir, List<Path> chain) {
        f.requireKnown(Keywords.PLAY);
        String hosts = hosts(f);
        List<Handler> extraHandlers = new ArrayList<>();
        LoadContext ctx = new LoadContext(f.doc(), playbookDir, null, chain, extraHandlers);
        List<Step> pre = tasks.steps(f.raw("pre_tasks"), ctx, f.at("pre_tasks"), "pre_tasks");
        List<RoleUse> roles = tasks.roles().section(f.raw("roles"), f.doc(), playbookDir, f.at("roles"));
        List<Step> main = tasks.steps(f.raw("tasks"), ctx, f.at("tasks"), "tasks");
        List<Step> post = tasks.steps(f.raw("post_tasks"), ctx, f.at("post_tasks"), "post_tasks");
        List<Handler> handlers = new ArrayList<>(tasks.handlers(f.raw("handlers"), ctx, f.at("handlers")));
        handlers.addAll(extraHandlers);
        Map<String, Object> vars = f.submap("vars");
        List<String> varsFiles = f.strings("vars_files");
        List<String> secrets = f.strings("secrets");
        Object anyErrorsFatal = f.flag("any_errors_fatal");
        Object forceHandlers = f.flag("force_handlers");
        return new Play(f.string("name"), hosts, f.location(), playbookDir,
                vars == null ? Map.of() : vars, varsFiles == null ? List.of() : varsFiles, varsPrompt(f),
                f.flag("gather_facts"), serial(f), maxFail(f), Boolean.TRUE.equals(anyErrorsFatal),
                choice(f, "strategy", STRATEGIES), choice(f, "order", ORDERS), Boolean.TRUE.equals(forceHandlers),
                secrets == null ? List.of() : secrets, OptionsReader.read(f.without("vars")),
                pre, roles, main, post, handlers);
    }

    private static String hosts(Fields f) {
        Object v = f.raw("hosts");
        if (v == null || (v instanceof String s && s.isBlank())) {
            throw new PlaybookException(f.location(), "a play needs 'hosts:' (which hosts it runs on)",
                    "add e.g. 'hosts: all' or a group name from the inventory");
        }
        if (v instanceof List<?> l) {
            List<String> names = new ArrayList<>();
            l.forEach(o -> names.add(String.valueOf(o)));
            return String.join(",", names);
        }
        return f.string("hosts");
    }

    private static List<VarsPrompt> varsPrompt(Fields f) {
        List<Object> list = f.list("vars_prompt");
        List<VarsPrompt> out = new ArrayList<>();
        if (list == null) {
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw new PlaybookException(f.doc().itemLocation(list, i), "a vars_prompt entry must be a map with "
                        + "'name:' and 'prompt:'", null);
            }
            Fields p = new Fields(f.doc(), TaskParser.castMap(m), "vars_prompt");
            p.requireKnown(Keywords.VARS_PROMPT);
            String name = p.string("name");
            if (name == null) {
                throw new PlaybookException(p.location(), "vars_prompt entry without 'name:'", null);
            }
            Object isPrivate = p.flag("private");
            out.add(new VarsPrompt(name, p.has("prompt") ? p.string("prompt") : name, p.raw("default"),
                    !Boolean.FALSE.equals(isPrivate)));
        }
        return out;
    }

    /** {@code serial}: a number, "N%", an expression, or a list of those. */
    private static List<Object> serial(Fields f) {
        Object v = f.raw("serial");
        List<Object> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        for (Object o : v instanceof List<?> l ? l : List.of(v)) {
            if (o instanceof Integer || o instanceof Long) {
                if (((Number) o).longValue() < 0) {
                    throw f.error("serial", "'serial' cannot be negative", null);
                }
                out.add(((Number) o).intValue());
            } else if (o instanceof String s && s.trim().matches("\\d+")) {
                out.add(Integer.valueOf(s.trim()));
            } else if (o instanceof String s && (s.trim().matches("\\d+(\\.\\d+)?%") || s.contains("${"))) {
                out.add(s.trim());
            } else {
                throw f.error("serial", "'serial' must be a number, a percentage such as \"30%\", or a list of "
                        + "those; got " + Values.describe(o), "e.g. serial: [1, 5, \"20%\"]");
            }
        }
        return out;
    }

    private static Object maxFail(Fields f) {
        Object v = f.raw("max_fail_percentage");
        if (v == null || v instanceof Number || (v instanceof String s && s.contains("${"))) {
            return v;
        }
        if (v instanceof String s && s.trim().matches("\\d+(\\.\\d+)?%?")) {
            return Double.valueOf(s.trim().replace("%", ""));
        }
        throw f.error("max_fail_percentage", "'max_fail_percentage' must be a number from 0 to 100, got "
                + Values.describe(v), null);
    }

    private static String choice(Fields f, String key, Set<String> allowed) {
        String v = f.string(key);
        if (v != null && !allowed.contains(v) && !v.contains("${")) {
            throw f.error(key, "'" + key + ": " + v + "' is not supported", Values.didYouMean(v, allowed)
                    + "use one of: " + String.join(", ", new java.util.TreeSet<>(allowed)));
        }
        return v;
    }
}
