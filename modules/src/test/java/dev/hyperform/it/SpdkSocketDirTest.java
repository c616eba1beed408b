package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The spdk role's socket directory task (roles/spdk/tasks/socket_dir.yml), run through the whole engine on the local
 * connection: a shared system directory such as /var/tmp is used as it is (its mode 1777 is never changed), a directory
 * of the role's own is created with mode 0755. /var/tmp itself is only run in check mode here, so a broken role cannot
 * damage the machine running the test.
 */
class SpdkSocketDirTest {
    @TempDir
    Path dir;

    static Stream<Arguments> dirs() {
        return Stream.of(
                Arguments.of("/var/tmp (the default), check mode", "/var/tmp", null, true, "1777"),
                Arguments.of("a shared directory of mode 1777", "SHARED", "1777", false, "1777"),
                Arguments.of("the role's own directory", "OWN", null, false, "755"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dirs")
    void sharedDirectoriesKeepTheirModeAndOwnOnesAreCreated(String why, String path, String before, boolean check, String after)
            throws Exception {
        Path target = path.startsWith("/") ? Path.of(path) : dir.resolve(path.toLowerCase());
        if (before != null) {
            Files.createDirectory(target);
            assertEquals(0, new ProcessBuilder("chmod", before, target.toString()).start().waitFor());
        }
        String shared = "[/tmp, /var/tmp, /run, /var/run, /dev/shm" + (path.equals("SHARED") ? ", " + target : "") + "]";
        Files.createSymbolicLink(dir.resolve("roles"), SpdkDoubleHome.roles());
        Path inv = Lab.write(dir, "hosts", "localhost ansible_connection=local\n");
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: localhost
                  gather_facts: false
                  vars:
                    spdk_socket_dir: %s
                    spdk_shared_dirs: %s
                  tasks:
                    - include_role: {name: spdk, tasks_from: socket_dir}
                """.formatted(target, shared));
        String[] args = check ? new String[] {"-i", inv.toString(), pb.toString(), "--check"} : new String[] {"-i", inv.toString(), pb.toString()};
        Lab.Run first = Lab.play(dir, args);
        assertEquals(ExitCode.OK, first.exitCode(), first.console());
        assertEquals(after, mode(target), why);
        if (path.equals("OWN")) {
            assertEquals(1, first.recap("localhost").path("changed").asInt(), "created once: " + first.console());
        } else {
            assertEquals(0, first.recap("localhost").path("changed").asInt(), "a shared directory is never changed: " + first.console());
        }
        Lab.Run second = Lab.play(dir, args);
        assertEquals(0, second.recap("localhost").path("changed").asInt(), "second run: " + second.console());
        assertTrue(Files.isDirectory(target));
    }

    /** The octal mode with the sticky bit, which java.nio does not show. */
    private static String mode(Path p) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%a", p.toString()).start();
        String m = new String(stat.getInputStream().readAllBytes()).strip();
        assertEquals(0, stat.waitFor());
        return m;
    }

    /** The checkout's playbooks/roles. */
    private static final class SpdkDoubleHome {
        static Path roles() {
            for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("playbooks/roles/spdk"))) {
                    return p.resolve("playbooks/roles");
                }
            }
            throw new IllegalStateException("no checkout");
        }
    }
}
