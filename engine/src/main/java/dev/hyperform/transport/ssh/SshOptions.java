package dev.hyperform.transport.ssh;

import dev.hyperform.transport.HostKeyPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a host's OpenSSH arguments ({@code ansible_ssh_args}, {@code ansible_ssh_common_args},
 * {@code ansible_ssh_extra_args}) ask for, as parsed by {@link SshArgs}. Empty means "not said": the host's
 * variables and the run's settings decide. {@code jump}: present and empty for {@code ProxyJump=none}.
 */
public record SshOptions(Optional<List<JumpHop>> jump, Optional<HostKeyPolicy> hostKeyPolicy, Optional<List<Path>> knownHosts,
                         Optional<Duration> connectTimeout, Optional<Duration> keepAlive, OptionalInt port,
                         Optional<String> user, List<Path> identityFiles) {
    public static final SshOptions NONE = new SshOptions(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), OptionalInt.empty(), Optional.empty(), List.of());
}
