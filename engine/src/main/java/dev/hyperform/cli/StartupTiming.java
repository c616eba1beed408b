package dev.hyperform.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code HYPERFORM_TIMING=1}: where a run's first moments go, as milliseconds since the launcher started (it
 * passes {@code -Dhyperform.t0=EPOCH.MICROS}; without it, since this class loaded), on stderr
 * ({@code timing PHASE MS}). Off by default; costs nothing then.
 */
final class StartupTiming {
    private static final boolean ON = System.getenv("HYPERFORM_TIMING") != null;
    private static final Instant START = ON ? start() : null;

    private StartupTiming() {
    }

    /** A sink that marks the first task result of the run (the first round trips to the hosts are done). */
    static dev.hyperform.output.EventSink firstResult() {
        boolean[] seen = {false};
        return e -> {
            if (!seen[0] && e instanceof dev.hyperform.output.Event.HostResult) {
                seen[0] = true;
                mark("first-result");
            }
        };
    }

    private static Instant start() {
        String t0 = System.getProperty("hyperform.t0", "");
        if (t0.matches("[0-9]+\\.[0-9]{6}")) {
            String[] p = t0.split("\\.");
            return Instant.ofEpochSecond(Long.parseLong(p[0]), Long.parseLong(p[1]) * 1000);
        }
        return Instant.now();
    }

    static void mark(String phase) {
        if (ON) {
            PrintStream err = System.err;
            err.println("timing " + phase + " " + Duration.between(START, Instant.now()).toMillis());
        }
    }
}
