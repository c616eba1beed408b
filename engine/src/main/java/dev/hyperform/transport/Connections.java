package dev.hyperform.transport;

import dev.hyperform.inventory.Host;

/**
 * CONTRACT (implemented by the SSH work): the run's connection pool. One transport per host, opened on first
 * use (SSH through sshj, or local through commons-exec for {@code connection: local} and the implicit
 * {@code localhost}), reused by every task, closed by {@link #close()}. Thread-safe.
 */
public final class Connections implements AutoCloseable {

    public Connections(ConnectionSettings settings) {
    }

    /** The transport for a host; opens it on first use (may throw {@link HostUnreachableException}). */
    public Transport get(Host host) {
        throw new UnsupportedOperationException("transport: not built yet");
    }

    /** How many connections were opened during the run (for tests and the bench harness). */
    public int opened() {
        throw new UnsupportedOperationException("transport: not built yet");
    }

    @Override
    public void close() {
    }
}
