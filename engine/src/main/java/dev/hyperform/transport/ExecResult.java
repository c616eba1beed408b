package dev.hyperform.transport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** What one command did: exit code, raw stdout and stderr, and how long it took. */
public record ExecResult(int exitCode, byte[] stdout, byte[] stderr, Duration elapsed) {

    public boolean ok() {
        return exitCode == 0;
    }

    public String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String err() {
        return new String(stderr, StandardCharsets.UTF_8);
    }
}
