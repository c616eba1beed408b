package dev.hyperform.benchmark.kpi;

import dev.hyperform.benchmark.fio.Latency;
import java.util.Optional;

/**
 * A benchmark point's figures (disk kind x case x VM count). A failed point has a reason and no figures (never 0):
 * {@code sum}, {@code spread} and {@code latency} are null then. Latency: the median VM's p50, the worst VM's p99
 * and p99.9.
 */
public record PointKpi(String kind, String caseName, int vms, Metric metric, String failure, Double sum, Spread spread,
                       Latency latency) {

    public boolean failed() {
        return failure != null;
    }

    public Optional<Latency> latencyIfAny() {
        return Optional.ofNullable(latency);
    }
}
