package dev.hyperform.modules.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.Location;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.modules.testing.LocalShellTarget;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A file write killed half-way leaves the old file as it was (never a torn one); the same write run to the end
 * replaces it, with the requested mode already on the file when it appears under its name.
 */
class AtomicWriteTest {

    @ParameterizedTest(name = "killed with {0}")
    @ValueSource(strings = {"SIGKILL", "SIGTERM"})
    void anInterruptedWriteLeavesTheOldFile(String signal, @TempDir Path dir) throws Exception {
        Path dest = dir.resolve("big.conf");
        Files.writeString(dest, "old content\n");
        byte[] next = new byte[16 * 1024 * 1024];
        Arrays.fill(next, (byte) 'n');
        CopyModule copy = new CopyModule();
        Args args = copy.spec().validate("copy", Map.of("content", new String(next, StandardCharsets.US_ASCII), "dest", dest.toString(),
                "mode", "0600"), Location.UNKNOWN);
        Change change = copy.plan(new LocalShellTarget(dir, false), args);
        Command write = change.commands().get(0);

        Process p = new ProcessBuilder(write.argv()).redirectErrorStream(true).start();
        OutputStream in = p.getOutputStream();
        // no catch here: a writer that dies before it has taken half the content is a failure, not the point
        in.write(next, 0, next.length / 2);
        in.flush();
        waitForTempFile(dir);
        if (signal.equals("SIGKILL")) {
            p.destroyForcibly();
        } else {
            p.destroy();
        }
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertTrue(p.exitValue() > 128, "the writer died of " + signal + " half-way, exit " + p.exitValue());
        try {
            in.close();
        } catch (java.io.IOException brokenPipe) {
            // the writer is dead: that is the point
        }
        assertEquals("old content\n", Files.readString(dest), "the destination is untouched after " + signal);

        LocalShellTarget real = new LocalShellTarget(dir, false);
        Change again = copy.plan(real, args);
        assertTrue(copy.apply(real, args, again).changed());
        assertArrayEquals(next, Files.readAllBytes(dest));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dest)));
    }

    private static void waitForTempFile(Path dir) throws Exception {
        for (int i = 0; i < 200; i++) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.anyMatch(p -> p.getFileName().toString().startsWith(".hyperform.") && p.toFile().length() > 0)) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the write never started its temp file");
    }
}
