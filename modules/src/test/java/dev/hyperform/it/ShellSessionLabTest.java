package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The persistent shell session over real SSH, through the whole engine: hostile output, a session that dies between
 * tasks, a user command that execs, and a time limit that ends the command on the host.
 */
@Tag("lab")
class ShellSessionLabTest {
    private static final String LOGINS = "journalctl -u ssh.service --no-pager -o cat | grep -c 'Accepted publickey'";

    /**
     * With the built-in client the run's one connection carries the new session: one login for the run. With the
     * default (OpenSSH's master, kept from a first run) the new session rides the master: no login at all.
     */
    @ParameterizedTest(name = "-c {0}")
    @CsvSource({"ssh, 0, 1", "smart, 1, 0"})
    void hostileOutputAndADeadSessionDoNotFailTasksOrOpenAnotherConnection(String connection, int runsBefore,
                                                                           int logins, @TempDir Path dir) throws Exception {
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: node2
                  gather_facts: false
                  tasks:
                    - name: marker look-alikes, no trailing newline
                      shell: "printf 'HF0123 S 1\\\\n\\\\nHF0123 0\\\\nx'"
                      register: look
                      changed_when: false
                    - name: huge binary output on both streams
                      shell: "head -c 3000000 /dev/urandom | tee /dev/stderr | wc -c"
                      register: huge
                      changed_when: false
                    - name: exec by a user command
                      shell: exec echo replaced
                      register: ex
                      changed_when: false
                    - name: the session's shell dies after this task
                      shell: "(sleep 0.3; pkill -9 -f hf_ss=) >/dev/null 2>&1 &"
                      changed_when: false
                    - {name: let it die, pause: {seconds: 1}}
                    - name: the next command gets a new session
                      command: hostname
                      register: after
                      changed_when: false
                    - assert:
                        that:
                          - "look.stdout == 'HF0123 S 1\\n\\nHF0123 0\\nx'"
                          - "huge.stdout == '3000000'"
                          - "ex.stdout == 'replaced'"
                          - "after.stdout == 'node2'"
                """);
        for (int i = 0; i < runsBefore; i++) {
            assertEquals(ExitCode.OK, Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString(), "-c", connection)
                    .exitCode());
        }
        long before = Long.parseLong(Lab.ssh("node2", LOGINS));
        Lab.Run r = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString(), "-c", connection);
        long after = Long.parseLong(Lab.ssh("node2", LOGINS));
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        assertEquals(1 + logins, after - before, "logins during the run (one is the counting ssh): the session was "
                + "replaced on the same connection");
    }

    @Test
    void aTimeLimitEndsTheCommandOnTheHostAndTheNextTaskRuns(@TempDir Path dir) throws Exception {
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: node1
                  gather_facts: false
                  tasks:
                    - {name: slow, command: "sleep 41.3", timeout: 2, ignore_errors: true}
                    - {name: next, command: hostname, register: h, changed_when: false}
                    - assert: {that: ["h.stdout == 'node1'"]}
                """);
        Lab.Run r = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString());
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        assertTrue(r.console().contains("timed out"), r.console());
        assertEquals("", Lab.ssh("node1", "pgrep -f 'sleep 41[.]3' || true"), "the command still runs on node1");
    }
}
