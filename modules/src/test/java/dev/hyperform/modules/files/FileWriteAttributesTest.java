package dev.hyperform.modules.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.Location;
import dev.hyperform.module.Args;
import dev.hyperform.modules.testing.LocalShellTarget;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A written file gets the mode, owner and group asked for, and keeps those of the file it replaces for what is not
 * asked; it appears in dest's own directory (whatever slashes dest has). The write works that out with one stat and
 * no dirname.
 */
class FileWriteAttributesTest {

    /** dest relative to the test directory, the file there before (mode, or null: none), args, the mode after. */
    record Case(String name, String dest, String before, Map<String, String> args, String after) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("new file, no mode", "d/new.conf", null, Map.of(), "rw-r--r--"),
                new Case("new file, mode", "d/new.conf", null, Map.of("mode", "0600"), "rw-------"),
                new Case("replaced file keeps its mode", "d/old.conf", "rw-r-----", Map.of(), "rw-r-----"),
                new Case("replaced file, mode asked", "d/old.conf", "rw-r-----", Map.of("mode", "0604"), "rw----r--"),
                new Case("owner asked, group kept", "d/old.conf", "rw-------", Map.of("owner", uid()), "rw-------"),
                new Case("group asked, owner kept", "d/old.conf", "rw-------", Map.of("group", gid()), "rw-------"),
                new Case("double slashes", "d//x.conf", "rwx------", Map.of(), "rwx------"),
                new Case("hostile directory name", "it's $(touch CANARY) dir/x.conf", null, Map.of("mode", "0640"), "rw-r-----"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void attributesAreTheAskedOrTheReplacedFiles(Case c, @TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path log = dir.resolve("calls");
        for (String tool : List.of("stat", "dirname", "chown", "chgrp")) {
            Path shim = bin.resolve(tool);
            Files.writeString(shim, "#!/bin/sh\necho " + tool + " >> '" + log + "'\nexec /usr/bin/" + tool + " \"$@\"\n");
            Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path dest = dir.resolve(c.dest());
        Files.createDirectories(dest.getParent());
        if (c.before() != null) {
            Files.writeString(dest, "old\n");
            Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString(c.before()));
        }
        Map<String, Object> raw = new HashMap<>(c.args());
        raw.put("content", "new\n");
        raw.put("dest", dir + "/" + c.dest());
        CopyModule copy = new CopyModule();
        Args args = copy.spec().validate("copy", raw, Location.UNKNOWN);
        LocalShellTarget t = new LocalShellTarget(dir, false, Map.of("PATH", bin + ":" + System.getenv("PATH")));
        Files.deleteIfExists(log);

        assertTrue(copy.apply(t, args, copy.plan(t, args)).changed(), c.toString());

        assertEquals("new\n", Files.readString(dest));
        assertEquals(c.after(), PosixFilePermissions.toString(Files.getPosixFilePermissions(dest)));
        assertEquals(Integer.parseInt(uid()), Files.getAttribute(dest, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(Integer.parseInt(gid()), Files.getAttribute(dest, "unix:gid", LinkOption.NOFOLLOW_LINKS));
        try (Stream<Path> s = Files.list(dest.getParent())) {
            assertEquals(List.of(dest.getFileName().toString()), s.map(p -> p.getFileName().toString()).toList(),
                    "no temp file left beside dest");
        }
        assertFalse(Files.exists(dir.resolve("CANARY")), "an injected command ran");
        List<String> calls = Files.exists(log) ? Files.readAllLines(log) : List.of();
        // the probe's stat, and at most one more for what the replaced file had
        assertFalse(calls.contains("dirname"), calls.toString());
        assertTrue(calls.stream().filter("stat"::equals).count() <= 2, calls.toString());
        assertTrue(calls.stream().filter(x -> x.startsWith("ch")).count() <= 2, calls.toString());
    }

    private static String uid() {
        return id("-u");
    }

    private static String gid() {
        return id("-g");
    }

    private static String id(String flag) {
        try {
            Process p = new ProcessBuilder("id", flag).start();
            return new String(p.getInputStream().readAllBytes()).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
