package dev.hyperform.benchmark.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;

/** A benchmark results folder as read: its name, environment facts (environment.json) and its points. */
public record BenchmarkRun(Path dir, String name, JsonNode environment, List<PointResults> points) {
    public BenchmarkRun {
        points = List.copyOf(points);
    }
}
