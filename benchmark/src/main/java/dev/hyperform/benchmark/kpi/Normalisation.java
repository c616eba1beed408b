package dev.hyperform.benchmark.kpi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Pairs each case and VM count's SPDK point with its VirtIO point: normalised value = SPDK sum / VirtIO sum. */
public final class Normalisation {
    public static final String VIRTIO = "virtio";
    public static final String SPDK = "spdk";

    public List<Normalised> of(List<PointKpi> points, String caseName) {
        List<Normalised> out = new ArrayList<>();
        TreeSet<Integer> counts = new TreeSet<>();
        points.stream().filter(p -> p.caseName().equals(caseName)).forEach(p -> counts.add(p.vms()));
        for (int vms : counts) {
            PointKpi v = find(points, VIRTIO, caseName, vms).orElse(null);
            PointKpi s = find(points, SPDK, caseName, vms).orElse(null);
            String failure = v == null ? "no virtio point" : s == null ? "no spdk point"
                    : v.failed() ? "virtio failed: " + v.failure() : s.failed() ? "spdk failed: " + s.failure()
                    : v.sum() == 0 ? "virtio sum is 0" : null;
            out.add(new Normalised(caseName, vms, v, s, failure == null ? s.sum() / v.sum() : null, failure));
        }
        return out;
    }

    /** The cases in the order they first appear. */
    public List<String> cases(List<PointKpi> points) {
        return points.stream().map(PointKpi::caseName).distinct().toList();
    }

    private static Optional<PointKpi> find(List<PointKpi> points, String kind, String caseName, int vms) {
        return points.stream().filter(p -> p.kind().equals(kind) && p.caseName().equals(caseName) && p.vms() == vms).findFirst();
    }
}
