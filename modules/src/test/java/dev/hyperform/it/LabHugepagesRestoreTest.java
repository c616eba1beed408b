package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code lab down} puts the machine's hugepage pool back to its size before {@code up}, but never below the pages
 * others still use or have reserved. Runs the lab script's restore step on a stand-in sysfs directory.
 */
class LabHugepagesRestoreTest {

    static Stream<Arguments> pools() {
        // before up, pool now (nr free resv), expected pool after down
        return Stream.of(
                Arguments.of(0, 64, 64, 0, 0),     // only the lab used it: back to 0
                Arguments.of(0, 262, 64, 0, 198),  // others hold 198 pages: keep them
                Arguments.of(512, 262, 64, 0, 512), // the size before up is larger: back to it
                Arguments.of(0, 10, 10, 3, 3),     // 3 pages reserved by someone's mapping
                Arguments.of(20, 20, 20, 0, 20));  // nothing to do
    }

    @ParameterizedTest(name = "before {0}, now {1}/{2} free/{3} reserved -> {4}")
    @MethodSource("pools")
    void downNeverShrinksBelowPagesInUse(int before, int nr, int free, int resv, int expected, @TempDir Path dir)
            throws Exception {
        Path lab = Files.createDirectories(dir.resolve("lab"));
        Path sysfs = Files.createDirectories(dir.resolve("hugepages-2048kB"));
        Files.writeString(lab.resolve("hugepages.before"), before + "\n");
        Files.writeString(sysfs.resolve("nr_hugepages"), nr + "\n");
        Files.writeString(sysfs.resolve("free_hugepages"), free + "\n");
        Files.writeString(sysfs.resolve("resv_hugepages"), resv + "\n");
        ProcessBuilder pb = new ProcessBuilder("bash", Lab.home().resolve("lab/hyperform-lab").toString(),
                "hugepages-restore").redirectErrorStream(true);
        pb.environment().put("HYPERFORM_LAB_DIR", lab.toString());
        pb.environment().put("HYPERFORM_LAB_HUGEPAGES", sysfs.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), out);
        assertEquals(Integer.toString(expected), Files.readString(sysfs.resolve("nr_hugepages")).strip(), out);
        assertFalse(Files.exists(lab.resolve("hugepages.before")), "the saved size is used once");
    }
}
