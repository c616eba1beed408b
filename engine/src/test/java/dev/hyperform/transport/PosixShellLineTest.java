package dev.hyperform.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shell session's lines ({@link CommandLine#forPosixShell}) run a module's {@code sh -c SCRIPT sh ARGS} in the
 * command's own shell: what the script sees and returns is the same as with its own {@code sh -c}.
 */
class PosixShellLineTest {

    record Case(String name, List<String> argv, String stdin) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> scripts() {
        String hostile = "it's $(touch CANARY) `touch CANARY`; touch CANARY\nline2 * -rf";
        return Stream.of(
                new Case("positional parameters, hostile", List.of("sh", "-c", "printf '[%s]' \"$#\" \"$@\" \"$0\"", "sh", hostile, "", "-x"), ""),
                new Case("no parameters", List.of("sh", "-c", "echo \"$#:$0\""), ""),
                new Case("exit status and stderr", List.of("sh", "-c", "echo out; echo err >&2; exit 7", "sh"), ""),
                new Case("set -e stops the script", List.of("sh", "-c", "set -e\nfalse\necho not reached", "sh"), ""),
                new Case("EXIT trap runs", List.of("sh", "-c", "trap 'echo trapped' EXIT\necho body", "sh", "a"), ""),
                new Case("stdin reaches the script", List.of("sh", "-c", "cat; echo \"$1\"", "sh", "arg"), "in\nput"),
                new Case("last line a comment", List.of("sh", "-c", "echo x\n# done", "sh"), ""),
                new Case("not a script: argv as is", List.of("printf", "%s|", "a b", "$HOME"), ""));
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void theScriptSeesAndReturnsWhatItsOwnShellWould(Case c, @TempDir Path dir) throws Exception {
        for (boolean cwd : List.of(false, true)) {
            for (boolean sudoLike : List.of(false, true)) {
                ExecRequest r = ExecRequest.of(c.argv()).withStdin(c.stdin().getBytes(StandardCharsets.UTF_8));
                if (cwd) {
                    r = r.withCwd(dir.toString());
                }
                Run own = run(CommandLine.of(r).line(), c.stdin(), dir, sudoLike);
                Run inline = run(CommandLine.forPosixShell(r).line(), c.stdin(), dir, sudoLike);
                assertEquals(own, inline, c + (cwd ? ", with cwd" : "") + (sudoLike ? ", wrapped in sh -c" : ""));
                assertFalse(Files.exists(dir.resolve("CANARY")), "an injected command ran");
            }
        }
    }

    @Test
    void aModuleScriptRunsInTheCommandsShellNotInAFurtherOne() throws Exception {
        ExecRequest r = ExecRequest.of("sh", "-c", "echo $$", "sh", "x");
        String prelude = "echo $$; ";
        List<String> own = run(prelude + CommandLine.of(r).line(), "", null, false).out().lines().toList();
        List<String> inline = run(prelude + CommandLine.forPosixShell(r).line(), "", null, false).out().lines().toList();
        assertNotEquals(own.get(0), own.get(1), "sh -c SCRIPT starts one more shell");
        assertEquals(inline.get(0), inline.get(1), "the script should run in the shell that runs the line");
    }

    @Test
    void anEnvironmentStillGoesThroughEnvAndTheScriptsOwnShell() {
        ExecRequest r = ExecRequest.of("sh", "-c", "echo \"$V\"", "sh").withEnv(java.util.Map.of("V", "a b"));
        assertTrue(CommandLine.forPosixShell(r).line().startsWith("env 'V=a b' sh -c "), CommandLine.forPosixShell(r).line());
    }

    private record Run(int rc, String out, String err) {
    }

    /** Run a line as the session does ({@code sh -c LINE}); sudoLike: inside one more {@code sh -c}, as become does. */
    private static Run run(String line, String stdin, Path dir, boolean sudoLike) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", sudoLike ? "sh -c " + Shell.quote(line) : line));
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out, err);
    }
}
