package dev.hyperform.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JUnit XML report ({@code --junit FILE}) so CI systems can show runs: one testsuite per play, one testcase per
 * task and host; failed tasks are failures, unreachable hosts errors, skipped tasks skipped. Written at the end.
 */
public final class JUnitSink implements EventSink {
    private final Path file;
    private final Map<String, List<Event.HostResult>> byPlay = new LinkedHashMap<>();
    private String play = "hyperform";

    public JUnitSink(Path file) {
        this.file = file;
    }

    @Override
    public void accept(Event event) {
        if (event instanceof Event.PlayStarted p) {
            play = p.play();
            byPlay.computeIfAbsent(play, k -> new ArrayList<>());
        } else if (event instanceof Event.HostResult r) {
            byPlay.computeIfAbsent(play, k -> new ArrayList<>()).add(r);
        } else if (event instanceof Event.RunFinished) {
            write();
        }
    }

    private void write() {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
        for (Map.Entry<String, List<Event.HostResult>> e : byPlay.entrySet()) {
            List<Event.HostResult> rs = e.getValue();
            long failures = rs.stream().filter(r -> r.status() == Event.Status.FAILED).count();
            long errors = rs.stream().filter(r -> r.status() == Event.Status.UNREACHABLE).count();
            long skipped = rs.stream().filter(r -> r.status() == Event.Status.SKIPPED).count();
            double time = rs.stream().mapToLong(r -> r.elapsed().toMillis()).sum() / 1000.0;
            x.append("  <testsuite name=\"").append(attr(e.getKey())).append("\" tests=\"").append(rs.size())
                    .append("\" failures=\"").append(failures).append("\" errors=\"").append(errors)
                    .append("\" skipped=\"").append(skipped).append("\" time=\"").append(time).append("\">\n");
            for (Event.HostResult r : rs) {
                String name = r.task() + " [" + r.host() + "]" + (r.item() == null ? "" : " (item=" + r.item() + ")");
                x.append("    <testcase classname=\"").append(attr(e.getKey())).append("\" name=\"").append(attr(name))
                        .append("\" time=\"").append(r.elapsed().toMillis() / 1000.0).append("\"");
                String body = switch (r.status()) {
                    case FAILED -> "<failure message=\"" + attr(first(r.message())) + "\" type=\"failed\">"
                            + text(detail(r)) + "</failure>";
                    case UNREACHABLE -> "<error message=\"" + attr(first(r.message())) + "\" type=\"unreachable\"/>";
                    case SKIPPED -> "<skipped/>";
                    default -> null;
                };
                x.append(body == null ? "/>\n" : ">" + body + "</testcase>\n");
            }
            x.append("  </testsuite>\n");
        }
        x.append("</testsuites>\n");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(x.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String detail(Event.HostResult r) {
        StringBuilder s = new StringBuilder(r.message() == null ? "" : r.message());
        s.append("\nat ").append(r.location());
        r.commands().forEach(c -> s.append("\n$ ").append(c.command()).append(" (rc=").append(c.exitCode()).append(")\n")
                .append(c.stderr()));
        return s.toString();
    }

    private static String first(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static String attr(String s) {
        return text(s).replace("\"", "&quot;").replace("\n", "&#10;");
    }

    static String text(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
                        b.append('?');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
