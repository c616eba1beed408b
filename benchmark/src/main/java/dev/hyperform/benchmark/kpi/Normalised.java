package dev.hyperform.benchmark.kpi;

/**
 * SPDK's cluster sum over VirtIO's at the same case and VM count (VirtIO = 1.0). {@code failure} says why there is
 * no ratio (a failed or missing point); {@code ratio} is null then.
 */
public record Normalised(String caseName, int vms, PointKpi virtio, PointKpi spdk, Double ratio, String failure) {
}
