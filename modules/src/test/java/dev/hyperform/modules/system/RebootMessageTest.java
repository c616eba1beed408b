package dev.hyperform.modules.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.Location;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.modules.testing.LocalShellTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reboot's {@code msg} reaches logged-in users and the journal: the reboot command, run with test doubles of
 * {@code wall} and {@code systemctl} first on PATH (they record their arguments and reboot nothing), broadcasts the
 * message and passes it to {@code systemctl reboot --message}. The real reboot runs in ModulesLabTest.
 */
class RebootMessageTest {

    @Test
    void msgIsBroadcastAndGivenToSystemdAsTheReason(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : new String[] {"wall", "systemctl", "reboot"}) {
            Path f = bin.resolve(tool);
            // written aside and renamed: the test reads the file as soon as it exists
            Path out = dir.resolve(tool + ".args");
            Files.writeString(f, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > " + out + ".part && mv " + out + ".part " + out + "\n");
            f.toFile().setExecutable(true);
        }
        RebootModule reboot = new RebootModule();
        Args args = reboot.spec().validate("reboot", Map.of("msg", "hugepages: rebooting for 1 GiB pages; it's planned"),
                Location.UNKNOWN);
        Change c = reboot.plan(new LocalShellTarget(dir, false), args);
        ProcessBuilder pb = new ProcessBuilder(c.commands().get(0).argv());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        Path systemctl = dir.resolve("systemctl.args");
        for (int i = 0; i < 50 && !Files.exists(systemctl); i++) {
            Thread.sleep(100);
        }
        assertEquals("hugepages: rebooting for 1 GiB pages; it's planned\n", Files.readString(dir.resolve("wall.args")));
        assertEquals("reboot\n--message=hugepages: rebooting for 1 GiB pages; it's planned\n", Files.readString(systemctl));
    }
}
