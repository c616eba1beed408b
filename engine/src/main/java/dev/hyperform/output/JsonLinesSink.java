package dev.hyperform.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperform.module.Diff;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON object per event per line ({@code --events FILE}, {@code --output json}); schema in docs/events.md.
 * Field {@code event} names the type; times are ISO-8601, durations milliseconds, places "file:line:col".
 */
public final class JsonLinesSink implements EventSink {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OutputStream out;
    private final boolean closeStream;

    public JsonLinesSink(OutputStream out, boolean closeStream) {
        this.out = out;
        this.closeStream = closeStream;
    }

    /**
     * Writes one line. A value that cannot be serialised (or that another host's thread changes while it is being
     * serialised) costs that event its details, never the rest of the run's events: the line then names the event
     * and the serialisation error. Only a failing stream switches the sink off.
     */
    @Override
    public void accept(Event event) {
        byte[] line = serialise(event);
        try {
            out.write(line);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] serialise(Event event) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return JSON.writeValueAsBytes(toMap(event));
            } catch (IOException | RuntimeException e) {
                last = e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", typeOf(event));
        m.put("serialization_error", String.valueOf(last));
        try {
            return JSON.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String typeOf(Event event) {
        try {
            Object type = toMap(event).get("event");
            return type == null ? event.getClass().getSimpleName() : type.toString();
        } catch (RuntimeException e) {
            return event.getClass().getSimpleName();
        }
    }

    static Map<String, Object> toMap(Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (e instanceof Event.RunStarted r) {
            m.put("event", "run_started");
            m.put("playbooks", r.playbooks());
            m.put("check", r.check());
            m.put("diff", r.diff());
            m.put("forks", r.forks());
        } else if (e instanceof Event.PlayStarted p) {
            m.put("event", "play_started");
            m.put("play", p.play());
            m.put("location", String.valueOf(p.location()));
            m.put("hosts", p.hosts());
            m.put("batch", p.batch());
            m.put("batches", p.batches());
        } else if (e instanceof Event.TaskStarted t) {
            m.put("event", "task_started");
            m.put("task", t.task());
            m.put("location", String.valueOf(t.location()));
            m.put("handler", t.handler());
            m.put("hosts", t.hosts());
        } else if (e instanceof Event.StillRunning s) {
            m.put("event", "still_running");
            m.put("task", s.task());
            m.put("hosts", s.hosts());
            m.put("elapsed_ms", s.elapsed().toMillis());
        } else if (e instanceof Event.HostResult r) {
            m.put("event", "host_result");
            m.put("host", r.host());
            m.put("task", r.task());
            m.put("location", String.valueOf(r.location()));
            m.put("status", r.status().name().toLowerCase());
            m.put("message", r.message());
            m.put("item", r.item());
            m.put("delegated_to", r.delegatedTo());
            m.put("result", r.result());
            m.put("commands", r.commands().stream().map(JsonLinesSink::command).toList());
            m.put("diffs", diffs(r.diffs()));
            m.put("elapsed_ms", r.elapsed().toMillis());
        } else if (e instanceof Event.Included i) {
            m.put("event", "included");
            m.put("task", i.task());
            m.put("location", String.valueOf(i.location()));
            m.put("file", i.file());
            m.put("hosts", i.hosts());
            m.put("item", i.item());
        } else if (e instanceof Event.Warning w) {
            m.put("event", "warning");
            m.put("host", w.host());
            m.put("message", w.message());
        } else if (e instanceof Event.RunFinished f) {
            m.put("event", "run_finished");
            Map<String, Object> recap = new LinkedHashMap<>();
            f.recap().forEach((h, r) -> recap.put(h, Map.of("ok", r.ok(), "changed", r.changed(),
                    "unreachable", r.unreachable(), "failed", r.failed(), "skipped", r.skipped(),
                    "rescued", r.rescued(), "ignored", r.ignored(), "interrupted", r.interrupted())));
            m.put("recap", recap);
            m.put("elapsed_ms", f.elapsed().toMillis());
            m.put("exit_code", f.exitCode());
            m.put("interrupted", f.interrupted());
        }
        m.put("at", e.at().toString());
        return m;
    }

    private static Map<String, Object> command(Event.CommandLog c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", c.kind().name().toLowerCase());
        m.put("via", c.api() ? "api" : "shell");
        m.put("command", c.command());
        m.put("rc", c.kind() == Event.CommandKind.PLANNED ? null : c.exitCode());
        m.put("stdout", c.stdout());
        m.put("stderr", c.stderr());
        m.put("elapsed_ms", c.elapsed().toMillis());
        return m;
    }

    private static List<Map<String, Object>> diffs(List<Diff> diffs) {
        return diffs.stream().map(d -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("path", d.path());
            x.put("before", d.before());
            x.put("after", d.after());
            Map<String, Object> attrs = new LinkedHashMap<>();
            d.attributes().forEach((k, v) -> attrs.put(k, List.of(v[0], v[1])));
            x.put("attributes", attrs);
            return x;
        }).toList();
    }

    @Override
    public void close() {
        try {
            out.flush();
            if (closeStream) {
                out.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
