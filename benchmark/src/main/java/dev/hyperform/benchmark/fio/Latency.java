package dev.hyperform.benchmark.fio;

/** Completion-latency percentiles in nanoseconds, as fio measured them (p50, p99, p99.9). */
public record Latency(double p50Ns, double p99Ns, double p999Ns) {
}
