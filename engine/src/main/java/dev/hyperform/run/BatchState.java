package dev.hyperform.run;

import java.util.List;

/**
 * One serial batch of a play: its hosts, the failure budget, and whether the play has been stopped
 * ({@code any_errors_fatal}, {@code max_fail_percentage} exceeded, {@code meta: end_play}).
 */
final class BatchState {
    final List<HostState> hosts;
    final Double maxFailPercentage;
    volatile boolean stopped;
    volatile String stopReason;

    BatchState(List<HostState> hosts, Double maxFailPercentage) {
        this.hosts = hosts;
        this.maxFailPercentage = maxFailPercentage;
    }

    void stop(String reason) {
        if (!stopped) {
            stopped = true;
            stopReason = reason;
        }
    }

    int failedCount() {
        return (int) hosts.stream().filter(h -> h.failed || h.unreachable).count();
    }
}
