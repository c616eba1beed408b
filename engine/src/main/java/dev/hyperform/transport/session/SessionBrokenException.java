package dev.hyperform.transport.session;

/**
 * The shell session cannot carry a command (the shell ended, a frame was lost). {@code started} tells whether the
 * command had begun on the target: one that had not is safe to send again on a new session.
 */
public final class SessionBrokenException extends RuntimeException {
    private final boolean started;

    public SessionBrokenException(boolean started, String reason) {
        this(started, reason, null);
    }

    /** {@code cause}: the I/O failure that ended the session, if one did (the owner tells a lost connection by it). */
    public SessionBrokenException(boolean started, String reason, Throwable cause) {
        super(reason, cause);
        this.started = started;
    }

    public boolean started() {
        return started;
    }
}
