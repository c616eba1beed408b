package dev.hyperform.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the last attempt of a task whose {@code until} gave up saw, for the console: its rc and the tails of its stdout
 * and stderr, each cut to the last {@value #LINES} lines and {@value #CHARS} characters (saying so). The values are
 * the registered result's ({@code rc}, {@code stdout}, {@code stderr}, as Ansible's failed result carries them), else
 * those of the last command the attempt ran.
 */
final class LastAttempt {
    static final int LINES = 20;
    static final int CHARS = 4096;

    private LastAttempt() {
    }

    /** The lines to print under the failed host's line; none when the result is not an until that gave up. */
    static List<String> lines(Event.HostResult r) {
        Map<String, Object> result = r.result();
        if (!(result.get("attempts") instanceof Number) || !Boolean.TRUE.equals(result.get("failed"))) {
            return List.of();
        }
        Object rc = result.get("rc");
        Object out = result.get("stdout");
        Object err = result.get("stderr");
        if (rc == null && out == null && err == null) {
            Event.CommandLog c = r.commands().stream().filter(l -> l.kind() == Event.CommandKind.RUN)
                    .reduce((a, b) -> b).orElse(null);
            if (c == null) {
                return List.of();
            }
            rc = c.exitCode();
            out = c.stdout();
            err = c.stderr();
        }
        List<String> lines = new ArrayList<>();
        lines.add("  last attempt: rc=" + (rc == null ? "none" : rc));
        tail(lines, "stdout", out);
        tail(lines, "stderr", err);
        return lines;
    }

    private static void tail(List<String> lines, String name, Object text) {
        if (text == null || String.valueOf(text).isBlank()) {
            return;
        }
        String[] all = String.valueOf(text).stripTrailing().split("\n", -1);
        List<String> kept = new ArrayList<>(Arrays.asList(all).subList(Math.max(0, all.length - LINES), all.length));
        int chars = kept.stream().mapToInt(s -> s.length() + 1).sum();
        boolean clipped = false;
        while (chars > CHARS && kept.size() > 1) {
            chars -= kept.remove(0).length() + 1;
        }
        if (chars > CHARS) {
            String only = kept.get(0);
            kept.set(0, only.substring(only.length() - CHARS));
            clipped = true;
        }
        String note = kept.size() < all.length ? " (last " + kept.size() + " of " + all.length + " lines"
                + (clipped ? ", the last " + CHARS + " characters" : "") + ")"
                : clipped ? " (the last " + CHARS + " characters)" : "";
        lines.add("  " + name + note + ":");
        kept.forEach(s -> lines.add("    " + s));
    }
}
