package dev.hyperform.modules.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.Location;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.modules.commands.CommandModule;
import dev.hyperform.modules.system.MountModule;
import dev.hyperform.modules.system.SysctlModule;
import dev.hyperform.modules.testing.LocalShellTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every module owes its users, run for real on this machine inside a temp directory: check mode
 * changes nothing and lists exactly the commands the real run then executes; the real run changes; a second run
 * changes nothing; the resulting state is what the arguments say. ($D in an argument is the temp directory.)
 */
class ModuleContractTest {

    public record Case(String name, Module module, Map<String, Object> args, Consumer<Path> setup, BiConsumer<Path, String> verify) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A task with nothing to change costs one round trip (its probes go out as one command), except: mount reads
     * fstab and the live mount table with two probes; git asks the checkout and then the remote.
     */
    static final Map<String, Integer> ROUND_TRIPS = Map.of("mount present edits fstab only", 2, "git clone of a tag", 2,
            // following a link: the link, where it points, then the file there
            "copy with follow: yes writes through the symlink", 3);

    static Stream<Arguments> cases() {
        return Stream.of(
                c("copy creates with mode", new CopyModule(), Map.of("content", "a=1\n", "dest", "$D/a.conf", "mode", "0640"), d -> { },
                        (d, t) -> { assertEquals("a=1\n", read(d, "a.conf")); assertEquals("rw-r-----", perms(d, "a.conf")); }),
                c("copy replaces content", new CopyModule(), Map.of("content", "new\n", "dest", "$D/b.conf"), d -> write(d, "b.conf", "old\n"),
                        (d, t) -> assertEquals("new\n", read(d, "b.conf"))),
                c("copy backup keeps the old file", new CopyModule(), Map.of("content", "v2\n", "dest", "$D/c.conf", "backup", true),
                        d -> write(d, "c.conf", "v1\n"), (d, t) -> assertEquals(1L, count(d, "c.conf.*~"))),
                c("copy onto a symlink replaces the link (follow: no, as in Ansible)", new CopyModule(),
                        Map.of("content", "new\n", "dest", "$D/cur.conf"), d -> { write(d, "v1.conf", "old\n"); link(d, "cur.conf", "v1.conf"); },
                        (d, t) -> { assertFalse(Files.isSymbolicLink(d.resolve("cur.conf"))); assertEquals("new\n", read(d, "cur.conf"));
                            assertEquals("old\n", read(d, "v1.conf"), "what the link pointed to is left alone"); }),
                c("copy with follow: yes writes through the symlink", new CopyModule(),
                        Map.of("content", "new\n", "dest", "$D/cur2.conf", "follow", true),
                        d -> { write(d, "v2.conf", "old\n"); link(d, "cur2.conf", "v2.conf"); },
                        (d, t) -> { assertTrue(Files.isSymbolicLink(d.resolve("cur2.conf"))); assertEquals("new\n", read(d, "v2.conf")); }),
                c("file directory", new FileModule(), Map.of("path", "$D/x/y", "state", "directory", "mode", "0750"), d -> { },
                        (d, t) -> { assertTrue(Files.isDirectory(d.resolve("x/y"))); assertEquals("rwxr-x---", perms(d, "x/y")); }),
                c("file absent", new FileModule(), Map.of("path", "$D/gone", "state", "absent"), d -> write(d, "gone", "x"),
                        (d, t) -> assertFalse(Files.exists(d.resolve("gone")))),
                c("file link", new FileModule(), Map.of("path", "$D/l", "src", "$D/target", "state", "link"), d -> write(d, "target", "t"),
                        (d, t) -> assertTrue(Files.isSymbolicLink(d.resolve("l")))),
                c("file mode of existing", new FileModule(), Map.of("path", "$D/m", "mode", "u+x,go-r"), d -> { write(d, "m", "x"); chmod(d, "m", "rw-r--r--"); },
                        (d, t) -> assertEquals("rwx------", perms(d, "m"))),
                c("lineinfile replaces by regexp", new LineInFileModule(),
                        Map.of("path", "$D/q.conf", "regexp", "^#?cgroup_controllers", "line", "cgroup_controllers = [ ]"),
                        d -> write(d, "q.conf", "user = \"root\"\n#cgroup_controllers = [ \"cpu\" ]\nother\n"),
                        (d, t) -> assertEquals("user = \"root\"\ncgroup_controllers = [ ]\nother\n", read(d, "q.conf"))),
                c("lineinfile appends", new LineInFileModule(), Map.of("path", "$D/r.conf", "line", "b=2"), d -> write(d, "r.conf", "a=1\n"),
                        (d, t) -> assertEquals("a=1\nb=2\n", read(d, "r.conf"))),
                c("lineinfile insertbefore BOF with create", new LineInFileModule(),
                        Map.of("path", "$D/s.conf", "line", "# header", "insertbefore", "BOF", "create", true), d -> { },
                        (d, t) -> assertEquals("# header\n", read(d, "s.conf"))),
                c("lineinfile absent", new LineInFileModule(), Map.of("path", "$D/u.conf", "regexp", "^bad", "state", "absent"),
                        d -> write(d, "u.conf", "good\nbad=1\nbad=2\n"), (d, t) -> assertEquals("good\n", read(d, "u.conf"))),
                c("lineinfile backrefs", new LineInFileModule(),
                        Map.of("path", "$D/v.conf", "regexp", "^(GRUB_CMDLINE=\")((?!.*intel_iommu=on).*)\"$", "line", "\\1\\2 intel_iommu=on\"", "backrefs", true),
                        d -> write(d, "v.conf", "GRUB_CMDLINE=\"quiet\"\n"),
                        (d, t) -> assertEquals("GRUB_CMDLINE=\"quiet intel_iommu=on\"\n", read(d, "v.conf"))),
                c("sysctl file only", new SysctlModule(), Map.of("name", "vm.nr_hugepages", "value", "64", "sysctl_file", "$D/80.conf",
                        "sysctl_set", false), d -> write(d, "80.conf", "kernel.x = 1\nvm.nr_hugepages = 8\n"),
                        (d, t) -> assertEquals("kernel.x = 1\nvm.nr_hugepages = 64\n", read(d, "80.conf"))),
                c("mount present edits fstab only", new MountModule(), Map.of("path", "/dev/hugepages1G", "src", "nodev", "fstype", "hugetlbfs",
                        "opts", "pagesize=1G", "state", "present", "fstab", "$D/fstab"), d -> write(d, "fstab", "# fstab\nUUID=1 / ext4 defaults 0 1\n"),
                        (d, t) -> assertEquals("# fstab\nUUID=1 / ext4 defaults 0 1\nnodev /dev/hugepages1G hugetlbfs pagesize=1G 0 0\n", read(d, "fstab"))),
                c("blockinfile inserts a block", new BlockInFileModule(), Map.of("path", "$D/qemu.conf", "block", "user = \"root\"\ngroup = \"root\"\n"),
                        d -> write(d, "qemu.conf", "# top\n"),
                        (d, t) -> assertEquals("# top\n# BEGIN ANSIBLE MANAGED BLOCK\nuser = \"root\"\ngroup = \"root\"\n# END ANSIBLE MANAGED BLOCK\n",
                                read(d, "qemu.conf"))),
                c("blockinfile takes over a block with the former default marker", new BlockInFileModule(),
                        Map.of("path", "$D/b2", "block", "new"),
                        d -> write(d, "b2", "a\n# BEGIN HYPERFORM MANAGED BLOCK\nold\n# END HYPERFORM MANAGED BLOCK\nz\n"),
                        (d, t) -> assertEquals("a\n# BEGIN ANSIBLE MANAGED BLOCK\nnew\n# END ANSIBLE MANAGED BLOCK\nz\n", read(d, "b2"))),
                c("command with creates runs once", new CommandModule(), Map.of("cmd", "touch $D/made", "creates", "$D/made"), d -> { },
                        (d, t) -> assertTrue(Files.exists(d.resolve("made")))));
    }

