package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ansible-playbook's connection flags on real hosts: {@code -b}/{@code --become-user} are defaults that play and task
 * keywords override and the {@code ansible_become_user} variable overrides in turn; {@code -c local} runs on the
 * controller for hosts whose inventory names no connection; unsupported values change nothing.
 */
@Tag("lab")
class CliConnectionFlagsLabTest {

    private static String stdout(Lab.Run r, String task) {
        return r.results(task).get(0).path("result").path("stdout").asText().strip();
    }

    @Test
    void becomeFlagsAreDefaultsUnderEveryKeywordAndVariable(@TempDir Path dir) throws Exception {
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: node1
                  gather_facts: false
                  tasks:
                    - {name: flags only, command: id -un, changed_when: false}
                    - {name: keyword off, command: id -un, changed_when: false, become: false}
                    - {name: keyword user, command: id -un, changed_when: false, become_user: daemon}
                    - {name: variable user, command: id -un, changed_when: false, vars: {ansible_become_user: bin}}
                - hosts: node1
                  gather_facts: false
                  become: false
                  tasks:
                    - {name: play keyword off, command: id -un, changed_when: false}
                """);
        Lab.Run r = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString(), "-b", "--become-user", "nobody");
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        assertEquals("nobody", stdout(r, "flags only"));
        assertEquals("root", stdout(r, "keyword off"), "the lab logs in as root");
        assertEquals("daemon", stdout(r, "keyword user"));
        assertEquals("bin", stdout(r, "variable user"));
        assertEquals("root", stdout(r, "play keyword off"));

        Lab.Run without = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString());
        assertEquals("root", stdout(without, "flags only"), "no -b: no become");
    }

    @Test
    void connectionLocalRunsOnTheControllerAndUnknownFlagValuesChangeNothing(@TempDir Path dir) throws Exception {
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: node1
                  gather_facts: false
                  tasks:
                    - {name: where, command: cat /etc/hostname, changed_when: false}
                """);
        Lab.Run remote = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString());
        Lab.Run local = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString(), "-c", "local");
        assertEquals(ExitCode.OK, local.exitCode(), local.console());
        assertEquals("node1", stdout(remote, "where"));
        assertNotEquals("node1", stdout(local, "where"), "-c local reads the controller's own file");

        for (String[] bad : new String[][] {{"-c", "paramiko"}, {"--become-method", "doas"}, {"-T", "0"}}) {
            Lab.Run r = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString(), bad[0], bad[1]);
            assertEquals(ExitCode.INVALID_INPUT, r.exitCode(), String.join(" ", bad) + ": " + r.console());
            assertTrue(r.results("where").isEmpty(), "nothing ran with " + String.join(" ", bad));
        }
    }
}
