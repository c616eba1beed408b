package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./hyperform} launcher's first build: Maven 3.8 writes colour resets (ESC[0m) even with -B -q; none
 * may reach the user's terminal. Runs the real launcher on a copy of its layout with a stand-in {@code mvn} that
 * prints what Maven prints and "builds" the jar, and a stand-in {@code java}.
 */
class LauncherTest {

    @Test
    void theFirstBuildWritesNoEscapeCodes(@TempDir Path dir) throws Exception {
        Path checkout = dir.resolve("hf");
        for (String d : new String[] {"engine/src/main", "modules/src/main", "dist"}) {
            Files.createDirectories(checkout.resolve(d));
        }
        for (String pom : new String[] {"pom.xml", "engine/pom.xml", "modules/pom.xml", "dist/pom.xml"}) {
            Files.writeString(checkout.resolve(pom), "<project/>\n");
        }
        Files.copy(Lab.home().resolve("hyperform"), checkout.resolve("hyperform"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path mvn = Files.writeString(bin.resolve("mvn"), """
                #!/bin/sh
                printf '\\033[0m\\033[0m'
                printf '\\033[0m\\033[0m' >&2
                mkdir -p dist/target && : > dist/target/hyperform.jar
                """);
        Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\necho java ran\n");
        for (Path tool : new Path[] {mvn, java}) {
            Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        ProcessBuilder pb = new ProcessBuilder("bash", checkout.resolve("hyperform").toString(), "--version")
                .redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("HYPERFORM_CDS", "0");
        pb.environment().put("HYPERFORM_AOT", "0"); // a JDK 24+ under /usr/lib/jvm would bypass the stand-in java
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains("hyperform: building") && text.contains("java ran"), text);
        assertTrue(text.indexOf('\u001b') < 0, "escape codes on the terminal: " + text.replace("\u001b", "ESC"));
    }
}
