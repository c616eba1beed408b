package dev.hyperform.transport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One command to run on a host: an argument vector (quoted by the transport through {@link Shell}, never by a
 * caller), optional bytes for its stdin, extra environment, working directory, privilege escalation and a time
 * limit ({@link Duration#ZERO} = none). {@code sensitive} hides the command line from output and events.
 */
public record ExecRequest(List<String> argv, Optional<byte[]> stdin, Map<String, String> env, Optional<String> cwd,
                          Become become, Duration timeout, boolean sensitive) {

    public ExecRequest {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
    }

    public static ExecRequest of(List<String> argv) {
        return new ExecRequest(argv, Optional.empty(), Map.of(), Optional.empty(), Become.NONE, Duration.ZERO, false);
    }

    public static ExecRequest of(String... argv) {
        return of(List.of(argv));
    }

    public ExecRequest withStdin(byte[] bytes) {
        return new ExecRequest(argv, Optional.ofNullable(bytes), env, cwd, become, timeout, sensitive);
    }

    public ExecRequest withEnv(Map<String, String> environment) {
        return new ExecRequest(argv, stdin, environment, cwd, become, timeout, sensitive);
    }

    public ExecRequest withCwd(String dir) {
        return new ExecRequest(argv, stdin, env, Optional.ofNullable(dir), become, timeout, sensitive);
    }

    public ExecRequest withBecome(Become b) {
        return new ExecRequest(argv, stdin, env, cwd, b, timeout, sensitive);
    }

    public ExecRequest withTimeout(Duration t) {
        return new ExecRequest(argv, stdin, env, cwd, become, t, sensitive);
    }

    public ExecRequest asSensitive() {
        return new ExecRequest(argv, stdin, env, cwd, become, timeout, true);
    }

    /** The command as a person reads it (quoted), or a mask when sensitive. */
    public String display() {
        return sensitive ? "<command hidden: no_log>" : Shell.join(argv);
    }
}
