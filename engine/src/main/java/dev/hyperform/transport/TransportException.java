package dev.hyperform.transport;

import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.error.Location;

/** A command could not be run on a host (timeout, become refused, channel error). */
public class TransportException extends HyperformException {
    private final String host;

    public TransportException(Failure kind, String host, String message, String hint, Throwable cause) {
        super(kind, Location.UNKNOWN, host + ": " + message, hint, cause);
        this.host = host;
    }

    public TransportException(String host, String message, String hint, Throwable cause) {
        this(Failure.TASK_FAILED, host, message, hint, cause);
    }

    public String host() {
        return host;
    }
}
