package dev.hyperform.modules.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.modules.testing.LocalShellTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hugepages module's explanation when a pool cannot shrink to what was asked (pages in use by others). */
class HugepagePoolTest {

    @Test
    void theMessageNamesThePoolFiguresAndItsHolders() {
        HugepagePool pool = HugepagePool.parse("262 64 0 198 \npid 4242 (qemu-system-x86)\nfile /dev/hugepages/spdk0\n");
        assertEquals(new HugepagePool(262, 64, 0, 198, List.of("pid 4242 (qemu-system-x86)", "file /dev/hugepages/spdk0")),
                pool);
        assertEquals(198, pool.inUse());
        String m = pool.excessMessage("node1", "2M", Map.of("total", 64L), Map.of("total", 262L));
        for (String part : new String[] {"keeps {total=262} 2M huge pages on node1, requested {total=64}",
                "cannot shrink below the pages in use", "HugePages_Total 262", "HugePages_Free 64", "in use 198",
                "pid 4242 (qemu-system-x86)", "file /dev/hugepages/spdk0"}) {
            assertTrue(m.contains(part), part + " in " + m);
        }
        assertTrue(pool.excessHint().contains("at least 198 pages"), pool.excessHint());
    }

    @Test
    void noVisibleHolderSaysWhereItMayBe() {
        HugepagePool pool = HugepagePool.parse("100 20 5 0\n");
        assertEquals(85, pool.inUse());
        String m = pool.excessMessage("node2", "2M", Map.of("total", 10L), Map.of("total", 100L));
        assertTrue(m.contains("no process or hugetlbfs file visible from node2"), m);
        assertTrue(m.contains("another container or the machine itself"), m);
    }

    @Test
    void theProbeReadsTheKernelsFigures(@TempDir Path dir) throws Exception {
        Path sysfs = Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(sysfs), "no 2 MiB huge pages in this kernel");
        HugepagePool pool = HugepagePool.probe(new LocalShellTarget(dir, false), "2048");
        assertEquals(Long.parseLong(Files.readString(sysfs.resolve("nr_hugepages")).strip()), pool.total());
        assertTrue(pool.free() >= 0 && pool.reserved() >= 0 && pool.surplus() >= 0, pool.toString());
    }
}
