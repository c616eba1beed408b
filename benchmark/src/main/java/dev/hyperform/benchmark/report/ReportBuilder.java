package dev.hyperform.benchmark.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperform.benchmark.kpi.Kpis;
import dev.hyperform.benchmark.kpi.Metric;
import dev.hyperform.benchmark.kpi.Normalisation;
import dev.hyperform.benchmark.kpi.Normalised;
import dev.hyperform.benchmark.kpi.PointKpi;
import dev.hyperform.benchmark.results.BenchmarkRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the report of one run, or of several side by side: per case the normalised figure, the absolute sums, the
 * per-VM spread and latency (tables and charts), then each run's environment. Writes the charts into {@code charts}.
 */
public final class ReportBuilder {
    public static final String CHARTS = "charts";
    private final Kpis kpis = new Kpis();
    private final Normalisation normalisation = new Normalisation();
    private final Charts charts = new Charts();
    private final ChartFiles files = new ChartFiles();

    public List<Block> build(List<BenchmarkRun> runs, Path out) {
        List<Block> doc = new ArrayList<>();
        List<String> names = names(runs);
        doc.add(new Block.Heading(1, "Benchmark: SPDK-vhost vs VirtIO" + (runs.size() > 1 ? " (" + String.join(" | ", names) + ")" : " (" + names.get(0) + ")")));
        doc.add(new Block.Paragraph("Cluster sums are fio's figures summed over every VM of a point (IOPS for random cases, "
                + "MiB/s for sequential ones); normalised = SPDK-vhost sum / VirtIO sum at the same case and VM count. "
                + "A failed point shows FAILED and why, never 0."));
        List<List<PointKpi>> perRun = runs.stream().map(r -> r.points().stream().map(kpis::of).toList()).toList();
        LinkedHashSet<String> cases = new LinkedHashSet<>();
        perRun.forEach(k -> cases.addAll(normalisation.cases(k)));
        Path chartDir = out.resolve(CHARTS);
        for (String c : cases) {
            Metric metric = Metric.forCase(c);
            doc.add(new Block.Heading(2, "Case " + c + " (" + metric.label() + ")"));
            List<String> norm = new ArrayList<>();
            List<String> abs = new ArrayList<>();
            List<String> spread = new ArrayList<>();
            List<String> lat = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                List<PointKpi> points = perRun.get(i).stream().filter(p -> p.caseName().equals(c)).toList();
                List<Normalised> n = normalisation.of(points, c);
                String title = c + (runs.size() > 1 ? " - " + names.get(i) : "");
                String base = (runs.size() > 1 ? "run" + (i + 1) + "-" : "") + c;
                norm.add(CHARTS + "/" + files.write(charts.normalised(title + ": SPDK-vhost / VirtIO", n), chartDir, base + "-normalised"));
                abs.add(CHARTS + "/" + files.write(charts.absolute(title + ": cluster sum", metric, points), chartDir, base + "-sum"));
                spread.add(CHARTS + "/" + files.write(charts.spread(title + ": per-VM spread", metric, points), chartDir, base + "-spread"));
                lat.add(CHARTS + "/" + files.write(charts.latency(title + ": latency", points), chartDir, base + "-latency"));
                doc.add(new Block.Heading(3, runs.size() > 1 ? names.get(i) : "Figures"));
                doc.add(table(metric, n));
            }
            doc.add(new Block.Charts("normalised (VirtIO = 1.0)", norm));
            doc.add(new Block.Charts("cluster sum", abs));
            doc.add(new Block.Charts("per-VM spread (min, median, max)", spread));
            doc.add(new Block.Charts("latency (median VM's p50, worst VM's p99)", lat));
        }
        doc.add(new Block.Heading(2, "Environment"));
        for (int i = 0; i < runs.size(); i++) {
            if (runs.size() > 1) {
                doc.add(new Block.Heading(3, names.get(i)));
            }
            doc.add(environment(runs.get(i).environment()));
        }
        return doc;
    }

    private static Block.Table table(Metric metric, List<Normalised> points) {
        String u = " (" + metric.unit() + ")";
        List<List<String>> rows = new ArrayList<>();
        for (Normalised n : points) {
            rows.add(List.of(String.valueOf(n.vms()), sum(metric, n.virtio()), sum(metric, n.spdk()),
                    n.ratio() == null ? "FAILED: " + n.failure() : String.format(Locale.ROOT, "%.2f", n.ratio()),
                    spread(metric, n.virtio()), spread(metric, n.spdk()), latency(n.virtio()), latency(n.spdk())));
        }
        return new Block.Table(List.of("VMs", "VirtIO sum" + u, "SPDK-vhost sum" + u, "SPDK-vhost / VirtIO",
                "VirtIO per VM min / median / max", "SPDK-vhost per VM min / median / max",
                "VirtIO p50 / p99 / p99.9 (ms)", "SPDK-vhost p50 / p99 / p99.9 (ms)"), rows);
    }

    static String sum(Metric metric, PointKpi p) {
        return p == null ? "-" : p.failed() ? "FAILED: " + p.failure() : metric.format(p.sum());
    }

    private static String spread(Metric metric, PointKpi p) {
        return p == null || p.failed() ? "-" : metric.format(p.spread().min()) + " / " + metric.format(p.spread().median())
                + " / " + metric.format(p.spread().max());
    }

    private static String latency(PointKpi p) {
        return p == null || p.latency() == null ? "-" : String.format(Locale.ROOT, "%.3f / %.3f / %.3f",
                p.latency().p50Ns() / 1e6, p.latency().p99Ns() / 1e6, p.latency().p999Ns() / 1e6);
    }

    private static Block.Table environment(JsonNode env) {
        List<List<String>> rows = new ArrayList<>();
        flatten("", env, rows);
        if (rows.isEmpty()) {
            rows.add(List.of("(none)", "the results folder has no environment.json"));
        }
        return new Block.Table(List.of("fact", "value"), rows);
    }

    private static void flatten(String prefix, JsonNode n, List<List<String>> rows) {
        if (n.isObject()) {
            for (var it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), rows);
            }
        } else if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            n.forEach(x -> parts.add(x.isValueNode() ? x.asText() : x.toString()));
            rows.add(List.of(prefix, String.join(", ", parts)));
        } else {
            rows.add(List.of(prefix, n.asText()));
        }
    }

    private static List<String> names(List<BenchmarkRun> runs) {
        List<String> names = new ArrayList<>();
        for (BenchmarkRun r : runs) {
            names.add(names.contains(r.name()) ? r.name() + " (" + (names.size() + 1) + ")" : r.name());
        }
        return names;
    }
}
