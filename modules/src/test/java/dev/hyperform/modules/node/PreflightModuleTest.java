package dev.hyperform.modules.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.Location;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.ModuleException;
import dev.hyperform.modules.testing.LocalShellTarget;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * node_preflight's findings from a host's facts (given here) and a real {@code df} of the test's directory: each
 * problem fails the task and is named with its detail, every problem at once; hardware findings become warnings on
 * request; a good node passes with the table as its message.
 */
class PreflightModuleTest {
    @TempDir
    Path dir;
    private final PreflightModule module = new PreflightModule();

    private static Map<String, Object> goodFacts() {
        Map<String, Object> f = new HashMap<>();
        f.put("distro", Map.of("id", "debian", "version", "12"));
        f.put("kernel", Map.of("release", "6.1.0-18-amd64"));
        f.put("cpu", Map.of("virtualization", "vmx"));
        f.put("iommu", Map.of("enabled", true, "cmdline", true, "groups", 12L));
        f.put("memory", Map.of("total_mb", 16384L));
        f.put("numa", Map.of("nodes", Map.of("0", Map.of("cpus", "0-7"))));
        return f;
    }

    private Change plan(Map<String, Object> facts, Map<String, Object> raw) {
        LocalShellTarget t = new LocalShellTarget(dir, true);
        t.factsForTest().putAll(facts);
        Map<String, Object> a = new HashMap<>(Map.of("disk_path", dir.toString(), "min_free_disk_gb", 0));
        a.putAll(raw);
        Args args = module.spec().validate("node_preflight", a, Location.UNKNOWN);
        return module.plan(t, args);
    }

    static Stream<Arguments> problems() {
        return Stream.of(
                Arguments.of("distro", Map.of("id", "debian", "version", "11"), Map.of(), "distribution", "debian 11 (supported:"),
                Arguments.of("kernel", Map.of("release", "4.19.0-20-amd64"), Map.of(), "kernel", "4.19.0-20-amd64 (need >= 5.4)"),
                Arguments.of("cpu", Map.of("virtualization", "none"), Map.of(), "cpu virtualization", "no vmx/svm flag"),
                Arguments.of("iommu", Map.of("enabled", false, "cmdline", false, "groups", 0L), Map.of(), "iommu", "add intel_iommu=on"),
                Arguments.of("memory", Map.of("total_mb", 4096L), Map.of("hugepages_mb", 4096), "memory",
                        "4096 MiB (need 6144 = hugepages 4096 + headroom 2048)"),
                Arguments.of("numa", Map.of("nodes", Map.of()), Map.of(), "numa", "no NUMA information in sysfs"),
                Arguments.of("memory", Map.of("total_mb", 16384L), Map.of("min_free_disk_gb", 1_000_000), "disk", "(need 1000000)"));
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("problems")
    void eachProblemFailsAndIsNamedWithItsDetail(String fact, Object value, Map<String, Object> raw, String check, String detail) {
        Map<String, Object> f = goodFacts();
        f.put(fact, value);
        ModuleException e = assertThrows(ModuleException.class, () -> plan(f, raw));
        assertTrue(e.getMessage().startsWith("preflight found 1 problem(s): " + check + "\n"), e.getMessage());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }

    @Test
    void everyProblemIsListedAtOnce() {
        Map<String, Object> f = goodFacts();
        f.put("kernel", Map.of("release", "4.19.0"));
        f.put("cpu", Map.of("virtualization", "none"));
        f.put("memory", Map.of("total_mb", 1024L));
        ModuleException e = assertThrows(ModuleException.class, () -> plan(f, Map.of()));
        assertTrue(e.getMessage().startsWith("preflight found 3 problem(s): kernel, cpu virtualization, memory"), e.getMessage());
    }

    @Test
    void hardwareFindingsBecomeWarningsOnRequest() {
        Map<String, Object> f = goodFacts();
        f.put("cpu", Map.of("virtualization", "none"));
        f.put("iommu", Map.of("enabled", false, "cmdline", false, "groups", 0L));
        f.put("numa", Map.of("nodes", Map.of()));
        Change c = plan(f, Map.of("hardware_warn_only", true));
        assertTrue(c.isNone());
        assertEquals(List.of("cpu virtualization", "iommu", "numa"), c.values().get("warnings"));
        assertTrue(c.summary().contains("cpu virtualization   WARN"), c.summary());
    }

    @Test
    void aGoodNodePassesWithTheTable() {
        Change c = plan(goodFacts(), Map.of("hugepages_mb", 4096));
        assertTrue(c.isNone());
        assertEquals(List.of(), c.values().get("warnings"));
        for (String row : List.of("distribution         ok    debian 12", "kernel               ok    6.1.0-18-amd64",
                "memory               ok    16384 MiB (need 6144", "numa                 ok    1 node(s)")) {
            assertTrue(c.summary().contains(row), row + " in\n" + c.summary());
        }
    }
}
