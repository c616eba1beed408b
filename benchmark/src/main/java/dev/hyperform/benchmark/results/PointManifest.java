package dev.hyperform.benchmark.results;

/**
 * A benchmark point's {@code point.json}: disk kind ({@code virtio}, {@code spdk}), case ({@code randread-4k} ...),
 * VM count, status ({@code done}, {@code failed}, or anything else for a point that did not finish) and the reason
 * when it is not done (e.g. "vm-4 not ready after 600 s").
 */
public record PointManifest(String kind, String caseName, int vms, String status, String reason) {
    public static final String DONE = "done";

    public boolean done() {
        return DONE.equals(status);
    }
}
