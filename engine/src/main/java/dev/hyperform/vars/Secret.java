package dev.hyperform.vars;

import java.util.Objects;

/**
 * A value that must never be printed, logged or written to events: a become password, a vault value, anything
 * marked {@code no_log} or named in a play's {@code secrets} list. {@link #toString()} never reveals it.
 */
public record Secret(String value) {
    public static final String MASK = "********";

    public Secret {
        Objects.requireNonNull(value, "value");
    }

    /** The real value; call only where it must reach a process (stdin of sudo, a file's content). */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return MASK;
    }
}
