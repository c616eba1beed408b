package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code hyperform lab ssh NODE CMD...} as docs/lab.md shows it, in a child JVM (its output is the terminal's):
 * everything after NODE reaches the host, and the host command's exit code comes back.
 */
@Tag("lab")
class LabSshLabTest {

    record Out(int code, String text) {
    }

    static Out hyperform(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "dev.hyperform.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HYPERFORM_HOME", Lab.home().toString());
        pb.environment().put("HYPERFORM_LAB_DIR", Lab.DIR.toString());
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "lab ssh returned within 60 s");
        return new Out(p.exitValue(), text);
    }

    @Test
    void theDocumentedFormsRunOnTheHost() throws Exception {
        Out state = hyperform("lab", "ssh", "node1", "systemctl", "is-system-running");
        assertTrue(state.text().strip().matches("running|degraded"), state.text());

        Out ls = hyperform("lab", "ssh", "node1", "ls", "-l", "/etc/hostname");
        assertEquals(0, ls.code(), ls.text());
        assertTrue(ls.text().matches("(?s)-[-rwx]{9} 1 root root .*/etc/hostname\\s*"), ls.text());

        Out hostname = hyperform("lab", "ssh", "node2", "cat", "/etc/hostname");
        assertEquals("node2", hostname.text().strip());
    }

    @Test
    void theHostCommandsExitCodeComesBack() throws Exception {
        assertEquals(3, hyperform("lab", "ssh", "node1", "exit", "3").code());
        assertEquals(2, hyperform("lab", "ssh", "node1", "exit", "2").code(), "not mapped to hyperform's own codes");
    }
}
