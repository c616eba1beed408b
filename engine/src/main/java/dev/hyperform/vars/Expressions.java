package dev.hyperform.vars;

import java.nio.file.Path;
import java.util.Map;

/**
 * CONTRACT (implemented by the expressions work): FreeMarker is hyperform's one expression language.
 * Thread-safe; one instance per run. Undefined variables are errors naming the variable and the origin.
 */
public final class Expressions {

    /**
     * Interpolate {@code ${...}} in every string inside {@code value} (maps and lists deeply). A string that is
     * exactly one {@code ${expr}} keeps the expression's type (list, map, number, boolean); others become text.
     *
     * @throws UndefinedVariableException naming the variable, host, task, file and line
     */
    public Object interpolate(Object value, Map<String, Object> scope, Origin origin) {
        throw new UnsupportedOperationException("expressions: not built yet");
    }

    /** Evaluate a FreeMarker boolean expression ({@code when}, {@code changed_when}, {@code until}, {@code that}). */
    public boolean test(String condition, Map<String, Object> scope, Origin origin) {
        throw new UnsupportedOperationException("expressions: not built yet");
    }

    /** Evaluate a FreeMarker expression (without {@code ${}}) to a Java value. */
    public Object evaluate(String expression, Map<String, Object> scope, Origin origin) {
        throw new UnsupportedOperationException("expressions: not built yet");
    }

    /** Render a {@code .ftl} file with the whole scope; errors name the template file and line. */
    public String renderTemplate(Path template, Map<String, Object> scope, Origin origin) {
        throw new UnsupportedOperationException("expressions: not built yet");
    }
}
