package dev.hyperform.bench;

import dev.hyperform.inventory.Inventory;
import dev.hyperform.inventory.InventoryLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Bench helper (not a test): generates an INI inventory of N hosts in 100 groups with vars, parses it 7 times and
 * prints the median, first and slowest parse times in ms (the first parse includes class loading and JIT warm-up).
 * Run by bench/run.
 */
public final class InventoryScale {
    private InventoryScale() {
    }

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path f = Files.createTempFile("hyperform-scale", ".ini");
        StringBuilder s = new StringBuilder();
        for (int g = 0; g < 100; g++) {
            s.append("[rack").append(g).append("]\n");
            for (int i = g; i < n; i += 100) {
                s.append(String.format("node%05d ansible_host=10.%d.%d.%d hugepages=%d%n", i, i / 65536 % 256, i / 256 % 256, i % 256, 1024));
            }
            s.append("[rack").append(g).append(":vars]\nrack_id=").append(g).append('\n');
        }
        s.append("[dc:children]\n");
        for (int g = 0; g < 100; g++) {
            s.append("rack").append(g).append('\n');
        }
        s.append("[dc:vars]\nntp=pool.example\n");
        Files.writeString(f, s);
        long[] ms = new long[7];
        int hosts = 0;
        for (int r = 0; r < ms.length; r++) {
            long t0 = System.nanoTime();
            Inventory inv = InventoryLoader.load(List.of(f.toString()));
            hosts = inv.hosts().size();
            ms[r] = (System.nanoTime() - t0) / 1_000_000;
        }
        Files.delete(f);
        long first = ms[0];
        Arrays.sort(ms);
        System.out.println("inventory_hosts=" + hosts + " parse_ms_median=" + ms[3] + " parse_ms_first=" + first + " parse_ms_max=" + ms[6]);
    }
}
