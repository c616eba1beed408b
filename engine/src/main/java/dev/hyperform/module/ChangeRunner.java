package dev.hyperform.module;

import dev.hyperform.transport.ExecResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs the operations of a {@link Change} (shell commands and API calls) in order and turns what they did into a {@link ModuleResult}: the
 * default of {@link Module#apply}. It stops at the first command that exits non-zero; the failure names the
 * command, its exit code and its stderr. Registered values are the change's own plus the last command's
 * {@code rc}, {@code stdout}, {@code stderr}, {@code stdout_lines} and {@code stderr_lines}.
 */
public final class ChangeRunner {
    private ChangeRunner() {
    }

    public static ModuleResult run(Change change, Function<Operation, ExecResult> executor) {
        Map<String, Object> values = new LinkedHashMap<>(change.values());
        if (change.isNone()) {
            return ModuleResult.ok(change.summary(), values);
        }
        List<ModuleResult.Ran> ran = new ArrayList<>();
        for (Operation command : change.operations()) {
            ExecResult r = executor.apply(command);
            ran.add(new ModuleResult.Ran(command, r));
            putOutput(values, r);
            if (!r.ok()) {
                String err = r.err().strip();
                String firstErr = err.isEmpty() ? "" : ": " + (command instanceof ApiCall ? err
                        : err.lines().reduce((a, b) -> b).orElse(""));
                String how = command instanceof ApiCall ? " failed" : " failed with exit code " + r.exitCode();
                return ModuleResult.failed("'" + command.display() + "'" + how + firstErr,
                        values, ran);
            }
        }
        return ModuleResult.changed(change.summary(), values, ran);
    }

    /** Put a command's rc/stdout/stderr (and their _lines forms) into registered values. */
    public static void putOutput(Map<String, Object> values, ExecResult r) {
        String out = stripFinalNewline(r.out());
        String err = stripFinalNewline(r.err());
        values.put("rc", r.exitCode());
        values.put("stdout", out);
        values.put("stderr", err);
        values.put("stdout_lines", out.isEmpty() ? List.of() : List.of(out.split("\n", -1)));
        values.put("stderr_lines", err.isEmpty() ? List.of() : List.of(err.split("\n", -1)));
    }

    private static String stripFinalNewline(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
