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
 * without also running {@code sha256sum}: the checksum of what is read anyway is the controller's. Under bash (the
 * shell session's driver where the target has it) a small file is read by the shell itself, without {@code cat}, and
 * still byte for byte; under sh {@code cat} reads it.
 */
class RemoteFileProbeTest {

    /** name, shell, content, wanted text (empty: not given), whether sha256sum runs, whether cat runs. */
    record Case(String name, String shell, byte[] content, Optional<String> text, boolean sums, boolean cats) {
        @Override
        public String toString() {
            return name + " (" + shell + ")";
        }
    }

    static Stream<Case> cases() {
        byte[] big = new byte[(int) RemoteFile.MAX_TEXT + 1];
        java.util.Arrays.fill(big, (byte) 'x');
        byte[] overSmall = new byte[(int) RemoteFile.SMALL + 1];
        java.util.Arrays.fill(overSmall, (byte) 'y');
        byte[] notUtf8 = {'a', (byte) 0xff, (byte) 0xfe, '\n'};
        String odd = "  lead\\ing\\n\r\n-n -e\t%s $HOME `x`\n\n\n";
        Stream.Builder<Case> all = Stream.builder();
        for (String shell : new String[] {"sh", "bash"}) {
            boolean bash = shell.equals("bash");
            all.add(new Case("text file", shell, bytes("alpha=1\nbeta=2\n"), Optional.of("alpha=1\nbeta=2\n"), false, !bash));
            all.add(new Case("no trailing newline", shell, bytes("a\n\nb"), Optional.of("a\n\nb"), false, !bash));
            all.add(new Case("blanks, backslashes, CR and trailing newlines", shell, bytes(odd), Optional.of(odd), false, !bash));
            all.add(new Case("empty file", shell, new byte[0], Optional.of(""), false, !bash));
            all.add(new Case("unicode", shell, bytes("ünï ✓\n"), Optional.of("ünï ✓\n"), false, !bash));
            all.add(new Case("not UTF-8", shell, notUtf8, Optional.of(new String(notUtf8, StandardCharsets.UTF_8)), false, !bash));
            // bash's read stops at the NUL: the length tells, and cat sends the file
            all.add(new Case("binary", shell, new byte[] {1, 0, 2, (byte) 0xff, '\n'}, Optional.empty(), false, true));
            all.add(new Case("larger than the shell reads itself", shell, overSmall, Optional.of(new String(overSmall, StandardCharsets.UTF_8)), false, true));
            all.add(new Case("larger than MAX_TEXT", shell, big, Optional.empty(), true, false));
        }
        return all.build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A program of that name that records being called in dir/NAME.calls, then runs the real one. */
    private static Path shim(Path bin, String name) throws Exception {
        Path log = bin.getParent().resolve(name + ".calls");
        Path shim = bin.resolve(name);
        Files.writeString(shim, "#!/bin/sh\necho called >> " + log + "\nexec /usr/bin/" + name + " \"$@\"\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        return log;
    }

    /** A file whose name needs quoting, with this content and mode 0640. */
    private static Path file(Path dir, byte[] content) throws Exception {
        Path file = dir.resolve("it's a file; $(x)");
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        return file;
    }

    /** The machine as a target whose programs are looked up in {@code bin} first, run by sh or by bash --posix. */
    private static LocalShellTarget target(Path dir, Path bin, String shell) {
        LocalShellTarget t = new LocalShellTarget(dir, false, Map.of("PATH", bin + ":" + System.getenv("PATH")));
        if (shell.equals("bash")) {
            t.withShell("bash", "--posix", "-c");
        }
        return t;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aTextProbeReportsTheFileAndItsChecksumWithoutSha256sum(Case c, @TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path log = shim(bin, "sha256sum");
        Path cats = shim(bin, "cat");
        Path file = file(dir, c.content());
        LocalShellTarget t = target(dir, bin, c.shell());

        RemoteFile.WithText probed = RemoteFile.probeWithText(t, file.toString());

        RemoteFile f = probed.file();
        assertEquals("file", f.type());
        assertEquals("0640", f.mode());
        assertEquals(c.content().length, f.size());
        assertEquals(FileWrite.sha256(c.content()), f.sha256(), "the checksum of the file as it is");
        assertEquals(c.text(), probed.text());
        assertEquals(c.sums(), Files.exists(log), "sha256sum should run only when the content is not read");
        assertEquals(c.cats(), Files.exists(cats), "cat should run only where the shell does not read the file itself");
        assertEquals(FileWrite.sha256(c.content()), RemoteFile.probe(t, file.toString()).sha256(), "a plain probe sums");
    }

    /** name, shell, content, whether stat runs (and so the mode is known). */
    record Bare(String name, String shell, byte[] content, boolean stats) {
        @Override
        public String toString() {
            return name + " (" + shell + ")";
        }
    }

    static Stream<Bare> bareCases() {
        byte[] overSmall = new byte[(int) RemoteFile.SMALL + 1];
        java.util.Arrays.fill(overSmall, (byte) 'y');
        byte[] atSmall = java.util.Arrays.copyOf(overSmall, (int) RemoteFile.SMALL);
        String odd = "  lead\\ing\\n\r\n-n -e\t%s $HOME `x`\n\n\n";
        return Stream.of(
                new Bare("text file", "bash", bytes("alpha=1\nbeta=2\n"), false),
                new Bare("blanks, backslashes, CR and trailing newlines", "bash", bytes(odd), false),
                new Bare("empty file", "bash", new byte[0], false),
                new Bare("not UTF-8", "bash", new byte[] {'a', (byte) 0xff, (byte) 0xfe, '\n'}, false),
                new Bare("exactly the size the shell reads itself", "bash", atSmall, false),
                new Bare("one byte more", "bash", overSmall, true),
                new Bare("binary", "bash", new byte[] {1, 0, 2, (byte) 0xff, '\n'}, true),
                new Bare("text file", "sh", bytes("alpha=1\n"), true));
    }

    /**
     * A task that sets no mode, owner or group asks for a bare probe: under bash a small text file is read by the
     * shell alone (no stat, no cat), its size and checksum exact and its mode unknown; anything else is probed in
     * full, as before.
     */
    @ParameterizedTest
    @MethodSource("bareCases")
    void aBareProbeOfASmallTextFileStartsNoProgram(Bare c, @TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path stats = shim(bin, "stat");
        Path cats = shim(bin, "cat");
        Path file = file(dir, c.content());
        LocalShellTarget t = target(dir, bin, c.shell());

        RemoteFile.WithText probed = RemoteFile.probeWithText(t, file.toString(), RemoteFile.SMALL, false);

        RemoteFile f = probed.file();
        assertEquals("file", f.type());
        assertEquals(c.stats(), Files.exists(stats), "stat runs only when the shell alone cannot tell");
        assertEquals(c.stats() ? "0640" : null, f.mode());
        assertEquals(c.stats() ? System.getProperty("user.name") : null, f.owner());
        assertEquals(c.content().length, f.size());
        assertEquals(FileWrite.sha256(c.content()), f.sha256());
        boolean text = FileWrite.isText(c.content()) && c.content().length <= RemoteFile.SMALL;
        assertEquals(text ? Optional.of(new String(c.content(), StandardCharsets.UTF_8)) : Optional.empty(), probed.text());
        if (!c.stats()) {
            assertTrue(!Files.exists(cats), "the shell read the file itself");
        }
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
