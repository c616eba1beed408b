package dev.hyperform.transport.session;

/** A command outlived its time limit; {@code pid} is its process (session) on the target, or -1 if unknown. */
public final class SessionTimeoutException extends RuntimeException {
    private final long pid;

    public SessionTimeoutException(long pid) {
        super("time limit reached");
        this.pid = pid;
    }

    public long pid() {
        return pid;
    }
}
