package dev.hyperform.benchmark.kpi;

import dev.hyperform.benchmark.fio.FioRun;
import dev.hyperform.benchmark.fio.Latency;
import dev.hyperform.benchmark.results.PointManifest;
import dev.hyperform.benchmark.results.PointResults;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Computes a point's KPI from its VMs' fio runs: the cluster sum, the per-VM spread and latency, or why it failed. */
public final class Kpis {

    public PointKpi of(PointResults point) {
        PointManifest m = point.manifest();
        Metric metric = Metric.forCase(m.caseName());
        Optional<String> failure = failure(point);
        if (failure.isPresent()) {
            return new PointKpi(m.kind(), m.caseName(), m.vms(), metric, failure.get(), null, null, null);
        }
        List<Double> values = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        double p99 = 0;
        double p999 = 0;
        boolean latency = true;
        for (FioRun run : point.runs().values()) {
            values.add(metric == Metric.IOPS ? run.iops() : run.bandwidthBytesPerSec());
            Optional<Latency> l = run.latency();
            if (l.isEmpty()) {
                latency = false;
                continue;
            }
            p50.add(l.get().p50Ns());
            p99 = Math.max(p99, l.get().p99Ns());
            p999 = Math.max(p999, l.get().p999Ns());
        }
        double sum = values.stream().mapToDouble(Double::doubleValue).sum();
        Latency lat = latency ? new Latency(Spread.of(p50).median(), p99, p999) : null;
        return new PointKpi(m.kind(), m.caseName(), m.vms(), metric, null, sum, Spread.of(values), lat);
    }

    private static Optional<String> failure(PointResults point) {
        PointManifest m = point.manifest();
        if (!m.done()) {
            return Optional.of(m.reason().isBlank() ? "point did not finish (status " + m.status() + ")" : m.reason());
        }
        for (Map.Entry<String, String> e : point.unreadable().entrySet()) {
            return Optional.of(e.getKey() + ": " + e.getValue());
        }
        for (Map.Entry<String, FioRun> e : point.runs().entrySet()) {
            Optional<String> f = e.getValue().failure();
            if (f.isPresent()) {
                return Optional.of(e.getKey() + ": " + f.get());
            }
        }
        if (point.runs().size() != m.vms()) {
            return Optional.of("fio output from " + point.runs().size() + " of " + m.vms() + " VMs");
        }
        return Optional.empty();
    }
}
