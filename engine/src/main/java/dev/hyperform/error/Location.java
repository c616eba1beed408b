package dev.hyperform.error;

import java.nio.file.Path;

/**
 * A place in a user's file: what every error message points at.
 * Lines and columns count from 1; 0 means "unknown".
 */
public record Location(Path file, int line, int column) {

    public static final Location UNKNOWN = new Location(null, 0, 0);

    public static Location of(Path file, int line, int column) {
        return new Location(file, line, column);
    }

    public static Location of(Path file) {
        return new Location(file, 0, 0);
    }

    public boolean isKnown() {
        return file != null;
    }

    /** {@code file:line:column}, shortened to what is known. */
    @Override
    public String toString() {
        if (file == null) {
            return "<unknown>";
        }
        StringBuilder s = new StringBuilder(file.toString());
        if (line > 0) {
            s.append(':').append(line);
            if (column > 0) {
                s.append(':').append(column);
            }
        }
        return s.toString();
    }
}
