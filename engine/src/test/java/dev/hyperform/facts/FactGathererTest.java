package dev.hyperform.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.transport.LocalTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
    void memoryKernelArchitectureAndHostnameEqualTheMachine() throws Exception {
        assertEquals(meminfo("MemTotal"), at("memory.total_kb"));
        assertEquals(meminfo("MemTotal") / 1024, at("memory.total_mb"));
        assertEquals(System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch"), at("architecture"));
        assertEquals(read("/proc/sys/kernel/osrelease"), at("kernel.release"));
        assertEquals(read("/proc/cmdline"), at("kernel.cmdline"));
        assertEquals(read("/proc/sys/kernel/hostname"), at("hostname"));
    }

    @Test
    void distroEqualsOsRelease() throws Exception {
        Map<String, String> os = new HashMap<>();
        for (String l : Files.readAllLines(Path.of("/etc/os-release"))) {
            int eq = l.indexOf('=');
            if (eq > 0) {
                os.put(l.substring(0, eq), l.substring(eq + 1).replaceAll("^\"|\"$", ""));
            }
        }
        assertEquals(os.get("ID"), at("distro.id"));
        assertEquals(os.getOrDefault("VERSION_ID", ""), at("distro.version"));
    }

    @Test
    void cpuFlagsAndVirtualizationEqualProcCpuinfo() throws Exception {
        String line = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("flags")).findFirst().orElseThrow();
        List<String> flags = List.of(line.substring(line.indexOf(':') + 1).strip().split("\\s+"));
        assertEquals(flags, at("cpu.flags"));
        assertEquals(flags.contains("vmx") ? "vmx" : flags.contains("svm") ? "svm" : "none", at("cpu.virtualization"));
    }

    @Test
    void hugepagesPerSizeAndNumaNodesEqualSysfs() throws Exception {
        Path sizes = Path.of("/sys/kernel/mm/hugepages");
        try (Stream<Path> dirs = Files.list(sizes)) {
            for (Path d : dirs.toList()) {
                String kb = d.getFileName().toString().replaceAll("\\D", "");
                assertEquals(Long.parseLong(read(d + "/nr_hugepages")), at("hugepages.sizes." + kb + ".total"), d.toString());
                assertEquals(Long.parseLong(read(d + "/free_hugepages")), at("hugepages.sizes." + kb + ".free"), d.toString());
            }
        }
        try (Stream<Path> nodes = Files.list(Path.of("/sys/devices/system/node"))) {
            List<Path> numa = nodes.filter(n -> n.getFileName().toString().matches("node\\d+")).toList();
            assertTrue(!numa.isEmpty(), "this machine has NUMA nodes in sysfs");
            for (Path n : numa) {
                String id = n.getFileName().toString().substring(4);
                assertEquals(read(n + "/cpulist"), at("numa.nodes." + id + ".cpus"), n.toString());
                assertEquals(Long.parseLong(read(n + "/hugepages/hugepages-2048kB/nr_hugepages")), at("hugepages.nodes." + id + ".2048.total"));
            }
        }
    }

    private static String read(String path) throws Exception {
        return Files.readString(Path.of(path)).strip();
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
