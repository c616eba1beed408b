package dev.hyperform.playbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the keywords plays, role uses, blocks, includes and tasks share into {@link TaskOptions}. The caller has
 * already rejected keys that are not valid for its kind of entry; this only checks each value's shape.
 */
final class OptionsReader {
    private OptionsReader() {
    }

    static TaskOptions read(Fields f) {
        return new TaskOptions(
                f.strings("when"),
                loop(f),
                loopControl(f),
                register(f),
                f.strings("notify"),
                f.strings("changed_when"),
                f.strings("failed_when"),
                f.flag("ignore_errors"),
                f.flag("ignore_unreachable"),
                f.string("until"),
                f.number("retries"),
                f.number("delay"),
                f.string("delegate_to"),
                f.flag("run_once"),
                f.tags("tags"),
                f.flag("become"),
                f.string("become_user"),
                f.string("become_method"),
                f.flag("no_log"),
                f.flag("check_mode"),
                f.flag("diff"),
                f.submap("environment"),
                f.number("timeout"),
                f.number("throttle"),
                f.submap("vars"),
                f.flag("any_errors_fatal"),
                f.string("connection"),
                f.string("remote_user"));
    }

    /** {@code loop}, or {@code with_items} (one level flattened, as Ansible does) or {@code with_list}. */
    private static Object loop(Fields f) {
        List<String> given = new ArrayList<>();
        for (String k : List.of("loop", "with_items", "with_list")) {
            if (f.has(k)) {
                given.add(k);
            }
        }
        if (given.isEmpty()) {
            return null;
        }
        if (given.size() > 1) {
            throw f.error(given.get(1), "'" + given.get(0) + "' and '" + given.get(1) + "' in one " + f.what(),
                    "keep one loop: 'loop:' is the current form");
        }
        String key = given.get(0);
        Object v = f.raw(key);
        if (v instanceof String s && s.contains("${")) {
            return s;
        }
        if (!(v instanceof List<?> list)) {
            throw f.error(key, "'" + key + "' must be a list or an expression \"${...}\" giving one, got "
                    + Values.describe(v), null);
        }
        if (!key.equals("with_items")) {
            return v;
        }
        List<Object> flat = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof List<?> inner) {
                flat.addAll(inner);
            } else {
                flat.add(o);
            }
        }
        return flat;
    }

    private static TaskOptions.LoopControl loopControl(Fields f) {
        Map<String, Object> m = f.submap("loop_control");
        if (m == null) {
            return null;
        }
        Fields lc = new Fields(f.doc(), m, "loop_control");
        lc.requireKnown(Keywords.LOOP_CONTROL);
        String loopVar = lc.string("loop_var");
        Object pause = lc.raw("pause");
        if (pause != null && !(pause instanceof Number) && !(pause instanceof String s && s.contains("${"))) {
            throw lc.error("pause", "'pause' must be a number of seconds, got " + Values.describe(pause), null);
        }
        Object extended = lc.flag("extended");
        return new TaskOptions.LoopControl(loopVar == null ? "item" : loopVar, lc.string("index_var"),
                lc.string("label"), pause, Boolean.TRUE.equals(extended));
    }

    private static String register(Fields f) {
        String r = f.string("register");
        if (r != null && !r.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw f.error("register", "'register: " + r + "' is not a valid variable name",
                    "use letters, digits and '_', not starting with a digit");
        }
        return r;
    }
}
