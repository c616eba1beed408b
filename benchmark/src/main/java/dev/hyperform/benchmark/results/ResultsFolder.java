package dev.hyperform.benchmark.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperform.benchmark.fio.FioJsonParser;
import dev.hyperform.benchmark.fio.FioRun;
import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.error.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads a benchmark results folder (layout in docs/benchmark.md):
 * <pre>
 * RUN/environment.json                      versions, parameters, node facts (free-form JSON object)
 * RUN/points/KIND_CASE_COUNT/point.json     {"kind","case","vms","status","reason"}
 * RUN/points/KIND_CASE_COUNT/fio/VM.json    fio --output-format=json(+) stdout of guest VM
 * </pre>
 */
public final class ResultsFolder {
    public static final String ENVIRONMENT = "environment.json";
    public static final String POINTS = "points";
    public static final String MANIFEST = "point.json";
    public static final String FIO = "fio";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FioJsonParser parser = new FioJsonParser();

    public BenchmarkRun read(Path dir) {
        Path points = dir.resolve(POINTS);
        if (!Files.isDirectory(points)) {
            throw new HyperformException(Failure.INVALID_INPUT, Location.of(dir), "'" + dir + "' is not a benchmark results folder: it has no '"
                    + POINTS + "' folder", "pass the folder the benchmark playbook wrote (it holds environment.json and points/)");
        }
        JsonNode env = Files.isRegularFile(dir.resolve(ENVIRONMENT)) ? json(dir.resolve(ENVIRONMENT)) : JSON.createObjectNode();
        List<PointResults> out = new ArrayList<>();
        for (Path p : list(points)) {
            if (Files.isRegularFile(p.resolve(MANIFEST))) {
                out.add(point(p));
            }
        }
        out.sort(Comparator.comparing((PointResults r) -> r.manifest().caseName())
                .thenComparingInt(r -> r.manifest().vms()).thenComparing(r -> r.manifest().kind()));
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return new BenchmarkRun(dir, name == null ? dir.toString() : name.toString(), env, out);
    }

    private PointResults point(Path p) {
        Path file = p.resolve(MANIFEST);
        JsonNode m = json(file);
        for (String key : List.of("kind", "case", "vms", "status")) {
            if (!m.hasNonNull(key)) {
                throw new HyperformException(Failure.INVALID_INPUT, Location.of(file), "point manifest lacks '" + key + "'",
                        "point.json needs kind, case, vms, status (and reason when status is not done)");
            }
        }
        PointManifest manifest = new PointManifest(m.get("kind").asText(), m.get("case").asText(), m.get("vms").asInt(),
                m.get("status").asText(), m.path("reason").asText(""));
        Map<String, FioRun> runs = new TreeMap<>();
        Map<String, String> unreadable = new TreeMap<>();
        Path fio = p.resolve(FIO);
        if (Files.isDirectory(fio)) {
            for (Path f : list(fio)) {
                String n = f.getFileName().toString();
                if (n.endsWith(".json")) {
                    String vm = n.substring(0, n.length() - 5);
                    try {
                        runs.put(vm, parser.parse(f));
                    } catch (HyperformException e) {
                        unreadable.put(vm, e.getMessage());
                    }
                }
            }
        }
        return PointResults.of(p, manifest, runs, unreadable);
    }

    private static JsonNode json(Path f) {
        try {
            return JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new HyperformException(Failure.INVALID_INPUT, Location.of(f), "not JSON: " + e.getMessage(),
                    "the benchmark writes this file as JSON; fix or remove it");
        }
    }

    private static List<Path> list(Path d) {
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
