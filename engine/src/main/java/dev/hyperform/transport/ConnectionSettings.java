package dev.hyperform.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Run-wide connection defaults from the command line ({@code -u}, {@code --private-key}, {@code -c},
 * {@code -T}); per-host values ({@code ansible_host}, {@code ansible_port},
 * {@code ansible_user}, {@code ansible_ssh_private_key_file}, {@code ansible_connection} and hyperform's own
 * {@code hyperform_*} names) override them.
 */
public record ConnectionSettings(HostKeyPolicy hostKeyPolicy, List<Path> knownHosts, Optional<String> user,
                                 List<Path> privateKeys, Duration connectTimeout, Duration keepAlive,
                                 Optional<String> connection) {
    public ConnectionSettings(HostKeyPolicy hostKeyPolicy, List<Path> knownHosts, Optional<String> user,
                              List<Path> privateKeys, Duration connectTimeout, Duration keepAlive) {
        this(hostKeyPolicy, knownHosts, user, privateKeys, connectTimeout, keepAlive, Optional.empty());
    }

    public static ConnectionSettings defaults() {
        return new ConnectionSettings(HostKeyPolicy.STRICT, List.of(), Optional.empty(), List.of(),
                Duration.ofSeconds(10), Duration.ofSeconds(15));
    }
}
