package dev.hyperform.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Run-wide connection defaults from the command line; per-host values ({@code ansible_host}, {@code ansible_port},
 * {@code ansible_user}, {@code ansible_ssh_private_key_file}, {@code ansible_connection} and hyperform's own
 * {@code hyperform_*} names) override them.
 */
public record ConnectionSettings(HostKeyPolicy hostKeyPolicy, List<Path> knownHosts, Optional<String> user,
                                 List<Path> privateKeys, Duration connectTimeout, Duration keepAlive) {
    public static ConnectionSettings defaults() {
        return new ConnectionSettings(HostKeyPolicy.STRICT, List.of(), Optional.empty(), List.of(),
                Duration.ofSeconds(10), Duration.ofSeconds(15));
    }
}
