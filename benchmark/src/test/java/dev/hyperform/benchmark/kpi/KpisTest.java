package dev.hyperform.benchmark.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.hyperform.benchmark.fio.FioJob;
import dev.hyperform.benchmark.fio.FioRun;
import dev.hyperform.benchmark.fio.Latency;
import dev.hyperform.benchmark.results.PointManifest;
import dev.hyperform.benchmark.results.PointResults;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class KpisTest {

    /** A VM's run: one job with the given IOPS, bandwidth and p50/p99 (ms); error != 0 makes it fail. */
    static FioRun vm(double iops, double bw, double p50Ms, double p99Ms, int error) {
        return new FioRun("fio-3.33", List.of(new FioJob("job", 0, error, error == 0 ? "" : "error " + error + ": Input/output error",
                iops, bw, 1000, new Latency(p50Ms * 1e6, p99Ms * 1e6, p99Ms * 2e6))));
    }

    static PointResults point(String kind, String caseName, int vms, String status, String reason, FioRun... runs) {
        Map<String, FioRun> m = new LinkedHashMap<>();
        for (int i = 0; i < runs.length; i++) {
            m.put("vm-" + (i + 1), runs[i]);
        }
        return PointResults.of(Path.of("p"), new PointManifest(kind, caseName, vms, status, reason), m, Map.of());
    }

    static Stream<Arguments> points() {
        return Stream.of(
                // point, expected failure (null = ok), sum, min, median, max, median p50 ms, worst p99 ms
                Arguments.of(point("virtio", "randread-4k", 3, "done", "", vm(100, 9, 1, 4, 0), vm(300, 9, 2, 5, 0), vm(200, 9, 3, 6, 0)),
                        null, 600.0, 100.0, 200.0, 300.0, 2.0, 6.0),
                Arguments.of(point("spdk", "seqread-1m", 2, "done", "", vm(7, 1000, 1, 2, 0), vm(7, 3000, 3, 8, 0)),
                        null, 4000.0, 1000.0, 2000.0, 3000.0, 2.0, 8.0),
                Arguments.of(point("spdk", "randread-4k", 3, "failed", "vm-2 not ready after 600 s", vm(100, 9, 1, 4, 0)),
                        "vm-2 not ready after 600 s", null, null, null, null, null, null),
                Arguments.of(point("spdk", "randread-4k", 2, "done", "", vm(100, 9, 1, 4, 0), vm(0, 0, 0, 0, 5)),
                        "vm-2: fio job 'job' failed: error 5: Input/output error", null, null, null, null, null, null),
                Arguments.of(point("virtio", "randread-4k", 3, "done", "", vm(100, 9, 1, 4, 0), vm(100, 9, 1, 4, 0)),
                        "fio output from 2 of 3 VMs", null, null, null, null, null, null),
                Arguments.of(point("virtio", "randread-4k", 3, "running", "", vm(100, 9, 1, 4, 0)),
                        "point did not finish (status running)", null, null, null, null, null, null));
    }

    @ParameterizedTest
    @MethodSource("points")
    void pointKpi(PointResults point, String failure, Double sum, Double min, Double median, Double max, Double p50Ms, Double p99Ms) {
        PointKpi k = new Kpis().of(point);
        assertEquals(failure, k.failure());
        if (failure != null) {
            assertNull(k.sum(), "a failed point has no figure, never 0");
            return;
        }
        assertEquals(sum, k.sum(), 1e-9);
        assertEquals(new Spread(min, median, max), k.spread());
        assertEquals(p50Ms, k.latency().p50Ns() / 1e6, 1e-9);
        assertEquals(p99Ms, k.latency().p99Ns() / 1e6, 1e-9);
    }

    static PointKpi kpi(String kind, int vms, Double sum, String failure) {
        return new PointKpi(kind, "randread-4k", vms, Metric.IOPS, failure, sum, null, null);
    }

    static Stream<Arguments> pairs() {
        return Stream.of(
                Arguments.of(List.of(kpi("virtio", 3, 600.0, null), kpi("spdk", 3, 1500.0, null)), 2.5, null),
                Arguments.of(List.of(kpi("spdk", 6, 300.0, null), kpi("virtio", 6, 600.0, null)), 0.5, null),
                Arguments.of(List.of(kpi("virtio", 9, 600.0, null), kpi("spdk", 9, null, "vm-3: not ready")), null, "spdk failed: vm-3: not ready"),
                Arguments.of(List.of(kpi("virtio", 9, null, "boom"), kpi("spdk", 9, 5.0, null)), null, "virtio failed: boom"),
                Arguments.of(List.of(kpi("virtio", 12, 600.0, null)), null, "no spdk point"));
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void normalisedIsSpdkOverVirtioAtTheSameCount(List<PointKpi> points, Double ratio, String failure) {
        List<Normalised> n = new Normalisation().of(points, "randread-4k");
        assertEquals(1, n.size());
        assertEquals(failure, n.get(0).failure());
        if (ratio == null) {
            assertNull(n.get(0).ratio());
        } else {
            assertEquals(ratio, n.get(0).ratio(), 1e-12);
        }
    }
}
