package dev.hyperform.transport;

/**
 * How commands reach one host: over one persistent SSH connection, or on the controller itself. A transport is
 * opened once per host per run and reused by every task; it is safe to call from one worker thread at a time.
 * File transfer is a command with stdin (for example {@code cat > tmp}), so every module needs only {@link #exec}.
 */
public interface Transport extends AutoCloseable {

    /** The inventory name of the host this transport reaches. */
    String host();

    /**
     * Run one command and wait for it. A non-zero exit code is a result, not an exception.
     *
     * @throws HostUnreachableException when the host cannot be reached (connect failure, dropped connection that
     *                                  could not be re-opened)
     * @throws TransportException       for any other failure to run the command (timeout, become refused)
     */
    ExecResult exec(ExecRequest request);

    /**
     * Reach {@code address:port} as seen from this host from the controller: a local loopback port forwarded over
     * this host's connection (SSH), or the address itself (local). The forward lives until it is closed.
     *
     * @throws HostUnreachableException when the host cannot be reached
     */
    default PortForward forward(String address, int port) {
        return PortForward.direct(address, port);
    }

    /**
     * End the command running now on the target (Ctrl-C), from another thread than the one waiting for it; the
     * waiting {@link #exec} then returns the command's result (ended by a signal). Nothing running: nothing to do.
     */
    default void stopRunning() {
    }

    /**
     * Wait, at most {@code max}, until the ends on the target that {@link #stopRunning} started are done; whether
     * they are. Closing the connection before would cut them short.
     */
    default boolean awaitStops(java.time.Duration max) {
        return true;
    }

    /**
     * Open the connection (and its shell session) ahead of the first command, from start-up, on a thread of its own;
     * a failure is kept and reported by the first command. Connections that open on first use need nothing here.
     */
    default void open() {
    }

    /** Close the connection; a later {@link #exec} may open it again. */
    @Override
    void close();

    /**
     * {@code meta: reset_connection}: close the connection so that the next command logs in anew (a connection kept
     * beyond the run, such as OpenSSH's master, ends too).
     */
    default void reset() {
        close();
    }
}
