package dev.hyperform.benchmark.fio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads fio's {@code --output-format=json} / {@code json+} output (never its text output). fio prints a line per
 * failed job ({@code fio: pid=N, err=22/file:io_u.c:1876, func=io_u error, error=Invalid argument}) on stdout before
 * the JSON document; those lines give the failed jobs' reasons. Unit forms: fio 3 writes {@code clat_ns}/{@code lat_ns}
 * in nanoseconds and {@code bw_bytes}; fio 2 wrote {@code clat}/{@code lat} in microseconds and {@code bw} in KiB/s.
 */
public final class FioJsonParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ERROR_LINE =
            Pattern.compile("^fio: pid=\\d+, err=(\\d+)/([^,]*), func=([^,]*), error=(.*)$");
    private static final String[] DIRECTIONS = {"read", "write", "trim"};
    /** Latency objects in the order they are preferred, with the factor to nanoseconds. */
    private static final List<Map.Entry<String, Double>> LATENCY_KEYS = List.of(
            Map.entry("clat_ns", 1.0), Map.entry("lat_ns", 1.0), Map.entry("clat", 1000.0), Map.entry("lat", 1000.0));

    public FioRun parse(Path file) {
        try {
            return parse(Files.readString(file), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fio output " + file, e);
        }
    }

    public FioRun parse(String output, Path source) {
        Map<Integer, String> reasons = new HashMap<>();
        int start = -1;
        int pos = 0;
        for (String line : output.split("\n", -1)) {
            if (line.startsWith("{")) {
                start = pos;
                break;
            }
            Matcher m = ERROR_LINE.matcher(line.strip());
            if (m.matches()) {
                reasons.putIfAbsent(Integer.parseInt(m.group(1)), m.group(4).strip() + " (" + m.group(3).strip() + " at " + m.group(2).strip() + ")");
            }
            pos += line.length() + 1;
        }
        if (start < 0) {
            throw new FioOutputException(source, "no JSON document in fio's output"
                    + (output.isBlank() ? " (it is empty)" : ": it starts with '" + firstLine(output) + "'"));
        }
        JsonNode root;
        try {
            root = JSON.readTree(output.substring(start));
        } catch (JsonProcessingException e) {
            throw new FioOutputException(source, "fio's JSON does not parse: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + " of the document)");
        }
        JsonNode jobs = root.path("jobs");
        if (!jobs.isArray()) {
            throw new FioOutputException(source, "fio's JSON has no 'jobs' array");
        }
        List<FioJob> out = new ArrayList<>();
        for (JsonNode job : jobs) {
            out.add(job(job, reasons));
        }
        return new FioRun(root.path("fio version").asText(""), out);
    }

    private static FioJob job(JsonNode job, Map<Integer, String> reasons) {
        int error = job.path("error").asInt(0);
        double iops = 0;
        double bw = 0;
        long ios = 0;
        Latency latency = null;
        long latencyIos = -1;
        for (String d : DIRECTIONS) {
            JsonNode dir = job.path(d);
            if (dir.isMissingNode()) {
                continue;
            }
            iops += dir.path("iops").asDouble(0);
            bw += dir.has("bw_bytes") ? dir.path("bw_bytes").asDouble(0) : dir.path("bw").asDouble(0) * 1024;
            long dirIos = dir.has("total_ios") ? dir.path("total_ios").asLong(0) : dir.path("io_bytes").asLong(0);
            ios += dir.path("total_ios").asLong(0);
            Latency l = latency(dir);
            if (l != null && dirIos > latencyIos) {
                latency = l; // the direction that did the I/O (a randread job's write side is all zeros)
                latencyIos = dirIos;
            }
        }
        String reason = error == 0 ? "" : "error " + error + ": " + reasons.getOrDefault(error, "fio gave no reason text");
        return new FioJob(job.path("jobname").asText("?"), job.path("groupid").asInt(0), error, reason, iops, bw, ios, latency);
    }

    private static Latency latency(JsonNode dir) {
        for (Map.Entry<String, Double> key : LATENCY_KEYS) {
            JsonNode pct = dir.path(key.getKey()).path("percentile");
            if (pct.isObject() && pct.size() > 0) {
                double f = key.getValue();
                Double p50 = percentile(pct, 50.0);
                Double p99 = percentile(pct, 99.0);
                Double p999 = percentile(pct, 99.9);
                if (p50 != null && p99 != null && p999 != null) {
                    return new Latency(p50 * f, p99 * f, p999 * f);
                }
            }
        }
        return null;
    }

    private static Double percentile(JsonNode pct, double which) {
        var it = pct.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (Math.abs(Double.parseDouble(e.getKey()) - which) < 1e-6) {
                return e.getValue().asDouble();
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        String l = s.lines().findFirst().orElse("");
        return l.length() > 80 ? l.substring(0, 80) + "..." : l;
    }
}
