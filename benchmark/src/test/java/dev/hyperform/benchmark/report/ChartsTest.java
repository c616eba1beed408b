package dev.hyperform.benchmark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyperform.benchmark.kpi.Metric;
import dev.hyperform.benchmark.kpi.PointKpi;
import dev.hyperform.benchmark.kpi.Spread;
import dev.hyperform.benchmark.fio.Latency;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every chart paints a kind in the same colour and lists VirtIO first, whatever order the points come in. */
final class ChartsTest {
    static final List<PointKpi> SPDK_FIRST = List.of(
            new PointKpi("spdk", "seqread-1m", 2, Metric.BANDWIDTH, null, 4e9, new Spread(1e9, 2e9, 3e9), new Latency(1e6, 2e6, 3e6)),
            new PointKpi("virtio", "seqread-1m", 2, Metric.BANDWIDTH, null, 2e9, new Spread(1e9, 1e9, 1e9), new Latency(1e6, 2e6, 3e6)));

    static Stream<Arguments> charts() {
        Charts c = new Charts();
        return Stream.of(
                Arguments.of("sum", (Function<List<PointKpi>, JFreeChart>) p -> c.absolute("t", Metric.BANDWIDTH, p)),
                Arguments.of("spread", (Function<List<PointKpi>, JFreeChart>) p -> c.spread("t", Metric.BANDWIDTH, p)),
                Arguments.of("latency", (Function<List<PointKpi>, JFreeChart>) p -> c.latency("t", p)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void kindsKeepTheirColourAndOrder(String name, Function<List<PointKpi>, JFreeChart> chart) {
        CategoryPlot plot = chart.apply(SPDK_FIRST).getCategoryPlot();
        var d = plot.getDataset();
        for (int i = 0; i < d.getRowCount(); i++) {
            String key = d.getRowKey(i).toString();
            assertEquals(key.startsWith("SPDK") ? Charts.SPDK : Charts.VIRTIO, plot.getRenderer().getSeriesPaint(i), name + " " + key);
        }
        assertEquals(true, d.getRowKey(0).toString().startsWith("VirtIO"), name + ": VirtIO first");
    }
}