    static Arguments c(String name, Module m, Map<String, Object> args, Consumer<Path> setup, BiConsumer<Path, String> verify) {
        return Arguments.of(new Case(name, m, args, setup, verify));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void checkIsExactApplyChangesAndSecondRunIsIdempotent(Case c, @TempDir Path dir) throws Exception {
        holds(c, dir);
    }

    /** The contract, for any case: used by other module suites too. */
    static void holds(Case c, Path dir) throws Exception {
        c.setup().accept(dir);
        Map<String, Object> raw = new HashMap<>();
        c.args().forEach((k, v) -> raw.put(k, v instanceof String s ? s.replace("$D", dir.toString()) : v));
        Args args = c.module().spec().validate(c.module().name(), raw, Location.UNKNOWN);
        String before = snapshot(dir);

        LocalShellTarget check = new LocalShellTarget(dir, true);
        Change planned = c.module().plan(check, args);
        assertEquals(before, snapshot(dir), "check mode changed the target");
        assertFalse(planned.isNone(), "check mode must report the change");

        LocalShellTarget real = new LocalShellTarget(dir, false);
        Change change = c.module().plan(real, args);
        ModuleResult r = c.module().apply(real, args, change);
        assertTrue(r.changed() && !r.failed(), r.message());
        assertEquals(planned.commands().stream().map(Command::display).toList(), real.runs.stream().map(Command::display).toList(),
                "the real run executed exactly what check mode reported");
        c.verify().accept(dir, r.message());

        LocalShellTarget second = new LocalShellTarget(dir, true);
        Change again = c.module().plan(second, args);
        assertTrue(again.isNone(), "second run must change nothing, but plans: " + again.commands());
        assertEquals(ROUND_TRIPS.getOrDefault(c.name(), 1), second.probes.size(), "round trips of a task with nothing to "
                + "change; probed: " + second.probes.stream().map(Command::display).toList());
    }

    static void link(Path d, String name, String target) {
        try {
            Files.createSymbolicLink(d.resolve(name), Path.of(target));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String snapshot(Path dir) throws Exception {
        StringBuilder s = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted().toList()) {
                s.append(dir.relativize(p)).append(' ');
                if (Files.isSymbolicLink(p)) {
                    s.append("-> ").append(Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p)) {
                    s.append(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).append(' ')
                            .append(FileWrite.sha256(Files.readAllBytes(p)));
                } else {
                    s.append(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
                }
                s.append('\n');
            }
        }
        return s.toString();
    }

    static String read(Path d, String f) {
        try {
            return Files.readString(d.resolve(f));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void write(Path d, String f, String text) {
        try {
            Files.writeString(d.resolve(f), text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void chmod(Path d, String f, String perms) {
        try {
            Files.setPosixFilePermissions(d.resolve(f), PosixFilePermissions.fromString(perms));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String perms(Path d, String f) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(d.resolve(f)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static long count(Path d, String glob) {
        try (var s = Files.newDirectoryStream(d, glob)) {
            long n = 0;
            for (Path ignored : s) {
                n++;
            }
            return n;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

}
