package dev.hyperform.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import dev.hyperform.error.HyperformException;
import dev.hyperform.journal.RunFingerprint;
import dev.hyperform.journal.RunJournal;
import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.module.Target;
import dev.hyperform.output.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --resume}: a rolling ({@code serial: 1}) run that stopped at a failing host continues there and never
 * touches the hosts its journal shows finished; a resumed run that is not the same run is refused.
 */
class ResumeTest {
    private static final String HOSTS = "[nodes]\nn1\nn2\nn3\n[nodes:vars]\nansible_connection=local\n";
    private static final String ROLLING = """
            - name: rolling upgrade
              hosts: nodes
              serial: 1
              gather_facts: false
              roles: [upgrade]
              tasks:
                - name: upgrade
                  upgrade_node: {broken_dir: BROKEN}
                - name: check
                  t: {}
            """;

    @TempDir
    Path tmp;

    /** A double of a node that cannot be upgraded while a marker file named after it exists in {@code broken_dir}. */
    static class BrokenNodeDouble implements Module {
        @Override
        public String name() {
            return "upgrade_node";
        }

        @Override
        public ArgSpec spec() {
            return ArgSpec.builder("test double: fails on a host while BROKEN_DIR/HOST exists")
                    .arg(ArgDef.required("broken_dir", ArgType.STRING, "directory of marker files")).build();
        }

        @Override
        public Change plan(Target target, Args args) {
            return Change.of("upgrade", Command.of("true"));
        }

        @Override
        public ModuleResult apply(Target target, Args args, Change change) {
            if (Files.exists(Path.of(args.string("broken_dir")).resolve(target.host()))) {
                return new ModuleResult(false, true, "node " + target.host() + " is broken", Map.of(), List.of());
            }
            return ModuleResult.changed("upgraded", Map.of(), List.of());
        }
    }

