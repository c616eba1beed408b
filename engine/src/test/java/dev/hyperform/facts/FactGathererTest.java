package dev.hyperform.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.transport.LocalTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Facts gathered from this machine through the local transport equal what the machine reports itself. */
class FactGathererTest {
    private static final Map<String, Object> FACTS = new FactGatherer().gather(new LocalTransport("localhost"));

    @SuppressWarnings("unchecked")
    private static Object at(String path) {
        Object v = FACTS;
        for (String k : path.split("\\.")) {
            v = ((Map<String, Object>) v).get(k);
        }
        return v;
    }

    @Test
    void cpuCountEqualsAvailableProcessorsOfTheMachine() throws Exception {
        long processors = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor")).count();
        assertEquals(processors, at("cpu.count"));
    }

    @Test
    void hugepagesEqualProcMeminfo() throws Exception {
        long total = meminfo("HugePages_Total");
        long sizeKb = meminfo("Hugepagesize");
        assertEquals(sizeKb, at("hugepages.default_size_kb"));
        assertEquals(total, at("hugepages.sizes." + sizeKb + ".total"));
    }

    @Test
    void memoryAndDistroAndKernelArePresent() throws Exception {
        assertEquals(meminfo("MemTotal"), at("memory.total_kb"));
        assertEquals(System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch"), at("architecture"));
        String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        assertEquals(release, at("kernel.release"));
        assertNotNull(at("distro.id"));
        assertTrue(at("cpu.flags") instanceof List<?>);
        assertTrue(List.of("vmx", "svm", "none").contains(at("cpu.virtualization")));
    }

    private static long meminfo(String key) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (l.startsWith(key + ":")) {
                return Long.parseLong(l.split("\\s+")[1]);
            }
        }
        throw new IllegalStateException(key);
    }
}
