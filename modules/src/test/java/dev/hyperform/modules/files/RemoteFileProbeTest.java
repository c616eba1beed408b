package dev.hyperform.modules.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.modules.testing.LocalShellTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What one probe of a path says (type, mode, size, checksum, content), and that a text probe reads the content
 * without also running {@code sha256sum}: the checksum of what is read anyway is the controller's.
 */
class RemoteFileProbeTest {

    /** name, content (null: a directory), wanted text (empty: not given), whether sha256sum runs. */
    record Case(String name, byte[] content, Optional<String> text, boolean sums) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        byte[] big = new byte[(int) RemoteFile.MAX_TEXT + 1];
        java.util.Arrays.fill(big, (byte) 'x');
        return Stream.of(
                new Case("text file", "alpha=1\nbeta=2\n".getBytes(StandardCharsets.UTF_8), Optional.of("alpha=1\nbeta=2\n"), false),
                new Case("no trailing newline", "a\n\nb".getBytes(StandardCharsets.UTF_8), Optional.of("a\n\nb"), false),
                new Case("empty file", new byte[0], Optional.of(""), false),
                new Case("unicode", "ünï ✓\n".getBytes(StandardCharsets.UTF_8), Optional.of("ünï ✓\n"), false),
                new Case("binary", new byte[] {1, 0, 2, (byte) 0xff, '\n'}, Optional.empty(), false),
                new Case("larger than MAX_TEXT", big, Optional.empty(), true));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aTextProbeReportsTheFileAndItsChecksumWithoutSha256sum(Case c, @TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path log = dir.resolve("sha256sum.calls");
        // a sha256sum that records being called, then runs the real one
        Path shim = bin.resolve("sha256sum");
        Files.writeString(shim, "#!/bin/sh\necho called >> " + log + "\nexec /usr/bin/sha256sum \"$@\"\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = dir.resolve("it's a file; $(x)");
        Files.write(file, c.content());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        LocalShellTarget t = new LocalShellTarget(dir, false, Map.of("PATH", bin + ":" + System.getenv("PATH")));

        RemoteFile.WithText probed = RemoteFile.probeWithText(t, file.toString());

        RemoteFile f = probed.file();
        assertEquals("file", f.type());
        assertEquals("0640", f.mode());
        assertEquals(c.content().length, f.size());
        assertEquals(FileWrite.sha256(c.content()), f.sha256(), "the checksum of the file as it is");
        assertEquals(c.text(), probed.text());
        assertEquals(c.sums(), Files.exists(log), "sha256sum should run only when the content is not read");
        assertEquals(FileWrite.sha256(c.content()), RemoteFile.probe(t, file.toString()).sha256(), "a plain probe sums");
    }

    @Test
    void pathsThatAreNotRegularFilesHaveNoTextAndNoChecksum(@TempDir Path dir) throws Exception {
        Path sub = Files.createDirectory(dir.resolve("d"));
        Path link = Files.createSymbolicLink(dir.resolve("l"), sub);
        LocalShellTarget t = new LocalShellTarget(dir, false);
        for (Path p : new Path[] {sub, link, dir.resolve("absent")}) {
            RemoteFile.WithText probed = RemoteFile.probeWithText(t, p.toString());
            assertTrue(probed.text().isEmpty(), p.toString());
            assertEquals(null, probed.file().sha256(), p.toString());
        }
        assertEquals(sub.toString(), RemoteFile.probeWithText(t, link.toString()).file().linkTarget());
        assertEquals("absent", RemoteFile.probeWithText(t, dir.resolve("absent").toString()).file().type());
    }
}
