package dev.hyperform.benchmark.report;

import dev.hyperform.benchmark.kpi.Metric;
import dev.hyperform.benchmark.kpi.Normalisation;
import dev.hyperform.benchmark.kpi.Normalised;
import dev.hyperform.benchmark.kpi.PointKpi;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** The report's charts for one run and case, drawn by JFreeChart. Failed points have no bar and "failed" in their label. */
public final class Charts {
    static final Color VIRTIO = new Color(0x8c, 0x8c, 0x8c);
    static final Color SPDK = new Color(0x1f, 0x77, 0xb4);

    /** Figures 6/7 of the article: per VM count, VirtIO = 1.0 and SPDK-vhost's sum relative to it. */
    public JFreeChart normalised(String title, List<Normalised> points) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (Normalised n : points) {
            String c = label(n.vms(), n.failure() != null);
            d.addValue(n.failure() == null ? 1.0 : null, "VirtIO", c);
            d.addValue(n.ratio(), "SPDK-vhost", c);
        }
        return bars(title, "normalised (VirtIO = 1.0)", d, "0.00");
    }

    /** The cluster sums (IOPS or MiB/s) of both kinds per VM count. */
    public JFreeChart absolute(String title, Metric metric, List<PointKpi> points) {
        points = virtioFirst(points);
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (PointKpi p : points) {
            d.addValue(p.failed() ? null : metric.display(p.sum()), kindLabel(p.kind()), label(p.vms(), anyFailed(points, p.vms())));
        }
        return bars(title, "cluster sum (" + metric.unit() + ")", d, "0");
    }

    /** Per-VM min, median and max of each kind per VM count (how evenly the cluster serves its VMs). */
    public JFreeChart spread(String title, Metric metric, List<PointKpi> points) {
        points = virtioFirst(points);
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (PointKpi p : points) {
            String c = label(p.vms(), anyFailed(points, p.vms()));
            String k = kindLabel(p.kind());
            d.addValue(p.failed() ? null : metric.display(p.spread().max()), k + " max", c);
            d.addValue(p.failed() ? null : metric.display(p.spread().median()), k + " median", c);
            d.addValue(p.failed() ? null : metric.display(p.spread().min()), k + " min", c);
        }
        return lines(title, "per VM (" + metric.unit() + ")", d);
    }

    /** Completion latency per VM count: the median VM's p50 and the worst VM's p99, in milliseconds. */
    public JFreeChart latency(String title, List<PointKpi> points) {
        points = virtioFirst(points);
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (PointKpi p : points) {
            String c = label(p.vms(), anyFailed(points, p.vms()));
            String k = kindLabel(p.kind());
            d.addValue(p.latency() == null ? null : p.latency().p99Ns() / 1e6, k + " p99", c);
            d.addValue(p.latency() == null ? null : p.latency().p50Ns() / 1e6, k + " p50", c);
        }
        return lines(title, "completion latency (ms)", d);
    }

    /** VirtIO's series first (the reference), whatever order the points come in. */
    private static List<PointKpi> virtioFirst(List<PointKpi> points) {
        return points.stream().sorted(java.util.Comparator.comparing(p -> !p.kind().equals(Normalisation.VIRTIO))).toList();
    }

    static String kindLabel(String kind) {
        return switch (kind) {
            case Normalisation.SPDK -> "SPDK-vhost";
            case Normalisation.VIRTIO -> "VirtIO";
            default -> kind;
        };
    }

    private static String label(int vms, boolean failed) {
        return vms + (failed ? " (failed)" : "");
    }

    private static boolean anyFailed(List<PointKpi> points, int vms) {
        return points.stream().anyMatch(p -> p.vms() == vms && p.failed());
    }

    /** White background, light grid lines: readable printed and on screen. */
    private static CategoryPlot white(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    private static JFreeChart bars(String title, String axis, DefaultCategoryDataset d, String decimalFormat) {
        JFreeChart chart = ChartFactory.createBarChart(title, "VMs", axis, d, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = white(chart);
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        for (int i = 0; i < d.getRowCount(); i++) {
            r.setSeriesPaint(i, d.getRowKey(i).toString().startsWith("SPDK") ? SPDK : VIRTIO);
        }
        r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new java.text.DecimalFormat(decimalFormat)));
        r.setDefaultItemLabelsVisible(true);
        return chart;
    }

    private static JFreeChart lines(String title, String axis, DefaultCategoryDataset d) {
        JFreeChart chart = ChartFactory.createLineChart(title, "VMs", axis, d, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = white(chart);
        LineAndShapeRenderer r = (LineAndShapeRenderer) plot.getRenderer();
        r.setDefaultShapesVisible(true);
        for (int i = 0; i < d.getRowCount(); i++) {
            String s = d.getRowKey(i).toString();
            r.setSeriesPaint(i, s.startsWith("SPDK") ? SPDK : VIRTIO);
            boolean main = s.endsWith("median") || s.endsWith("p50");
            r.setSeriesStroke(i, main ? new BasicStroke(2.5f)
                    : new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        }
        return chart;
    }
}
