package dev.hyperform.modules.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.Location;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.modules.testing.LocalShellTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sysctl's live path ({@code sysctl -w}), which every other test switches off: a net.* key in a private network
 * namespace made for the test ({@code ip netns exec}; the lab hosts' /proc/sys is read-only and the machine's own
 * value must not change). Check mode plans the write and changes nothing; the real run sets the live value and the
 * file; a second run has nothing to do. Needs root (CI runs as root).
 */
class SysctlLiveTest {
    private static final String KEY = "net.ipv4.ip_default_ttl";
    private final String ns = "hf-sysctl-" + ProcessHandle.current().pid();
    @TempDir
    Path dir;

    private static String sh(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", argv) + ": " + out);
        return out;
    }

    @BeforeEach
    void namespace() throws Exception {
        sh("ip", "netns", "add", ns);
    }

    @AfterEach
    void removeNamespace() throws Exception {
        sh("ip", "netns", "delete", ns);
    }

    @Test
    void theLiveValueIsSetInTheRealRunOnly() throws Exception {
        String machine = Files.readString(Path.of("/proc/sys/net/ipv4/ip_default_ttl")).strip();
        List<String> inNs = List.of("ip", "netns", "exec", ns);
        assertEquals("64", sh("ip", "netns", "exec", ns, "sysctl", "-n", KEY));
        SysctlModule m = new SysctlModule();
        Args a = m.spec().validate("sysctl", Map.of("name", KEY, "value", "65", "sysctl_file", dir.resolve("ttl.conf").toString()),
                Location.UNKNOWN);

        Change planned = m.plan(new LocalShellTarget(dir, true, Map.of(), inNs), a);
        assertTrue(planned.commands().stream().map(Command::display).anyMatch(c -> c.equals("sysctl -w -- " + KEY + "=65")),
                planned.commands().toString());
        assertEquals("64", sh("ip", "netns", "exec", ns, "sysctl", "-n", KEY), "check mode changed nothing");
        assertFalse(Files.exists(dir.resolve("ttl.conf")));

        LocalShellTarget real = new LocalShellTarget(dir, false, Map.of(), inNs);
        ModuleResult r = m.apply(real, a, m.plan(real, a));
        assertTrue(r.changed() && !r.failed(), r.message());
        assertEquals("65", sh("ip", "netns", "exec", ns, "sysctl", "-n", KEY), "the live value");
        assertEquals(KEY + " = 65\n", Files.readString(dir.resolve("ttl.conf")));
        assertTrue(m.plan(new LocalShellTarget(dir, true, Map.of(), inNs), a).isNone(), "second run");
        assertEquals(machine, Files.readString(Path.of("/proc/sys/net/ipv4/ip_default_ttl")).strip(), "the machine's own value");
    }
}
