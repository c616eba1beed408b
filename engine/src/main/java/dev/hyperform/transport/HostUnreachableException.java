package dev.hyperform.transport;

import dev.hyperform.error.Failure;

/** The host could not be reached: the runner marks it {@code unreachable} and takes it out of the play. */
public final class HostUnreachableException extends TransportException {
    public HostUnreachableException(String host, String message, String hint, Throwable cause) {
        super(Failure.UNREACHABLE, host, message, hint, cause);
    }
}
