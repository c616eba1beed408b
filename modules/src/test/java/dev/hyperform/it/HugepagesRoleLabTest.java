package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperform.error.ExitCode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hugepages role and module on a lab host, where the pool is the machine's: the restart-kubelet handler on a
 * host without kubelet, and a pool that cannot shrink because pages are in use.
 */
@Tag("lab")
class HugepagesRoleLabTest {
    private static final String POOL = "/sys/kernel/mm/hugepages/hugepages-2048kB";

    /** Pages of the machine's pool that cannot be freed now (in use or reserved), read through a lab host. */
    static long pagesInUse(String node) throws Exception {
        String[] f = Lab.ssh(node, "cat " + POOL + "/nr_hugepages " + POOL + "/free_hugepages " + POOL + "/resv_hugepages")
                .split("\\s+");
        return Long.parseLong(f[0]) - Long.parseLong(f[1]) + Long.parseLong(f[2]);
    }

    @Test
    void theKubeletHandlerIsNotAChangeOnAHostWithoutKubelet(@TempDir Path dir) throws Exception {
        long before = Long.parseLong(Lab.ssh("node2", "cat " + POOL + "/nr_hugepages"));
        long count = pagesInUse("node2") + (before % 2 == 0 ? 3 : 2); // differs from the pool now: the task changes it
        Path pb = Lab.write(dir, "hp.yaml", "- hosts: node2\n  roles: ["
                + Lab.home().resolve("playbooks/roles/hugepages") + "]\n");
        try {
            Lab.Run r = Lab.play(dir, "-i", Lab.INVENTORY.toString(), "-i", Lab.home().resolve("inventories/lab").toString(),
                    pb.toString(), "-e", "{\"hugepages_count\": " + count + ", \"hugepages_persist_sysctl\": false}");
            assertEquals(ExitCode.OK, r.exitCode(), r.console());
            List<JsonNode> handlers = r.events().stream().filter(e -> e.path("event").asText().equals("host_result")
                    && e.path("task").asText().contains("kubelet")).toList();
            assertTrue(!handlers.isEmpty(), "the allocation notified the kubelet handler: " + r.console());
            for (JsonNode h : handlers) {
                assertTrue(List.of("ok", "skipped").contains(h.path("status").asText()),
                        h.path("task").asText() + " is " + h.path("status").asText() + " on a host without kubelet");
            }
            assertEquals(1, r.recap("node2").path("changed").asInt(), "only the allocation changed: " + r.console());
        } finally {
            Lab.ssh("node2", "echo " + before + " > " + POOL + "/nr_hugepages || true");
        }
    }

    @Test
    void aPoolThatCannotShrinkNamesWhatHoldsIt(@TempDir Path dir) throws Exception {
        long before = Long.parseLong(Lab.ssh("node3", "cat " + POOL + "/nr_hugepages"));
        String hold = "mkdir -p /run/hf-hp && (mountpoint -q /run/hf-hp || mount -t hugetlbfs -o pagesize=2M none /run/hf-hp)"
                + " && echo $(( $(cat " + POOL + "/nr_hugepages) + 8 )) > " + POOL + "/nr_hugepages"
                + " && fallocate -l 8M /run/hf-hp/hf-hold"
                + " && (setsid python3 -c 'import mmap,os,time; f=os.open(\"/run/hf-hp/hf-map\", os.O_RDWR|os.O_CREAT);"
                + " os.ftruncate(f, 4<<20); m=mmap.mmap(f, 4<<20); m[0]=1; m[2<<20]=1; time.sleep(300)'"
                + " </dev/null >/dev/null 2>&1 & echo $! > /run/hf-hp.pid) && sleep 1";
        Path pb = Lab.write(dir, "shrink.yaml", """
                - hosts: node3
                  gather_facts: false
                  tasks:
                    - name: shrink the pool
                      hugepages: {size: 2M, count: 1, retries: 1}
                """);
        try {
            Lab.ssh("node3", hold);
            Lab.Run r = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString());
            assertEquals(ExitCode.TASK_FAILED, r.exitCode(), r.console());
            String m = r.results("shrink the pool").get(0).path("message").asText();
            for (String part : new String[] {"cannot shrink below the pages in use", "HugePages_Total", "HugePages_Free",
                    "file /run/hf-hp/hf-hold", "(python3)", "ask for at least"}) {
                assertTrue(m.contains(part), part + " in: " + m);
            }
        } finally {
            Lab.ssh("node3", "kill $(cat /run/hf-hp.pid) 2>/dev/null; sleep 0.5; rm -f /run/hf-hp/* /run/hf-hp.pid;"
                    + " umount /run/hf-hp 2>/dev/null; echo " + before + " > " + POOL + "/nr_hugepages; true");
        }
    }
}
