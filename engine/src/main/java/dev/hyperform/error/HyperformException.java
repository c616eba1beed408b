package dev.hyperform.error;

/**
 * Base of every failure hyperform reports to a person. It carries where it happened, what kind of failure it is
 * and, where we know one, what to do about it. {@link #getMessage()} is the complete, printable message.
 */
public class HyperformException extends RuntimeException {
    private final Failure kind;
    private final Location location;
    private final String hint;

    public HyperformException(Failure kind, Location location, String message, String hint, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.location = location == null ? Location.UNKNOWN : location;
        this.hint = hint;
    }

    public HyperformException(Failure kind, Location location, String message, String hint) {
        this(kind, location, message, hint, null);
    }

    public Failure kind() {
        return kind;
    }

    public Location location() {
        return location;
    }

    /** What to do about it, or null. */
    public String hint() {
        return hint;
    }

    /** The bare message, without location and hint. */
    public String detail() {
        return super.getMessage();
    }

    @Override
    public String getMessage() {
        StringBuilder s = new StringBuilder();
        if (location.isKnown()) {
            s.append(location).append(": ");
        }
        s.append(super.getMessage());
        if (hint != null && !hint.isBlank()) {
            s.append("\n  hint: ").append(hint);
        }
        return s.toString();
    }
}
