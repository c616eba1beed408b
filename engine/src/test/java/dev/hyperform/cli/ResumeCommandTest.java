package dev.hyperform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hyperform play --journal/--resume} as a user types it. */
class ResumeCommandTest {
    @TempDir
    Path dir;

    static String[] run(String... args) {
        PrintStream old = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
             PrintStream captureErr = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(captureErr);
            code = Main.run(args);
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
        return new String[] {Integer.toString(code), buf.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void runNamesItsJournalLastAndAFinishedRunResumedHasNothingToDo() throws Exception {
        Path inventory = Files.writeString(dir.resolve("hosts.ini"), "[g]\nh1\nh2\n[g:vars]\nansible_connection=local\n");
        Path playbook = Files.writeString(dir.resolve("play.yaml"), """
                - hosts: g
                  serial: 1
                  gather_facts: false
                  tasks:
                    - meta: noop
                """);
        Path journal = dir.resolve("out/run.jsonl");

        String[] first = run("play", "-i", inventory.toString(), playbook.toString(), "--journal", journal.toString());

        assertEquals("0", first[0], first[1]);
        List<String> lines = first[1].lines().toList();
        assertEquals("journal: " + journal + " (continue an interrupted run with: hyperform play --resume " + journal + ")",
                lines.get(lines.size() - 1));
        List<String> written = Files.readAllLines(journal);
        assertEquals(4, written.size(), "run, two finished batches, end: " + written);
        assertTrue(written.get(1).contains("\"batch\":1,\"hosts\":[\"h1\"]"), written.get(1));
        assertTrue(written.get(3).contains("\"exit_code\":0"), written.get(3));

        // -i and the playbook come from the journal when --resume names neither
        String[] again = run("play", "--resume", journal.toString());

        assertEquals(Integer.toString(ExitCode.OK), again[0], again[1]);
        assertEquals("nothing to do: the run of journal " + journal + " finished without failures; start a new run"
                + " without --resume to run the playbook again", again[1].strip());
        assertEquals(written, Files.readAllLines(journal), "a run with nothing to do leaves the journal as it was");
    }

    @Test
    void differentLimitIsRefusedSayingWhatDiffers() throws Exception {
        Path inventory = Files.writeString(dir.resolve("hosts.ini"), "[g]\nh1\nh2\n[g:vars]\nansible_connection=local\n");
        Path playbook = Files.writeString(dir.resolve("play.yaml"), "- hosts: g\n  gather_facts: false\n  tasks:\n    - meta: noop\n");
        Path journal = dir.resolve("run.jsonl");
        run("play", "-i", inventory.toString(), playbook.toString(), "--journal", journal.toString(), "-l", "h1");

        String[] resumed = run("play", "-i", inventory.toString(), playbook.toString(), "--resume", journal.toString());

        assertEquals(Integer.toString(ExitCode.INVALID_INPUT), resumed[0], resumed[1]);
        assertTrue(resumed[2].contains("cannot resume the run of journal " + journal + ": --limit differs: the journal has"
                + " 'h1', now none"), resumed[2]);
    }
}
