package dev.hyperform.transport.ssh;

import dev.hyperform.transport.HostKeyPolicy;
import dev.hyperform.vars.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where and how to reach one host over SSH, resolved from its variables and the run's settings; {@code agentSocket}
 * is ssh-agent's socket when there is one; {@code persistentShell} runs commands through one long-lived shell on the
 * connection ({@link dev.hyperform.transport.session.ShellSession}) instead of one exec channel each; {@code route}
 * is how the connection reaches the host (directly, or through a jump host's connection).
 */
public record SshEndpoint(String name, String address, int port, String user, List<Path> keyFiles,
                          Optional<Secret> password, List<Path> knownHosts, HostKeyPolicy policy,
                          Duration connectTimeout, Duration keepAlive, Optional<Path> agentSocket,
                          boolean persistentShell, SshRoute route) {
}
