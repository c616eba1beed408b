package dev.hyperform.run;

import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.transport.Become;
import dev.hyperform.vars.Expressions;
import dev.hyperform.vars.Origin;
import dev.hyperform.vars.Secret;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Turns inherited keyword values (which may be expressions) into the booleans, numbers and settings a task uses. */
final class Options {
    private Options() {
    }

    /** The first non-null value, read as a boolean ({@code true/yes/on/1}). */
    static boolean truthy(Object... values) {
        for (Object v : values) {
            if (v != null) {
                return bool(v);
            }
        }
        return false;
    }

    static boolean bool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        return switch (String.valueOf(v).trim().toLowerCase()) {
            case "true", "yes", "on", "1", "y" -> true;
            default -> false;
        };
    }

    static boolean resolveBool(Object v, boolean fallback, Expressions ex, Map<String, Object> scope, Origin origin) {
        if (v == null) {
            return fallback;
        }
        Object r = ex.interpolate(v, scope, origin);
        return bool(r);
    }

    static boolean checkMode(Inherited inh, RunOptions options, Expressions ex, Map<String, Object> scope, Origin o) {
        return resolveBool(inh.checkMode(), options.check(), ex, scope, o);
    }

    static boolean diffMode(Inherited inh, RunOptions options, Expressions ex, Map<String, Object> scope, Origin o) {
        return resolveBool(inh.diff(), options.diff(), ex, scope, o);
    }

    /**
     * Become for a task. As in ansible-core, a variable beats the keyword it stands for: the host's (or any scope's)
     * {@code ansible_become*} / {@code hyperform_become*} variables first, then the keywords {@code become},
     * {@code become_user}, {@code become_method}; the password only ever as a {@link Secret}.
     */
    static Become become(Inherited inh, Expressions ex, Map<String, Object> scope, Origin origin) {
        Optional<Object> enabledVar = firstVar(scope, "hyperform_become", "ansible_become");
        boolean enabled = enabledVar.isPresent() ? bool(enabledVar.get())
                : inh.become() != null && resolveBool(inh.become(), false, ex, scope, origin);
        if (!enabled) {
            return Become.NONE;
        }
        String user = firstVar(scope, "hyperform_become_user", "ansible_become_user").map(String::valueOf)
                .orElseGet(() -> inh.becomeUser() != null ? String.valueOf(ex.interpolate(inh.becomeUser(), scope, origin)) : "root");
        String method = firstVar(scope, "hyperform_become_method", "ansible_become_method").map(String::valueOf)
                .orElseGet(() -> inh.becomeMethod() != null ? String.valueOf(ex.interpolate(inh.becomeMethod(), scope, origin)) : "sudo");
        if (!method.equals("sudo") && !method.equals("su")) {
            throw new HyperformException(Failure.INVALID_INPUT, origin.location(), "become_method '" + method
                    + "' is not supported", "use sudo or su");
        }
        Optional<Secret> password = firstVar(scope, "hyperform_become_password", "ansible_become_password",
                "ansible_become_pass").map(p -> p instanceof Secret s ? s : new Secret(String.valueOf(p)));
        return new Become(true, method, user, password);
    }

    private static Optional<Object> firstVar(Map<String, Object> scope, String... names) {
        for (String n : names) {
            Object v = scope.get(n);
            if (v != null) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    static Map<String, String> environment(Inherited inh, Expressions ex, Map<String, Object> scope, Origin origin) {
        if (inh.environment().isEmpty()) {
            return Map.of();
        }
        Object r = ex.interpolate(inh.environment(), scope, origin);
        Map<String, String> env = new LinkedHashMap<>();
        if (r instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(String.valueOf(k), v instanceof Secret s ? s.reveal() : String.valueOf(v)));
        }
        return env;
    }

    static Duration timeout(Inherited inh, Expressions ex, Map<String, Object> scope, Origin origin) {
        if (inh.timeout() == null) {
            return Duration.ZERO;
        }
        Object r = ex.interpolate(inh.timeout(), scope, origin);
        try {
            return Duration.ofSeconds(Long.parseLong(String.valueOf(r).trim()));
        } catch (NumberFormatException e) {
            throw new HyperformException(Failure.INVALID_INPUT, origin.location(), "timeout must be a number of seconds, got '" + r + "'",
                    "write timeout: 30");
        }
    }
}
