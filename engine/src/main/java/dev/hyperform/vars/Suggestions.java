package dev.hyperform.vars;

import dev.hyperform.module.EditDistance;
import java.util.Collection;

/** The hint of an undefined-variable error: a close name from the scope, and how to give a default. */
final class Suggestions {
    private Suggestions() {
    }

    static String hint(String expression, Collection<String> names) {
        String head = expression.split("[.\\[?!(]", 2)[0].strip();
        StringBuilder s = new StringBuilder();
        EditDistance.closest(head, names).filter(best -> !best.equals(head))
                .ifPresent(best -> s.append("did you mean '").append(best).append("'? "));
        s.append("define it (vars, group_vars, host_vars, -e ").append(head).append("=...) or give a default: ${")
                .append(expression).append("!'value'}");
        return s.toString();
    }
}
