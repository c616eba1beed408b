package dev.hyperform.transport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns an {@link ExecRequest} into the one shell line a host runs and the bytes for its stdin: working
 * directory, environment, and privilege escalation. A sudo password travels on stdin, never on a command line:
 * stdin is the password line, then a marker line, then the command's own input; the command first reads up to
 * the marker, so its input is exact whether or not sudo asked for the password.
 *
 * <p>A module's script ({@code sh -c SCRIPT sh ARGS...}) that a POSIX shell runs anyway (the session's command shell,
 * or the {@code sh -c} of become and timeout) is run by that shell itself ({@code set -- ARGS; SCRIPT}) instead of by
 * one more {@code sh}: one process less on the target per command, with the same positional parameters, {@code $0}
 * ({@code sh}), exit status and isolation (the enclosing shell exists only for this command).
 */
public record CommandLine(String line, byte[] stdin) {
    static final String MARKER = "HYPERFORM-STDIN-7c1e";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public static CommandLine of(ExecRequest r) {
        return of(r, false);
    }

    /**
     * The line for a POSIX {@code sh} that runs nothing but this command (the shell session's command shell): a
     * module script runs in that shell itself rather than in a further {@code sh -c}.
     */
    public static CommandLine forPosixShell(ExecRequest r) {
        return of(r, true);
    }

    private static CommandLine of(ExecRequest r, boolean posixShell) {
        Become b = r.become();
        // the inner text is run by a POSIX sh of its own whenever it is wrapped (timeout, sudo, su)
        boolean ownShell = posixShell || !r.timeout().isZero() || b.enabled();
        StringBuilder inner = new StringBuilder();
        r.cwd().ifPresent(dir -> inner.append("cd ").append(Shell.quote(dir)).append(" && "));
        if (!r.env().isEmpty()) {
            inner.append("env");
            for (Map.Entry<String, String> e : r.env().entrySet()) {
                if (!ENV_NAME.matcher(e.getKey()).matches()) {
                    throw new IllegalArgumentException("'" + e.getKey() + "' is not a valid environment variable name");
                }
                inner.append(' ').append(Shell.quote(e.getKey() + "=" + e.getValue()));
            }
            inner.append(' ');
        }
        if (ownShell && r.env().isEmpty()) {
            inner.append(inline(r.argv(), r.cwd().isPresent()));
        } else {
            inner.append(Shell.join(r.argv()));
        }
        if (!r.timeout().isZero()) {
            // the target ends the command itself one second after the controller gives up on it, so nothing is
            // left running there (closing an SSH channel does not kill the remote process)
            String body = inner.toString();
            inner.setLength(0);
            inner.append("timeout -s KILL ").append(r.timeout().toSeconds() + 1).append(" sh -c ").append(Shell.quote(body));
        }
        byte[] input = r.stdin().orElse(new byte[0]);
        if (!b.enabled()) {
            return new CommandLine(inner.toString(), input);
        }
        if (b.method().equals("su")) {
            if (b.password().isPresent()) {
                throw new IllegalArgumentException("become_method su with a password needs a terminal; use sudo");
            }
            return new CommandLine("su " + Shell.quote(b.user()) + " -s /bin/sh -c " + Shell.quote(inner.toString()), input);
        }
        if (b.password().isEmpty()) {
            return new CommandLine("sudo -H -n -u " + Shell.quote(b.user()) + " -- sh -c " + Shell.quote(inner.toString()), input);
        }
        String skip = "while IFS= read -r hf_l; do [ \"$hf_l\" = " + MARKER + " ] && break; done; exec sh -c \"$1\"";
        String line = "sudo -H -S -p '' -u " + Shell.quote(b.user()) + " -- sh -c " + Shell.quote(skip) + " sh "
                + Shell.quote(inner.toString());
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes((b.password().get().reveal() + "\n" + MARKER + "\n").getBytes(StandardCharsets.UTF_8));
        in.writeBytes(input);
        return new CommandLine(line, in.toByteArray());
    }

    /**
     * {@code sh -c SCRIPT [sh ARGS...]} as text the enclosing shell runs itself; any other argv quoted as it is.
     * After {@code cd DIR &&} the script goes in braces (on lines of its own, so that a last comment line cannot
     * swallow the closing brace).
     */
    static String inline(java.util.List<String> argv, boolean afterCd) {
        boolean script = argv.size() >= 3 && argv.get(0).equals("sh") && argv.get(1).equals("-c")
                && (argv.size() == 3 || argv.get(3).equals("sh"));
        if (!script) {
            return Shell.join(argv);
        }
        String body = "set --" + (argv.size() > 4 ? " " + Shell.join(argv.subList(4, argv.size())) : "") + "\n"
                + argv.get(2);
        return afterCd ? "{\n" + body + "\n}" : body;
    }
}
