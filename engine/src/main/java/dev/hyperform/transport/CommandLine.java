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
 */
public record CommandLine(String line, byte[] stdin) {
    static final String MARKER = "HYPERFORM-STDIN-7c1e";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public static CommandLine of(ExecRequest r) {
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
        inner.append(Shell.join(r.argv()));
        if (!r.timeout().isZero()) {
            // the target ends the command itself one second after the controller gives up on it, so nothing is
            // left running there (closing an SSH channel does not kill the remote process)
            String body = inner.toString();
            inner.setLength(0);
            inner.append("timeout -s KILL ").append(r.timeout().toSeconds() + 1).append(" sh -c ").append(Shell.quote(body));
        }
        byte[] input = r.stdin().orElse(new byte[0]);
        Become b = r.become();
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
}
