package dev.hyperform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** {@code hyperform lab ssh NODE [CMD...]}: everything after NODE reaches the host as typed (docs/lab.md's forms). */
class LabSshArgumentsTest {

    static Stream<Arguments> commandLines() {
        return Stream.of(
                Arguments.of(List.of("node1"), List.of("ssh", "node1")),
                Arguments.of(List.of("node1", "systemctl", "is-system-running"),
                        List.of("ssh", "node1", "systemctl", "is-system-running")),
                Arguments.of(List.of("node1", "ls", "-l", "/tmp"), List.of("ssh", "node1", "ls", "-l", "/tmp")),
                Arguments.of(List.of("node2", "journalctl", "--no-pager", "-n", "5"),
                        List.of("ssh", "node2", "journalctl", "--no-pager", "-n", "5")),
                Arguments.of(List.of("node1", "--help"), List.of("ssh", "node1", "--help")),
                Arguments.of(List.of("node1", "--", "-x"), List.of("ssh", "node1", "--", "-x")),
                Arguments.of(List.of("node3", "@file", "a b"), List.of("ssh", "node3", "@file", "a b")));
    }

    @ParameterizedTest(name = "lab ssh {0}")
    @MethodSource("commandLines")
    void everythingAfterTheNodeReachesTheHost(List<String> typed, List<String> scriptArgs) {
        CommandLine cl = Main.commandLine();
        String[] args = Stream.concat(Stream.of("lab", "ssh"), typed.stream()).toArray(String[]::new);
        ParseResult parsed = cl.parseArgs(args);
        LabCommand.Ssh ssh = (LabCommand.Ssh) parsed.subcommand().subcommand().commandSpec().userObject();
        assertEquals(scriptArgs, ssh.scriptArgs());
    }

    @Test
    void helpWorksBeforeTheNode() {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("lab", "ssh", "--help");
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("NODE"), out.toString());
        assertTrue(out.toString().contains("CMD"), out.toString());
    }
}
