package dev.hyperform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hyperform play --journal/--resume} as a user types it. */
class ResumeCommandTest {
    @TempDir
    Path dir;

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

        CliRun first = CliRun.of("play", "-i", inventory.toString(), playbook.toString(), "--journal", journal.toString());

        assertEquals(0, first.code(), first.out());
        List<String> lines = first.out().lines().toList();
        assertEquals("journal: " + journal + " (continue an interrupted run with: hyperform play --resume " + journal + ")",
                lines.get(lines.size() - 1));
        List<String> written = Files.readAllLines(journal);
        assertEquals(4, written.size(), "run, two finished batches, end: " + written);
        assertTrue(written.get(1).contains("\"batch\":1,\"hosts\":[\"h1\"]"), written.get(1));
        assertTrue(written.get(3).contains("\"exit_code\":0"), written.get(3));

        // -i and the playbook come from the journal when --resume names neither
        CliRun again = CliRun.of("play", "--resume", journal.toString());

        assertEquals(ExitCode.OK, again.code(), again.out());
        assertEquals("nothing to do: the run of journal " + journal + " finished without failures; start a new run"
                + " without --resume to run the playbook again", again.out().strip());
        assertEquals(written, Files.readAllLines(journal), "a run with nothing to do leaves the journal as it was");
    }

    @Test
    void differentLimitIsRefusedSayingWhatDiffers() throws Exception {
        Path inventory = Files.writeString(dir.resolve("hosts.ini"), "[g]\nh1\nh2\n[g:vars]\nansible_connection=local\n");
        Path playbook = Files.writeString(dir.resolve("play.yaml"), "- hosts: g\n  gather_facts: false\n  tasks:\n    - meta: noop\n");
        Path journal = dir.resolve("run.jsonl");
        CliRun.of("play", "-i", inventory.toString(), playbook.toString(), "--journal", journal.toString(), "-l", "h1");

        CliRun resumed = CliRun.of("play", "-i", inventory.toString(), playbook.toString(), "--resume", journal.toString());

        assertEquals(ExitCode.INVALID_INPUT, resumed.code(), resumed.out());
        assertTrue(resumed.err().contains("cannot resume the run of journal " + journal + ": --limit differs: the journal has"
                + " 'h1', now none"), resumed.err());
    }

    /**
     * A new run's journal is written from the run's start, beside the reading of the playbook and the inventory: a
     * run that cannot start leaves none behind.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "a playbook that does not parse | '- hosts: g\n  tasks: [' | '[g]\nh1 ansible_connection=local\n'",
            "an unknown module | '- hosts: g\n  tasks:\n    - no_such_module: {}\n' | '[g]\nh1 ansible_connection=local\n'",
            "an inventory that does not parse | '- hosts: g\n  tasks: []\n' | '[g\nh1\n'"})
    void aRunThatCannotStartLeavesNoJournal(String what, String playbookText, String inventoryText) throws Exception {
        Path inventory = Files.writeString(dir.resolve("hosts.ini"), inventoryText.replace("\\n", "\n"));
        Path playbook = Files.writeString(dir.resolve("play.yaml"), playbookText.replace("\\n", "\n"));
        Path journal = dir.resolve("j/run.jsonl");

        CliRun r = CliRun.of("play", "-i", inventory.toString(), playbook.toString(), "--journal", journal.toString());

        assertEquals(ExitCode.INVALID_INPUT, r.code(), r.out() + r.err());
        assertTrue(Files.notExists(journal), what + ": no journal of a run that did not start");
    }

    @Test
    void anExtraVariableWithANullValueRunsAndIsInTheJournal() throws Exception {
        Path playbook = Files.writeString(dir.resolve("play.yaml"), """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - meta: noop
                """);
        Path journal = dir.resolve("j/run.jsonl");

        CliRun r = CliRun.of("play", "-i", "localhost,", playbook.toString(), "-e", "{\"x\": null}", "--journal",
                journal.toString());

        assertEquals(ExitCode.OK, r.code(), r.out() + r.err());
        assertTrue(Files.readAllLines(journal).get(0).contains("\"extraVars\":{\"x\":"), "the journal names x");
    }
}
