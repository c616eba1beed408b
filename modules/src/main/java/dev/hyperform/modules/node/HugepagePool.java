package dev.hyperform.modules.node;

import dev.hyperform.module.Command;
import dev.hyperform.module.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One page size's pool as the kernel reports it (sysfs nr/free/resv/surplus, the same figures /proc/meminfo shows
 * as HugePages_Total/Free/Rsvd/Surp for the default size) and what holds its pages: processes with hugetlb
 * mappings of that size (their smaps) and files on hugetlbfs mounts. Read only when the pool did not become
 * what was asked, to say why: the kernel cannot shrink a pool below the pages in use.
 */
record HugepagePool(long total, long free, long reserved, long surplus, List<String> holders) {
    private static final int MAX_HOLDERS = 10;

    /** Pages the kernel cannot give back now: faulted in, or reserved by a mapping. */
    long inUse() {
        return total - free + reserved;
    }

    static HugepagePool probe(Target target, String kb) {
        String dir = "/sys/kernel/mm/hugepages/hugepages-" + kb + "kB";
        String script = "d=\"$1\"; kb=\"$2\"; cat \"$d/nr_hugepages\" \"$d/free_hugepages\" \"$d/resv_hugepages\" "
                + "\"$d/surplus_hugepages\" | tr '\\n' ' '; echo; "
                + "for p in /proc/[0-9]*; do grep -qs \"^KernelPageSize: *$kb kB\" \"$p/smaps\" "
                + "&& echo \"pid ${p#/proc/} ($(cat \"$p/comm\" 2>/dev/null))\"; done 2>/dev/null | head -" + MAX_HOLDERS + "; "
                + "awk '$3 == \"hugetlbfs\" {print $2}' /proc/mounts | while read -r m; do "
                + "find \"$m\" -xdev -type f -size +0 2>/dev/null | sed 's/^/file /'; done | head -" + MAX_HOLDERS + "; true";
        return parse(target.probe(Command.sh(script, List.of(dir, kb)).described("who holds " + kb + "kB huge pages"))
                .out());
    }

    static HugepagePool parse(String probeOutput) {
        List<String> lines = probeOutput.lines().toList();
        String[] n = lines.isEmpty() ? new String[0] : lines.get(0).strip().split("\\s+");
        List<String> holders = new ArrayList<>();
        for (String l : lines.subList(Math.min(1, lines.size()), lines.size())) {
            if (!l.isBlank()) {
                holders.add(l.strip());
            }
        }
        return new HugepagePool(at(n, 0), at(n, 1), at(n, 2), at(n, 3), holders);
    }

    private static long at(String[] n, int i) {
        try {
            return i < n.length ? Long.parseLong(n[i]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Why the pool stayed larger than asked, and who holds it. */
    String excessMessage(String host, String size, Map<String, Long> wanted, Map<String, Long> got) {
        return "the kernel keeps " + got + " " + size + " huge pages on " + host + ", requested " + wanted
                + ": a pool cannot shrink below the pages in use (HugePages_Total " + total + ", HugePages_Free "
                + free + ", reserved " + reserved + ", surplus " + surplus + "; in use " + inUse() + "). Held by: "
                + (holders.isEmpty() ? "no process or hugetlbfs file visible from " + host + " (the holder may be "
                        + "outside its PID and mount namespaces: another container or the machine itself)"
                        : String.join(", ", holders));
    }

    String excessHint() {
        return "stop what holds the pages (or delete the hugetlbfs files) and run again, or ask for at least "
                + inUse() + " pages; hosts that share a kernel (containers, the lab) share one pool";
    }
}
