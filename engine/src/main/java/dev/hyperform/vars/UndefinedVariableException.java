package dev.hyperform.vars;

import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.error.Location;

/** An expression used a variable nobody defined. Names the variable, the host, the task and the place. */
public final class UndefinedVariableException extends HyperformException {
    private final String variable;

    public UndefinedVariableException(String variable, Origin origin, String hint) {
        super(Failure.INVALID_INPUT, origin == null ? Location.UNKNOWN : origin.location(),
                "undefined variable '" + variable + "'" + describe(origin), hint);
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }

    private static String describe(Origin o) {
        if (o == null) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        if (o.task() != null) {
            s.append(" in task '").append(o.task()).append('\'');
        }
        if (o.host() != null) {
            s.append(" on host ").append(o.host());
        }
        return s.toString();
    }
}
