package dev.hyperform.transport.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The session's sh driver against hostile output (see {@link ShellSessionContract}), and which driver a host gets. */
class ShellSessionTest extends ShellSessionContract {

    ShellSessionTest() {
        super(ShellSession.Driver.SH);
    }

    /** Which driver a target gets: bash's where bash is on the PATH, sh's elsewhere. */
    @ParameterizedTest(name = "bash on the PATH: {0}")
    @ValueSource(booleans = {true, false})
    void theDriverIsBashWhereThereIsBash(boolean withBash, @TempDir Path bin) throws Exception {
        for (String tool : withBash ? List.of("sh", "bash", "setsid", "readlink") : List.of("sh", "setsid", "readlink")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of(which(tool)));
        }
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", ShellSession.command());
        pb.environment().put("PATH", bin.toString());
        ShellSession s = ShellSession.start(LocalPipe.start(pb), "local");
        try {
            // $$ names the driver in bash's subshell and the command's own sh in sh's driver
            String exe = text(s.run("readlink /proc/$$/exe", new byte[0], Duration.ofSeconds(30)).stdout()).strip();
            assertEquals(withBash ? which("bash") : which("sh"), exe);
        } finally {
            s.close();
        }
    }

    /** A bash before 4.1 (no {@code read -N}, no {@code BASHPID}) hands over to sh's driver. */
    @org.junit.jupiter.api.Test
    void aBashOlderThan41HandsOverToShsDriver(@TempDir Path bin) throws Exception {
        for (String tool : List.of("sh", "setsid", "readlink", "cat")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of(which(tool)));
        }
        // as far as the driver can tell, an old bash: a shell without a BASH_VERSION of 4.1 or later
        Path bash = bin.resolve("bash");
        Files.writeString(bash, "#!" + which("sh") + "\nshift\nexec " + which("sh") + " \"$@\"\n");
        assertEquals(true, bash.toFile().setExecutable(true));
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", ShellSession.command());
        pb.environment().put("PATH", bin.toString());
        ShellSession s = ShellSession.start(LocalPipe.start(pb), "local");
        try {
            ShellSession.Output o = s.run("readlink /proc/$$/exe; printf 'x\\n' | { cat; echo in >&2; }", new byte[0],
                    Duration.ofSeconds(30));
            assertEquals(which("sh") + "\nx\n", text(o.stdout()), "sh's driver runs the line in a sh of its own");
            assertEquals("in\n", text(o.stderr()));
        } finally {
            s.close();
        }
    }

    private static String which(String tool) throws IOException {
        for (String dir : List.of("/usr/bin", "/bin")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p.toRealPath().toString();
            }
        }
        throw new IOException(tool + " not found");
    }

}
