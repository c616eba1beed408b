package dev.hyperform.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LocalTransportTest {
    private final LocalTransport local = new LocalTransport("localhost");

    static Stream<String> hostile() {
        return Stream.of("it's", "a \"b\"", "x; touch CANARY", "$(touch CANARY)", "`touch CANARY`", "a && touch CANARY",
                "line1\nline2", "-rf", "--help", "* ?", "ünïcödé ✓", "$HOME", "\\", "");
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void hostileArgumentsArriveLiterally(String value, @TempDir Path dir) {
        ExecResult r = local.exec(ExecRequest.of("printf", "%s", value).withCwd(dir.toString()));
        assertEquals(0, r.exitCode());
        assertEquals(value, r.out());
        assertFalse(Files.exists(dir.resolve("CANARY")), "an injected command ran");
    }

    @Test
    void stdinEnvironmentAndWorkingDirectoryReachTheCommand(@TempDir Path dir) {
        ExecResult r = local.exec(ExecRequest.of("sh", "-c", "cat; echo \"$GREETING\"; pwd")
                .withStdin("from stdin\n".getBytes(StandardCharsets.UTF_8))
                .withEnv(Map.of("GREETING", "hi; there")).withCwd(dir.toString()));
        assertEquals(List.of("from stdin", "hi; there", dir.toString()), r.out().lines().toList());
    }

    @Test
    void exitCodeAndStderrAreResultsNotExceptions() {
        ExecResult r = local.exec(ExecRequest.of("sh", "-c", "echo oops >&2; exit 3"));
        assertEquals(3, r.exitCode());
        assertEquals("oops\n", r.err());
    }

    @Test
    void timeoutStopsTheCommandAndSaysWhich() {
        TransportException e = assertThrows(TransportException.class,
                () -> local.exec(ExecRequest.of("sleep", "5").withTimeout(Duration.ofMillis(300))));
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        assertTrue(e.getMessage().contains("sleep 5"), e.getMessage());
    }

    @Test
    void sudoPasswordTravelsOnStdinBehindAMarkerNeverOnTheCommandLine() {
        ExecRequest r = ExecRequest.of("cat").withStdin("data\n".getBytes(StandardCharsets.UTF_8))
                .withBecome(new Become(true, "sudo", "root", java.util.Optional.of(new dev.hyperform.vars.Secret("pw-123"))));
        CommandLine cl = CommandLine.of(r);
        assertFalse(cl.line().contains("pw-123"));
        assertEquals("pw-123\n" + CommandLine.MARKER + "\ndata\n", new String(cl.stdin(), StandardCharsets.UTF_8));
    }

    @Test
    void theMarkerSkipperPassesExactInputWhetherOrNotTheFirstLineWasConsumed() {
        // what runs after sudo: it must skip up to the marker whether sudo ate the password line or not
        String skip = "while IFS= read -r hf_l; do [ \"$hf_l\" = " + CommandLine.MARKER + " ] && break; done; exec sh -c \"$1\"";
        for (String prefix : List.of("", "pw-123\n")) {
            ExecResult r = local.exec(ExecRequest.of("sh", "-c", skip, "sh", "cat")
                    .withStdin((prefix + CommandLine.MARKER + "\nexact\ninput").getBytes(StandardCharsets.UTF_8)));
            assertEquals("exact\ninput", r.out());
        }
    }
}
