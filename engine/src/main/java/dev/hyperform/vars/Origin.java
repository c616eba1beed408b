package dev.hyperform.vars;

import dev.hyperform.error.Location;

/** Where an expression is evaluated, for error messages: host (or null), task name (or null), file:line. */
public record Origin(String host, String task, Location location) {
    public static Origin at(Location location) {
        return new Origin(null, null, location);
    }
}
