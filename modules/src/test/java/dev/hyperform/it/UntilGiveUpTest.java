package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperform.error.ExitCode;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A task whose {@code until} gives up says what its last attempt saw: the console line of the failed host shows the
 * condition that stayed false with its file:line, the last attempt's rc and the tail of its stdout and stderr (cut to
 * the last 20 lines, saying so), and {@code register} holds the last result plus {@code attempts}, as in Ansible.
 * ansible-playbook 2.14.18 on a localhost play (shell "echo line1; echo HEALTH_WARN; echo err >&2; exit 3", until
 * r.rc == 0, retries 2, ignore_errors) printed and registered:
 * <pre>
 * fatal: [localhost]: FAILED! => {"attempts": 2, "changed": true, "cmd": "...", "msg": "non-zero return code",
 *   "rc": 3, "stderr": "err", "stderr_lines": ["err"], "stdout": "line1\nHEALTH_WARN", "stdout_lines": [...]}
 * ...ignoring
 * r = {"attempts": 2, "failed": true, "msg": "non-zero return code", "rc": 3, "stderr": "err", "stdout": ..., ...}
 * </pre>
 * (ansible-core 2.14 runs the command retries + 1 times and reports attempts = retries; hyperform does the same.)
 */
class UntilGiveUpTest {

    /** What the last attempt printed, what the condition asks, and what the console must and must not show. */
    record Case(String name, String shell, String until, List<String> shown, List<String> notShown, int rc,
                String stdout) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        String hundred = "for i in $(seq 1 100); do echo out$i; done; for i in $(seq 1 30); do echo err$i >&2; done";
        return Stream.of(
                new Case("rc stays non-zero", "echo line1; echo HEALTH_WARN; echo err >&2; exit 3", "r.rc == 0",
                        List.of("until condition 'r.rc == 0' at p.yaml:4:7 still false after 3 attempts (retries: 2)",
                                "last attempt: rc=3", "  stdout:\n    line1\n    HEALTH_WARN", "  stderr:\n    err"),
                        List.of(), 3, "line1\nHEALTH_WARN"),
                // the Ceph wait: the command succeeds, the state it prints is not the one waited for
                new Case("rc 0, stdout not what was waited for", "echo HEALTH_WARN 1 osds down", "r.stdout?starts_with('HEALTH_OK')",
                        List.of("until condition 'r.stdout?starts_with('HEALTH_OK')' at p.yaml:4:7 still false after 3 attempts (retries: 2)",
                                "last attempt: rc=0", "  stdout:\n    HEALTH_WARN 1 osds down"),
                        List.of("stderr:"), 0, "HEALTH_WARN 1 osds down"),
                new Case("long output is cut to its tail, saying so", hundred, "r.rc == 1",
                        List.of("last attempt: rc=0", "  stdout (last 20 of 100 lines):\n    out81\n",
                                "    out100\n", "  stderr (last 20 of 30 lines):\n    err11\n", "    err30\n"),
                        List.of("    out80\n", "    err10\n"), 0, null),
                new Case("one long line is cut to its last characters", "printf a; head -c 9000 /dev/zero | tr '\\\\0' x",
                        "r.rc == 1", List.of("  stdout (the last 4096 characters):\n    " + "x".repeat(4096) + "\n"),
                        List.of("ax", "x".repeat(4097)), 0, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theFailureShowsTheLastAttemptAndRegisterHoldsItWithAttempts(Case c, @TempDir Path dir) throws Exception {
        Path inv = Lab.write(dir, "hosts", "h1 ansible_connection=local\n");
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: wait
                      shell: "%s"
                      register: r
                      until: "%s"
                      retries: 2
                      delay: 0
                      ignore_errors: true
                    - {name: seen, debug: {msg: "${r.attempts} ${r.rc} ${r.failed?c}"}}
                """.formatted(c.shell().replace("\"", "\\\""), c.until().replace("\"", "\\\"")));
        Lab.Run r = Lab.play(dir, "-i", inv.toString(), pb.toString());
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        String console = r.console().replace(dir + "/", "");
        for (String s : c.shown()) {
            assertTrue(console.contains(s), "console shows [" + s + "]:\n" + console);
        }
        for (String s : c.notShown()) {
            assertFalse(console.contains(s), "console does not show [" + s + "]:\n" + console);
        }
        assertTrue(r.console().contains("...ignoring"), r.console());
        // register: the last result plus attempts, failed
        assertEquals("2 " + c.rc() + " true", r.results("seen").get(0).path("message").asText(), console);
        JsonNode registered = r.results("wait").get(0).path("result");
        assertEquals(2, registered.path("attempts").asInt(), registered.toString());
        assertEquals(c.rc(), registered.path("rc").asInt(), registered.toString());
        if (c.stdout() != null) {
            assertEquals(c.stdout(), registered.path("stdout").asText(), registered.toString());
        }
    }
}
