package dev.hyperform.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperform.module.Diff;
import dev.hyperform.output.Event.Status;
import java.io.PrintStream;
import java.util.Map;

/**
 * Human output shaped like Ansible's default callback: PLAY and TASK headers, one line per host, failures with the
 * command, exit code, stderr and the task's file:line (an {@code until} that gave up: its last attempt's rc and the
 * tails of its stdout and stderr), diffs with {@code --diff}, and the PLAY RECAP. Colour and
 * the live "still running" line only on a terminal.
 */
public final class ConsoleSink implements EventSink {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Event.Recap NOTHING = new Event.Recap(0, 0, 0, 0, 0, 0, 0, 0);
    private final PrintStream out;
    private final boolean colour;
    private final int verbosity;
    private final int width;
    private boolean statusLineShown;

    public ConsoleSink(PrintStream out, boolean colour, int verbosity) {
        this.out = out;
        this.colour = colour;
        this.verbosity = verbosity;
        this.width = 80;
    }

    /** Colour when stdout is a terminal and NO_COLOR is unset. */
    public static boolean terminalColour() {
        return System.console() != null && System.getenv("NO_COLOR") == null;
    }

    @Override
    public void accept(Event event) {
        clearStatusLine();
        if (event instanceof Event.RunStarted r) {
            if (r.check()) {
                out.println(paint("CHECK MODE: nothing will be changed; what would change is reported", "36"));
            }
        } else if (event instanceof Event.PlayStarted p) {
            String title = "PLAY [" + p.play() + "]" + (p.batches() > 1 ? " (batch " + p.batch() + "/" + p.batches() + ")" : "");
            header(title);
        } else if (event instanceof Event.TaskStarted t) {
            header((t.handler() ? "RUNNING HANDLER [" : "TASK [") + t.task() + "]");
            if (verbosity >= 1 && t.location().isKnown()) {
                out.println("task path: " + t.location());
            }
        } else if (event instanceof Event.HostResult r) {
            result(r);
        } else if (event instanceof Event.Included i) {
            out.println(paint("included: " + i.file() + " for " + String.join(", ", i.hosts())
                    + (i.item() == null ? "" : " => (item=" + i.item() + ")"), "36"));
        } else if (event instanceof Event.StillRunning s) {
            if (colour) {
                out.print("\r  ... still running on " + String.join(", ", s.hosts()) + " (" + s.elapsed().toSeconds() + "s)");
                out.flush();
                statusLineShown = true;
            }
        } else if (event instanceof Event.Warning w) {
            out.println(paint("[WARNING]: " + (w.host() == null ? "" : w.host() + ": ") + w.message(), "35"));
        } else if (event instanceof Event.RunFinished f) {
            recap(f);
        }
        out.flush();
    }

