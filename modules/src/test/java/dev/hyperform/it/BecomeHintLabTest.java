package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab's user hf needs a password for sudo: without one, or with a wrong one, the failure says how to give it. */
@Tag("lab")
class BecomeHintLabTest {
    private static final String PLAY = """
            - hosts: node1
              gather_facts: false
              become: true
              tasks:
                - {name: as root, command: id -un, changed_when: false}
            """;

    @Test
    void noBecomePasswordSaysHowToGiveOne(@TempDir Path dir) throws Exception {
        Path inv = Lab.write(dir, "inv.ini", Files.readString(Lab.INVENTORY).replace("ansible_user=root", "ansible_user=hf"));
        Lab.Run r = Lab.play(dir, "-i", inv.toString(), Lab.write(dir, "p.yaml", PLAY).toString());
        assertEquals(ExitCode.TASK_FAILED, r.exitCode(), r.console());
        String m = r.results("as root").get(0).path("message").asText();
        assertTrue(m.contains("sudo to root needs a password"), m);
        for (String way : new String[] {"-K", "HYPERFORM_BECOME_PASSWORD", "ansible_become_password", "never shown"}) {
            assertTrue(m.contains(way), way + " in " + m);
            assertTrue(r.console().contains(way), way + " on the console: " + r.console());
        }
    }

    @Test
    void aWrongBecomePasswordIsNamedAsWrongAndNeverShown(@TempDir Path dir) throws Exception {
        String wrong = "not-the-password-" + System.nanoTime();
        Path inv = Lab.write(dir, "inv.ini", Files.readString(Lab.INVENTORY)
                .replace("ansible_user=root", "ansible_user=hf\nansible_become_password=" + wrong));
        Lab.Run r = Lab.play(dir, "-i", inv.toString(), Lab.write(dir, "p.yaml", PLAY).toString(), "-vvv");
        assertEquals(ExitCode.TASK_FAILED, r.exitCode(), r.console());
        String m = r.results("as root").get(0).path("message").asText();
        assertTrue(m.contains("refused the become password"), m);
        assertTrue(m.contains("incorrect password attempt"), m);
        assertTrue(m.contains("-K"), m);
        assertFalse(r.console().contains(wrong), "the password on the console");
        assertFalse(r.eventsText().contains(wrong), "the password in events");
    }
}
