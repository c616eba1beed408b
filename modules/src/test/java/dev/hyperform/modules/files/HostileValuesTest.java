package dev.hyperform.modules.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.Location;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.modules.commands.CommandModule;
import dev.hyperform.modules.testing.LocalShellTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values with quotes, ;, &&, $(...), backticks, newlines, leading dashes, spaces, globs and unicode arrive literally
 * in files, file names and command arguments, and nothing else runs: a canary file an injected command would
 * create never appears.
 */
class HostileValuesTest {
    @TempDir
    Path dir;

    /**
     * The injections name the canary by a relative path (LocalShellTarget runs every command in {@code dir}), so they
     * are valid file names too: every payload reaches every place a shell could read it.
     */
    static List<String> hostile() {
        return List.of("it's", "a \"quoted\" word", "x; touch CANARY", "$(touch CANARY)", "`touch CANARY`",
                "a && touch CANARY", "-rf", "--help", "* ?", "ünïcödé ✓ 漢字", "$HOME ${HOME}", "back\\slash", "tab\there",
                "| touch CANARY", "> CANARY", "x\ntouch CANARY", "'; touch CANARY; '", "\"; touch CANARY; \"");
    }


    private ModuleResult run(Module m, Map<String, Object> raw) {
        Args a = m.spec().validate(m.name(), raw, Location.UNKNOWN);
        LocalShellTarget t = new LocalShellTarget(dir, false);
        Change c = m.plan(t, a);
        return c.isNone() ? ModuleResult.ok(c.summary(), c.values()) : m.apply(t, a, c);
    }

    private void noCanary() {
        assertFalse(Files.exists(dir.resolve("CANARY")), "an injected command ran");
    }

    @Test
    void copyContentIsExact() throws Exception {
        for (String v : hostile()) {
            String content = v + "\nsecond line with " + v + "\n";
            ModuleResult r = run(new CopyModule(), Map.of("content", content, "dest", dir.resolve("f").toString()));
            assertFalse(r.failed(), r.message());
            assertEquals(content, Files.readString(dir.resolve("f")));
        }
        noCanary();
    }

    @Test
    void fileNamesAreExact() throws Exception {
        for (String v : hostile()) {
            Path p = dir.resolve("n-" + v);
            ModuleResult r = run(new CopyModule(), Map.of("content", "x\n", "dest", p.toString(), "mode", "0600"));
            assertFalse(r.failed(), r.message());
            assertTrue(Files.isRegularFile(p), "created " + p);
            ModuleResult d = run(new FileModule(), Map.of("path", dir.resolve("d-" + v).toString(), "state", "directory"));
            assertFalse(d.failed(), d.message());
            assertTrue(Files.isDirectory(dir.resolve("d-" + v)));
        }
        noCanary();
    }

    @Test
    void lineinfileLinesAreExact() throws Exception {
        Path f = dir.resolve("lines");
        Files.writeString(f, "keep\n");
        StringBuilder want = new StringBuilder("keep\n");
        for (String v : hostile()) {
            ModuleResult r = run(new LineInFileModule(), Map.of("path", f.toString(), "line", v));
            assertFalse(r.failed(), r.message());
            want.append(v).append('\n');
        }
        assertEquals(want.toString(), Files.readString(f));
        noCanary();
    }

    @Test
    void commandArgumentsAreExact() throws Exception {
        for (String v : hostile()) {
            ModuleResult r = run(new CommandModule(), Map.of("argv", List.of("printf", "%s", v)));
            assertEquals(v, r.values().get("stdout"));
        }
        noCanary();
    }

    @Test
    void theTempFileOfAnAtomicWriteLivesInTheDestinationDirectoryAndIsRenamedOver() throws Exception {
        Path f = dir.resolve("atomic.conf");
        Files.writeString(f, "old\n");
        Args a = new CopyModule().spec().validate("copy", Map.of("content", "new\n", "dest", f.toString()), Location.UNKNOWN);
        LocalShellTarget t = new LocalShellTarget(dir, false);
        Change c = new CopyModule().plan(t, a);
        String script = c.commands().get(0).argv().get(2);
        assertTrue(script.contains("mktemp \"$dir/.hyperform."), "temp file in the destination's directory");
        assertTrue(script.indexOf("sync") < script.indexOf("mv -f"), "synced before the rename");
        assertTrue(script.indexOf("chmod") < script.indexOf("mv -f") && script.indexOf("chown") < script.indexOf("mv -f"),
                "mode and owner set before the rename");
        long inode = (long) Files.getAttribute(f, "unix:ino");
        new CopyModule().apply(t, a, c);
        assertEquals("new\n", Files.readString(f));
        assertTrue(inode != (long) Files.getAttribute(f, "unix:ino"), "replaced by rename, not written in place");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.filter(p -> p.getFileName().toString().startsWith(".hyperform.")).count(), "no temp file left behind");
        }
    }

    @Test
    void aFailedValidationLeavesTheOldFileAndNoTempFile() throws Exception {
        Path f = dir.resolve("sudoers");
        Files.writeString(f, "old\n");
        ModuleResult r = run(new CopyModule(), Map.of("content", "broken\n", "dest", f.toString(), "validate", "grep -q valid %s"));
        assertTrue(r.failed());
        assertEquals("old\n", Files.readString(f));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.filter(p -> p.getFileName().toString().startsWith(".hyperform.")).count());
        }
    }
}