    private void result(Event.HostResult r) {
        String host = r.delegatedTo() == null ? r.host() : r.host() + " -> " + r.delegatedTo();
        String item = r.item() == null ? "" : " => (item=" + r.item() + ")";
        switch (r.status()) {
            case OK -> out.println(paint("ok: [" + host + "]" + item, "32") + details(r));
            case CHANGED -> out.println(paint("changed: [" + host + "]" + item, "33") + details(r));
            case SKIPPED -> out.println(paint("skipping: [" + host + "]" + item, "36"));
            case UNREACHABLE -> out.println(paint("fatal: [" + host + "]: UNREACHABLE! => " + r.message(), "31"));
            case INTERRUPTED -> out.println(paint("interrupted: [" + host + "]" + item + " => " + r.message(), "35"));
            case FAILED, IGNORED -> {
                String what = r.item() == null ? "fatal: [" + host + "]: FAILED! => " : "failed: [" + host + "] (item=" + r.item() + ") => ";
                out.println(paint(what + r.message(), "31"));
                if (r.location() != null && r.location().isKnown()) {
                    out.println(paint("  task: " + r.task() + " at " + r.location(), "31"));
                }
                java.util.List<String> lastAttempt = LastAttempt.lines(r);
                lastAttempt.forEach(l -> out.println(paint(l, "31")));
                r.commands().stream().filter(c -> c.exitCode() != 0 && lastAttempt.isEmpty()).reduce((a, b) -> b).ifPresent(c -> {
                    out.println(paint("  command: " + c.command().replace("\n", "\n           "), "31"));
                    out.println(paint("  exit code: " + c.exitCode(), "31"));
                    if (!c.stderr().isBlank()) {
                        out.println(paint("  stderr: " + c.stderr().strip().replace("\n", "\n          "), "31"));
                    }
                });
                if (r.status() == Status.IGNORED) {
                    out.println(paint("...ignoring", "36"));
                }
            }
            case RESCUED -> out.println(paint("rescued: [" + host + "]", "33"));
        }
        for (Diff d : r.diffs()) {
            if (d.hasContent()) {
                out.print(UnifiedDiff.of(d.path(), d.before(), d.after()));
            }
            d.attributes().forEach((k, v) -> out.println("  " + d.path() + " " + k + ": " + v[0] + " -> " + v[1]));
        }
        if (verbosity >= 2) {
            r.commands().forEach(c -> out.println("  <" + r.host() + "> $ " + c.command() + (c.kind() == Event.CommandKind.PLANNED
                    ? "  (would run)" : "  (rc=" + c.exitCode() + ", " + c.elapsed().toMillis() + " ms)")));
        }
        if (verbosity >= 3) {
            r.commands().forEach(c -> {
                if (!c.stdout().isEmpty()) {
                    out.println("  stdout: " + c.stdout().stripTrailing());
                }
                if (!c.stderr().isEmpty()) {
                    out.println("  stderr: " + c.stderr().stripTrailing());
                }
            });
        }
    }

    private String details(Event.HostResult r) {
        StringBuilder s = new StringBuilder();
        Object msg = r.result().get("msg");
        boolean debugLike = r.result().containsKey("msg") && r.commands().isEmpty() && r.status() == Status.OK;
        if (r.message() != null && r.message().startsWith("would ")) {
            s.append(" => ").append(r.message());
        } else if (debugLike && msg != null) {
            s.append(" => ").append(msg);
        }
        if (verbosity >= 1) {
            try {
                s.append(" => ").append(JSON.writeValueAsString(r.result()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                s.append(" => ").append(r.result());
            }
        }
        return s.toString();
    }

    private void recap(Event.RunFinished f) {
        header("PLAY RECAP");
        int w = f.recap().entrySet().stream().filter(e -> !e.getValue().equals(NOTHING))
                .mapToInt(e -> e.getKey().length()).max().orElse(10);
        for (Map.Entry<String, Event.Recap> e : f.recap().entrySet()) {
            Event.Recap r = e.getValue();
            if (r.equals(NOTHING)) {
                continue; // as ansible-playbook: a host no task reached (a stopped rollout's later nodes) is not listed
            }
            String code = r.failed() > 0 || r.unreachable() > 0 ? "31" : r.interrupted() > 0 ? "35"
                    : r.changed() > 0 ? "33" : "32";
            out.println(paint(String.format("%-" + w + "s", e.getKey()), code)
                    + String.format(" : ok=%-4d changed=%-4d unreachable=%-4d failed=%-4d skipped=%-4d rescued=%-4d ignored=%d",
                    r.ok(), r.changed(), r.unreachable(), r.failed(), r.skipped(), r.rescued(), r.ignored())
                    + (r.interrupted() > 0 ? " interrupted=" + r.interrupted() : ""));
        }
        out.println();
        out.printf("elapsed %.2f s%s%n", f.elapsed().toMillis() / 1000.0,
                f.interrupted() ? " (interrupted)" : "");
    }

    private void header(String title) {
        out.println();
        String line = title + " ";
        out.println(line + "*".repeat(Math.max(3, width - line.length())));
    }

    private void clearStatusLine() {
        if (statusLineShown) {
            out.print("\r\033[K");
            statusLineShown = false;
        }
    }

    private String paint(String text, String code) {
        return colour ? "\033[" + code + "m" + text + "\033[0m" : text;
    }
}
