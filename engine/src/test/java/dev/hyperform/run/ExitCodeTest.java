package dev.hyperform.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyperform.error.ExitCode;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exit-code table (README, {@code --help}): 4 ("invalid input ... no task ran on any host") only while no task has run on
 * any host; an undefined variable after tasks ran is a failed task (2).
 */
class ExitCodeTest {
    private static final String THREE = "[g]\nh1\nh2\nh3\n[g:vars]\nansible_connection=local\n";

    static Stream<Arguments> plays() {
        return Stream.of(
                Arguments.of("undefined variable in the first task", """
                        - hosts: g
                          gather_facts: false
                          tasks:
                            - {name: typo, t: {msg: "${spdk_sokcet}"}}
                        """, ExitCode.INVALID_INPUT),
                Arguments.of("undefined variable after a task changed every host", """
                        - hosts: g
                          gather_facts: false
                          tasks:
                            - {name: change, t: {change: true}}
                            - {name: typo, t: {msg: "${spdk_sokcet}"}}
                        """, ExitCode.TASK_FAILED),
                Arguments.of("undefined variable after a task ran without a change", """
                        - hosts: g
                          gather_facts: false
                          tasks:
                            - {name: probe, t: {}}
                            - {name: typo, t: {msg: "${spdk_sokcet}"}}
                        """, ExitCode.TASK_FAILED),
                Arguments.of("undefined variable in a later play", """
                        - hosts: g
                          gather_facts: false
                          tasks:
                            - {name: change, t: {change: true}}
                        - hosts: g
                          gather_facts: false
                          tasks:
                            - {name: typo, t: {msg: "${spdk_sokcet}"}}
                        """, ExitCode.TASK_FAILED),
                Arguments.of("undefined variable on one host only, first task", """
                        - hosts: g
                          gather_facts: false
                          tasks:
                            - {name: typo, t: {msg: "${spdk_sokcet}"}, when: inventory_hostname == "h2"}
                        """, ExitCode.INVALID_INPUT),
                Arguments.of("a task that fails", """
                        - hosts: g
                          gather_facts: false
                          tasks:
                            - {name: break, t: {fail_on: [h1]}}
                        """, ExitCode.TASK_FAILED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plays")
    void theExitCodeSaysWhetherAHostWasTouched(String name, String playbook, int expected, @TempDir Path dir)
            throws Exception {
        RunHarness h = RunHarness.run(dir, THREE, playbook);
        assertEquals(expected, h.exitCode, h.results().toString());
    }
}
