package dev.hyperform.benchmark.kpi;

/** What a case is judged by: IOPS for random cases, bandwidth (bytes/s) for sequential ones. */
public enum Metric {
    IOPS("IOPS", "IOPS"), BANDWIDTH("bandwidth", "MiB/s");

    private final String label;
    private final String unit;

    Metric(String label, String unit) {
        this.label = label;
        this.unit = unit;
    }

    /** {@code rand*} cases (randread-4k, randwrite-4k) are random; the others sequential. */
    public static Metric forCase(String caseName) {
        return caseName.startsWith("rand") ? IOPS : BANDWIDTH;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    /** The value shown in reports and charts: IOPS as is, bandwidth in MiB/s. */
    public double display(double raw) {
        return this == IOPS ? raw : raw / (1024 * 1024);
    }

    public String format(double raw) {
        return this == IOPS ? String.format(java.util.Locale.ROOT, "%.0f", raw)
                : String.format(java.util.Locale.ROOT, "%.1f", display(raw));
    }
}
