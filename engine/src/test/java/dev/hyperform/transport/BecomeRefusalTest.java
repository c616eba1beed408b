package dev.hyperform.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.vars.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** sudo's and su's refusals get a hint naming the three ways to give the become password; other failures do not. */
class BecomeRefusalTest {
    private static final String PASSWORD = "s3cret-Pw";
    private static final Become WITH_PASSWORD = new Become(true, "sudo", "root", Optional.of(new Secret(PASSWORD)));

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Become.sudo("root"), 1, "sudo: a password is required\n", "needs a password"),
                Arguments.of(Become.sudo("root"), 1, "sudo: a terminal is required to read the password; either use "
                        + "the -S option to read from standard input or configure an askpass helper\n", "needs a password"),
                Arguments.of(WITH_PASSWORD, 1, "sudo: 2 incorrect password attempts\n", "refused the become password"),
                Arguments.of(WITH_PASSWORD, 1, "sudo: 1 incorrect password attempt\n", "refused the become password"),
                Arguments.of(new Become(true, "su", "root", Optional.empty()), 1, "su: Authentication failure\n",
                        "refused the become password"),
                Arguments.of(Become.sudo("root"), 1, "hf is not in the sudoers file.  This incident will be reported.\n",
                        "is not allowed"),
                Arguments.of(Become.sudo("root"), 1, "ls: cannot access '/x': No such file or directory\n", null),
                Arguments.of(Become.sudo("root"), 0, "sudo: a password is required\n", null),
                Arguments.of(Become.NONE, 1, "sudo: a password is required\n", null));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("cases")
    void aRefusalSaysHowToGiveThePassword(Become become, int code, String stderr, String expected) {
        ExecResult r = new ExecResult(code, new byte[0], stderr.getBytes(StandardCharsets.UTF_8), Duration.ZERO);
        Optional<TransportException> e = BecomeRefusal.of("node1", become, r);
        if (expected == null) {
            assertTrue(e.isEmpty(), () -> e.get().getMessage());
            return;
        }
        String m = e.orElseThrow().getMessage();
        assertTrue(m.startsWith("node1: "), m);
        assertTrue(m.contains(expected), m);
        assertTrue(m.contains(stderr.lines().findFirst().orElseThrow().strip()), m);
        assertFalse(m.contains(PASSWORD), m);
        if (!expected.equals("is not allowed")) {
            for (String way : new String[] {"-K", "HYPERFORM_BECOME_PASSWORD", "ansible_become_password", "ansible-vault",
                    "never shown"}) {
                assertTrue(m.contains(way), way + " in " + m);
            }
        }
        assertEquals(dev.hyperform.error.Failure.TASK_FAILED, e.get().kind());
    }
}
