package dev.hyperform.benchmark.fio;

import java.util.List;
import java.util.Optional;

/** One fio run's JSON document (one guest's output for one benchmark point). */
public record FioRun(String fioVersion, List<FioJob> jobs) {

    public FioRun {
        jobs = List.copyOf(jobs);
    }

    /** Why this run does not count, or empty: a job that errored, or no job at all. */
    public Optional<String> failure() {
        if (jobs.isEmpty()) {
            return Optional.of("fio reported no jobs");
        }
        return jobs.stream().filter(FioJob::failed).findFirst()
                .map(j -> "fio job '" + j.name() + "' failed: " + j.reason());
    }

    public double iops() {
        return jobs.stream().mapToDouble(FioJob::iops).sum();
    }

    public double bandwidthBytesPerSec() {
        return jobs.stream().mapToDouble(FioJob::bandwidthBytesPerSec).sum();
    }

    /**
     * The run's latency: p50 is the I/O-weighted mean of the jobs' medians, p99 and p99.9 the worst job's (fio's
     * percentiles of separate jobs cannot be merged exactly without their histograms; worst is the safe side).
     * With group_reporting and one job per guest, as the benchmark runs fio, it is fio's own figure.
     */
    public Optional<Latency> latency() {
        List<FioJob> measured = jobs.stream().filter(j -> j.latency() != null).toList();
        if (measured.isEmpty()) {
            return Optional.empty();
        }
        long ios = measured.stream().mapToLong(FioJob::ios).sum();
        double p50 = ios == 0 ? measured.get(0).latency().p50Ns()
                : measured.stream().mapToDouble(j -> j.latency().p50Ns() * j.ios()).sum() / ios;
        double p99 = measured.stream().mapToDouble(j -> j.latency().p99Ns()).max().orElseThrow();
        double p999 = measured.stream().mapToDouble(j -> j.latency().p999Ns()).max().orElseThrow();
        return Optional.of(new Latency(p50, p99, p999));
    }
}
