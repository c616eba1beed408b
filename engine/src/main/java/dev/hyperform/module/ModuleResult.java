package dev.hyperform.module;

import dev.hyperform.transport.ExecResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one module on one host: changed or not, failed or not, a message, the values registered for
 * {@code register} (rc, stdout, stderr ... plus module-specific ones), and every command that ran.
 */
public record ModuleResult(boolean changed, boolean failed, String message, Map<String, Object> values,
                           List<Ran> ran) {

    /** One executed operation (shell command or API call) and what it did. */
    public record Ran(Operation command, ExecResult result) {
    }

    public ModuleResult {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        ran = List.copyOf(ran);
    }

    public static ModuleResult ok(String message, Map<String, Object> values) {
        return new ModuleResult(false, false, message, values, List.of());
    }

    public static ModuleResult changed(String message, Map<String, Object> values, List<Ran> ran) {
        return new ModuleResult(true, false, message, values, ran);
    }

    public static ModuleResult failed(String message, Map<String, Object> values, List<Ran> ran) {
        return new ModuleResult(false, true, message, values, ran);
    }
}
