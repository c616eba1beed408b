package dev.hyperform.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.cli.SyntaxCheckCommand;
import dev.hyperform.error.ExitCode;
import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Each broken fixture under {@code playbook/errors/} fails with INVALID_INPUT at the right file:line with a
 * message saying what is wrong, both from the loader and from {@code hyperform syntax-check} (exit code 4).
 */
class PlaybookErrorsTest {
    static final Path DIR = Path.of("src/test/resources/playbook/errors");

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("malformed.yml", "malformed.yml:6:6", "malformed YAML: this line does not line up"),
                Arguments.of("duplicate_key.yml", "duplicate_key.yml:5:7", "duplicate key 'name' (first at line 3, again at line 5)"),
                Arguments.of("unknown_play_keyword.yml", "unknown_play_keyword.yml:2:3", "unknown play keyword 'hots'|did you mean 'hosts'?"),
                Arguments.of("unknown_task_keyword.yml", "unknown_task_keyword.yml:5:7", "unknown task keyword 'whn'|did you mean 'when'?"),
                Arguments.of("unknown_block_keyword.yml", "unknown_block_keyword.yml:5:7", "a block cannot loop ('loop')"),
                Arguments.of("unknown_role_keyword.yml", "unknown_role_keyword.yml:4:7", "unknown role keyword 'wehn'|did you mean 'when'?"),
                Arguments.of("two_modules.yml", "two_modules.yml:5:7", "one task, several modules: copy, debug"),
                Arguments.of("unknown_module.yml", "unknown_module.yml:4:7", "unknown module 'comand'|did you mean module 'command'?"),
                Arguments.of("wrong_arg_type.yml", "wrong_arg_type.yml:4:7", "argument 'backup' must be a boolean"),
                Arguments.of("unknown_arg.yml", "unknown_arg.yml:4:7", "module 'copy' has no argument 'destination'"),
                Arguments.of("missing_arg.yml", "missing_arg.yml:4:7", "module 'copy' needs argument 'dest'"),
                Arguments.of("missing_role.yml", "missing_role.yml:4:7", "role 'nothere' not found; searched:|"
                        + DIR.resolve("roles/nothere") + "|" + DIR.resolve("nothere")),
                Arguments.of("missing_import.yml", "missing_import.yml:4:7", "task file not found: " + DIR.resolve("tasks/nothere.yml")),
                Arguments.of("missing_import_playbook.yml", "missing_import_playbook.yml:1:3", "imported playbook not found"),
                Arguments.of("missing_include.yml", "missing_include.yml:3:7", "task file not found: " + DIR.resolve("tasks/gone.yml")),
                Arguments.of("bad_meta.yml", "bad_meta.yml:3:7", "'meta: flush' is not a meta action|did you mean 'flush_handlers'?"),
                Arguments.of("import_cycle.yml", "tasks/loop_b.yml:1:3", "import cycle: loop_a.yml -> loop_b.yml -> loop_a.yml"),
                Arguments.of("error_in_role.yml", "roles/typo/tasks/main.yml:3:3", "unknown task keyword 'nme'|did you mean 'name'?"),
                Arguments.of("template_error.yml", "templates/bad.ftl:", "template syntax error|used by task 'template' at "
                        + DIR.resolve("template_error.yml") + ":3:7"),
                Arguments.of("template_missing.yml", "template_missing.yml:3:7", "template 'nothere.ftl' not found; searched:|"
                        + DIR.resolve("templates/nothere.ftl")),
                Arguments.of("bad_serial.yml", "bad_serial.yml:2:3", "'serial' must be a number, a percentage"),
                Arguments.of("bad_strategy.yml", "bad_strategy.yml:2:3", "'strategy: host_pinned' is not supported"),
                Arguments.of("no_hosts.yml", "no_hosts.yml:1:3", "a play needs 'hosts:'"),
                Arguments.of("unsupported_keyword.yml", "unsupported_keyword.yml:4:7", "'async' is an Ansible keyword hyperform does not support"),
                Arguments.of("two_loops.yml", "two_loops.yml:6:7", "'loop' and 'with_items' in one task"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void loaderNamesFileLineAndProblem(String file, String where, String fragments) {
        PlaybookLoader loader = new PlaybookLoader(TestModules.registry(), List.of(DIR.resolve("extra")));
        HyperformException e = assertThrows(HyperformException.class, () -> new SyntaxChecker(loader).check(DIR.resolve(file)));
        assertEquals(Failure.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(DIR.resolve(where).toString()), e.getMessage());
        for (String f : fragments.split("\\|")) {
            assertTrue(e.getMessage().contains(f), "missing '" + f + "' in: " + e.getMessage());
        }
        if (file.equals("missing_role.yml")) {
            assertTrue(e.getMessage().contains(DIR.resolve("extra/nothere").toString()), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void syntaxCheckExitsFourWithTheLocation(String file, String where, String fragments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new SyntaxCheckCommand(TestModules::registry));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(DIR.resolve(file).toString());
        assertEquals(ExitCode.INVALID_INPUT, rc, err.toString());
        assertTrue(err.toString().startsWith("ERROR: " + DIR.resolve(where)), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void syntaxCheckReportsEachPlaybookAndFailsIfAnyFails() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new SyntaxCheckCommand(TestModules::registry));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        Path ok = Path.of("src/test/resources/playbook/full/other.yml");
        assertEquals(ExitCode.OK, cl.execute(ok.toString()));
        assertEquals("playbook: " + ok + " OK (1 play, 1 task, 0 roles)", out.toString().strip());
        assertEquals(ExitCode.INVALID_INPUT, cl.execute(ok.toString(), DIR.resolve("no_hosts.yml").toString()));
        assertTrue(err.toString().startsWith("ERROR: " + DIR.resolve("no_hosts.yml") + ":1:3: a play needs"), err.toString());
    }
}