    private Path dir() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("site"));
        Files.createDirectories(dir.resolve("roles/upgrade/tasks"));
        if (!Files.exists(dir.resolve("roles/upgrade/tasks/main.yml"))) {
            Files.writeString(dir.resolve("roles/upgrade/tasks/main.yml"), "- name: drain\n  t: {}\n");
        }
        Files.createDirectories(tmp.resolve("broken"));
        return dir;
    }

    private String playbook() {
        return ROLLING.replace("BROKEN", tmp.resolve("broken").toString());
    }

    private Path journalFile() {
        return tmp.resolve("site/.hyperform/journal/run.jsonl");
    }

    private RunJournal journal(Path dir, String playbook, Map<String, Object> extra, boolean resume) throws Exception {
        Files.writeString(dir.resolve("hosts.ini"), HOSTS);
        Files.writeString(dir.resolve("play.yaml"), playbook);
        RunFingerprint now = RunFingerprint.of(List.of(dir.resolve("play.yaml")), List.of(dir.resolve("hosts.ini").toString()),
                null, List.of(), List.of(), false, extra, journalFile());
        return resume ? RunJournal.resume(journalFile(), now) : RunJournal.start(journalFile(), now);
    }

    private RunHarness run(Path dir, RunJournal journal) throws Exception {
        return RunHarness.run(dir, HOSTS, playbook(), RunOptions.defaults(), List.of(new BrokenNodeDouble()), journal);
    }

    /** First run: n2 is broken, so the rollout stops after n1 (serial: 1, the failed batch ends the play). */
    private RunHarness interruptedAtN2(Path dir) throws Exception {
        Files.writeString(tmp.resolve("broken/n2"), "");
        RunHarness first = run(dir, journal(dir, playbook(), Map.of(), false));
        assertEquals(ExitCode.TASK_FAILED, first.exitCode);
        assertEquals(List.of(List.of("n1"), List.of("n2")), first.batches(), "the rollout stopped at n2");
        return first;
    }

    @Test
    void resumedRollingRunStartsAtTheFirstHostNotFinishedAndNeverTouchesTheFinishedOnes() throws Exception {
        Path dir = dir();
        interruptedAtN2(dir);
        Files.delete(tmp.resolve("broken/n2"));

        RunHarness resumed = run(dir, journal(dir, playbook(), Map.of(), true));

        assertEquals(ExitCode.OK, resumed.exitCode, String.join("\n", resumed.results()));
        assertEquals(List.of(List.of("n2"), List.of("n3")), resumed.batches(), "resumed at n2, then n3");
        assertTrue(resumed.events.stream().noneMatch(e -> e instanceof Event.HostResult r && r.host().equals("n1")),
                "n1 is never touched again: " + resumed.results());
        assertEquals(List.of("n2", "n3"), List.copyOf(resumed.recap().keySet()), "n1 is not in the resumed run's recap");
        assertEquals(List.of("upgrade : drain n2 ok", "upgrade n2 changed", "check n2 ok",
                "upgrade : drain n3 ok", "upgrade n3 changed", "check n3 ok"), resumed.results());
        assertTrue(warnings(resumed).contains("resume: play 'rolling upgrade': n1 finished in the journal, skipped"),
                "one line for the play: " + warnings(resumed));
    }

    @Test
    void finishedRunResumedHasNothingLeftAndFinishedPlaysAreSkippedWhole() throws Exception {
        Path dir = dir();
        RunHarness first = run(dir, journal(dir, playbook(), Map.of(), false));
        assertEquals(ExitCode.OK, first.exitCode, String.join("\n", first.results()));

        RunJournal again = journal(dir, playbook(), Map.of(), true);

        assertTrue(again.nothingLeft(), "the journal shows the run ended without failure");
        RunHarness forced = run(dir, again);
        assertEquals(List.of(), forced.results(), "no host is touched");
        assertTrue(warnings(forced).contains("resume: play 'rolling upgrade': all 3 hosts finished in the journal, skipped: n1, n2, n3"),
                warnings(forced).toString());
    }

    @Test
    void interruptedRunIsNotFinished() throws Exception {
        Path dir = dir();
        interruptedAtN2(dir);
        assertFalse(journal(dir, playbook(), Map.of(), true).nothingLeft());
    }

    @Test
    void changedRoleFileIsRefusedWithTheFileNamed() throws Exception {
        Path dir = dir();
        interruptedAtN2(dir);
        Path role = dir.resolve("roles/upgrade/tasks/main.yml");
        Files.writeString(role, "- name: drain\n  t: {change: true}\n");

        HyperformException e = assertThrows(HyperformException.class, () -> journal(dir, playbook(), Map.of(), true));

        assertTrue(e.getMessage().contains("playbook files changed since the journal was written: " + role.toAbsolutePath()
                + " (changed)"), e.getMessage());
    }

    @Test
    void changedPlaybookIsRefusedWithTheFileNamed() throws Exception {
        Path dir = dir();
        interruptedAtN2(dir);

        HyperformException e = assertThrows(HyperformException.class,
                () -> journal(dir, playbook().replace("serial: 1", "serial: 2"), Map.of(), true));

        assertTrue(e.getMessage().contains(dir.resolve("play.yaml").toAbsolutePath() + " (changed)"), e.getMessage());
    }

    @Test
    void changedInventoryIsRefused() throws Exception {
        Path dir = dir();
        interruptedAtN2(dir);
        Files.createDirectories(dir.resolve("group_vars"));
        Path groupVars = dir.resolve("group_vars/nodes.yml");
        Files.writeString(groupVars, "version: 2\n");

        HyperformException e = assertThrows(HyperformException.class, () -> journal(dir, playbook(), Map.of(), true));

        assertTrue(e.getMessage().contains("the inventory changed since the journal was written: " + groupVars.toAbsolutePath()
                + " (new)"), e.getMessage());
    }

    @Test
    void differentExtraVarsAreRefusedNamingTheVariableNotItsValue() throws Exception {
        Path dir = dir();
        Files.writeString(tmp.resolve("broken/n2"), "");
        run(dir, journal(dir, playbook(), Map.of("spdk_version", "24.01"), false));

        HyperformException e = assertThrows(HyperformException.class,
                () -> journal(dir, playbook(), Map.of("spdk_version", "24.05"), true));

        assertTrue(e.getMessage().contains("extra vars (-e) differ: spdk_version (changed)"), e.getMessage());
        assertFalse(e.getMessage().contains("24.0"), "values stay out of the message and the journal");
        assertFalse(Files.readString(journalFile()).contains("24.01"), "the journal holds digests of -e, not values");
    }

    @Test
    void tornLastLineOfAKilledRunIsIgnored() throws Exception {
        Path dir = dir();
        interruptedAtN2(dir);
        Files.writeString(journalFile(), "{\"type\":\"finished\",\"play\":0,\"hos", java.nio.file.StandardOpenOption.APPEND);
        Files.delete(tmp.resolve("broken/n2"));

        RunHarness resumed = run(dir, journal(dir, playbook(), Map.of(), true));

        assertEquals(List.of(List.of("n2"), List.of("n3")), resumed.batches());
        assertTrue(journal(dir, playbook(), Map.of(), true).nothingLeft(),
                "the journal stays readable after the resumed run appended to it, and shows it finished");
    }

    @Test
    void hostInterruptedMidBatchIsNotFinishedAndTheResumedRunStartsWithIt() throws Exception {
        Path dir = dir();
        // Ctrl-C while n2 is being upgraded: the interrupt flag is raised from inside n2's upgrade task
        Files.writeString(tmp.resolve("broken/n2"), "");
        java.util.concurrent.atomic.AtomicReference<PlaybookRunner> runner = new java.util.concurrent.atomic.AtomicReference<>();
        Module interruptingDouble = new BrokenNodeDouble() {
            @Override
            public ModuleResult apply(Target target, Args args, Change change) {
                if (target.host().equals("n2")) {
                    runner.get().interrupt();
                    return ModuleResult.changed("upgraded, then Ctrl-C", Map.of(), List.of());
                }
                return super.apply(target, args, change);
            }
        };
        RunHarness first = RunHarness.run(dir, HOSTS, playbook(), RunOptions.defaults(), List.of(interruptingDouble),
                journal(dir, playbook(), Map.of(), false), runner::set);
        assertEquals(ExitCode.INTERRUPTED, first.exitCode);
        assertTrue(Files.readString(journalFile()).contains("\"interrupted\":true"), "the journal records the interrupt");
        Files.delete(tmp.resolve("broken/n2"));

        RunHarness resumed = run(dir, journal(dir, playbook(), Map.of(), true));

        assertEquals(List.of(List.of("n2"), List.of("n3")), resumed.batches(), "n2 did not finish its batch: it runs again");
    }

    private static List<String> warnings(RunHarness h) {
        return h.events.stream().filter(e -> e instanceof Event.Warning).map(e -> ((Event.Warning) e).message()).toList();
    }
}
