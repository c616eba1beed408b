package dev.hyperform.transport.openssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyperform.transport.HostKeyPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which value of each option a host's ssh command line ends up with, as OpenSSH itself reads that line ({@code ssh -G}
 * prints the settings a command line gives, without connecting): the order of the arguments is what decides it.
 */
class OpenSshArgsTest {
    private static final Path CP = Path.of("/run/hf-test-cp");
    /** ssh leaves out identity files that do not exist: these do. */
    private static final Path KEYS = keys();

    private static Path keys() {
        try {
            Path d = java.nio.file.Files.createTempDirectory("hf-keys");
            java.nio.file.Files.writeString(d.resolve("host"), "");
            java.nio.file.Files.writeString(d.resolve("run"), "");
            d.resolve("host").toFile().deleteOnExit();
            d.resolve("run").toFile().deleteOnExit();
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static OpenSshArgs args(Optional<String> user, Optional<Integer> port, List<Path> keys, List<Path> known,
                                    Optional<HostKeyPolicy> policy, Optional<String> jump, List<String> inventory,
                                    Optional<String> runUser, List<Path> runKeys) {
        return new OpenSshArgs("10.0.0.1", user, port, keys, known, policy, jump, inventory, runUser, runKeys,
                Duration.ofSeconds(10), Duration.ofSeconds(15), CP);
    }

    private static OpenSshArgs inventory(String... words) {
        return args(Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(),
                List.of(words), Optional.empty(), List.of());
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("nothing set: strict host keys, no prompts, a shared master kept 60 s", inventory(),
                        Map.of("hostname", "10.0.0.1", "batchmode", "yes", "stricthostkeychecking", "true",
                                "controlmaster", "auto", "controlpersist", "60", "connecttimeout", "10",
                                "serveraliveinterval", "15")),
                Arguments.of("the inventory's arguments win over hyperform's defaults",
                        inventory("-o", "ControlPersist=5m", "-o", "StrictHostKeyChecking=accept-new", "-o",
                                "ConnectTimeout=3", "-o", "ControlPath=/elsewhere/%C"),
                        Map.of("controlpersist", "300", "stricthostkeychecking", "accept-new", "connecttimeout", "3",
                                "controlpath", "/elsewhere/")),
                Arguments.of("a prompt is never wanted: BatchMode stays on",
                        inventory("-o", "BatchMode=no"), Map.of("batchmode", "yes")),
                Arguments.of("the host's own variables win over the inventory's arguments",
                        args(Optional.of("alice"), Optional.of(2200), List.of(), List.of(), Optional.empty(),
                                Optional.empty(), List.of("-l", "bob", "-p", "2300"), Optional.of("carol"), List.of()),
                        Map.of("user", "alice", "port", "2200")),
                Arguments.of("the inventory's user wins over the run's -u",
                        args(Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(),
                                Optional.empty(), List.of("-l", "bob"), Optional.of("carol"), List.of()),
                        Map.of("user", "bob")),
                Arguments.of("the run's -u when nothing else names a user",
                        args(Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(),
                                Optional.empty(), List.of(), Optional.of("carol"), List.of()),
                        Map.of("user", "carol")),
                Arguments.of("a run told not to check host keys wins over the inventory's arguments",
                        args(Optional.empty(), Optional.empty(), List.of(), List.of(Path.of("/k/known")),
                                Optional.of(HostKeyPolicy.OFF), Optional.empty(),
                                List.of("-o", "StrictHostKeyChecking=yes"), Optional.empty(), List.of()),
                        Map.of("stricthostkeychecking", "false", "userknownhostsfile", "/dev/null")),
                Arguments.of("hyperform_known_hosts and the run's files are the known-hosts files",
                        args(Optional.empty(), Optional.empty(), List.of(), List.of(Path.of("/k/a"), Path.of("/k/b")),
                                Optional.empty(), Optional.empty(), List.of("-o", "UserKnownHostsFile=/k/c"),
                                Optional.empty(), List.of()),
                        Map.of("userknownhostsfile", "/k/a /k/b")),
                Arguments.of("accept-new from the host",
                        args(Optional.empty(), Optional.empty(), List.of(), List.of(),
                                Optional.of(HostKeyPolicy.ACCEPT_NEW), Optional.empty(), List.of(), Optional.empty(),
                                List.of()),
                        Map.of("stricthostkeychecking", "accept-new")),
                Arguments.of("hyperform_jump_host is ssh's jump list, in place of the inventory's -J",
                        args(Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(),
                                Optional.of("ops@bastion:2022"), List.of("-J", "other"), Optional.empty(), List.of()),
                        Map.of("proxyjump", "ops@bastion:2022")),
                Arguments.of("the host's key file, not the run's --private-key",
                        args(Optional.empty(), Optional.empty(), List.of(KEYS.resolve("host")), List.of(),
                                Optional.empty(), Optional.empty(), List.of(), Optional.empty(),
                                List.of(KEYS.resolve("run"))),
                        Map.of("identityfile", KEYS.resolve("host").toString())),
                Arguments.of("the run's --private-key when the host names none",
                        args(Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(),
                                Optional.empty(), List.of(), Optional.empty(), List.of(KEYS.resolve("run"))),
                        Map.of("identityfile", KEYS.resolve("run").toString())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void opensshReadsTheLineAsMeant(String what, OpenSshArgs args, Map<String, String> expected) throws Exception {
        Map<String, List<String>> seen = effective(args.command());
        for (Map.Entry<String, String> e : expected.entrySet()) {
            List<String> values = seen.getOrDefault(e.getKey(), List.of());
            String actual = e.getKey().equals("controlpath") ? values.get(0).replaceAll("[0-9a-f]{40}$", "")
                    : e.getKey().equals("identityfile") ? values.stream().filter(v -> v.startsWith(KEYS.toString()))
                    .reduce((a, b) -> a + " " + b).orElse("") : String.join(" ", values);
            assertEquals(e.getValue(), actual, e.getKey() + " in: " + String.join(" ", args.command()));
        }
        if (!expected.containsKey("controlpath")) {
            assertEquals(CP + "/", seen.get("controlpath").get(0).replaceAll("[0-9a-f]{40}-[0-9a-f]{8}$", ""),
                    "one control socket per host, user, port and line under the control folder");
        }
    }

    /** What {@code ssh -G} says the line sets: option name to its values (identity files are several). */
    private static Map<String, List<String>> effective(List<String> command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(command);
        argv.add(1, "-G");
        argv.add("-F"); // no user or system configuration: only the line counts
        argv.add("/dev/null");
        argv.add(argv.remove(argv.size() - 3)); // the address stays last
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        Map<String, List<String>> m = new HashMap<>();
        for (String line : out.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0) {
                m.computeIfAbsent(line.substring(0, sp).toLowerCase(), k -> new ArrayList<>()).add(line.substring(sp + 1));
            }
        }
        return m;
    }
}
