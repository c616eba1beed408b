package dev.hyperform.facts;

import dev.hyperform.transport.ExecRequest;
import dev.hyperform.transport.ExecResult;
import dev.hyperform.transport.Transport;
import dev.hyperform.transport.TransportException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers a host's facts in one round trip: one POSIX shell script (resource {@code facts.sh}, no Python on the
 * target) sent on stdin, its {@code key<TAB>value} lines turned into nested maps with typed values. The keys are
 * documented in docs/facts.md; playbooks read them as {@code facts.*}.
 */
public final class FactGatherer {
    private static final String SCRIPT = load();

    private static String load() {
        try (InputStream in = FactGatherer.class.getResourceAsStream("facts.sh")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Map<String, Object> gather(Transport transport) {
        ExecResult r = transport.exec(ExecRequest.of("sh", "-s").withStdin(SCRIPT.getBytes(StandardCharsets.UTF_8))
                .withTimeout(Duration.ofSeconds(60)));
        if (!r.ok()) {
            throw new TransportException(transport.host(), "fact gathering failed with exit code " + r.exitCode()
                    + ": " + r.err().strip(), "the host needs a POSIX sh and coreutils; set gather_facts: false to skip", null);
        }
        return parse(r.out());
    }

    static Map<String, Object> parse(String output) {
        Map<String, Object> facts = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab <= 0) {
                continue;
            }
            put(facts, line.substring(0, tab), line.substring(tab + 1).strip());
        }
        derive(facts);
        return facts;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, String key, String raw) {
        String[] path = key.split("\\.");
        Map<String, Object> m = root;
        for (int i = 0; i < path.length - 1; i++) {
            m = (Map<String, Object>) m.computeIfAbsent(path[i], k -> new LinkedHashMap<String, Object>());
        }
        m.put(path[path.length - 1], typed(key, raw));
    }

    private static Object typed(String key, String raw) {
        if (key.equals("cpu.flags") || key.equals("network.ipv4")) {
            List<String> out = new ArrayList<>();
            for (String s : raw.split("\\s+")) {
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
            return out;
        }
        if (raw.matches("-?\\d{1,18}") && !key.startsWith("distro.") && !key.endsWith(".cpus")) {
            return Long.parseLong(raw);
        }
        return raw;
    }

    @SuppressWarnings("unchecked")
    private static void derive(Map<String, Object> facts) {
        Object cpu = facts.get("cpu");
        if (cpu instanceof Map<?, ?> c) {
            List<String> flags = (List<String>) ((Map<String, Object>) c).getOrDefault("flags", List.of());
            ((Map<String, Object>) c).put("virtualization", flags.contains("vmx") ? "vmx" : flags.contains("svm") ? "svm" : "none");
        }
        Object mem = facts.get("memory");
        if (mem instanceof Map<?, ?> m) {
            Map<String, Object> mm = (Map<String, Object>) m;
            if (mm.get("total_kb") instanceof Long t) {
                mm.put("total_mb", t / 1024);
            }
            if (mm.get("available_kb") instanceof Long a) {
                mm.put("available_mb", a / 1024);
            }
        }
        Object kernel = facts.get("kernel");
        if (kernel instanceof Map<?, ?> k) {
            String cmdline = String.valueOf(((Map<String, Object>) k).getOrDefault("cmdline", ""));
            Map<String, Object> iommu = (Map<String, Object>) facts.computeIfAbsent("iommu", x -> new LinkedHashMap<String, Object>());
            iommu.put("cmdline", cmdline.contains("intel_iommu=on") || cmdline.contains("amd_iommu=on")
                    || cmdline.contains("iommu=pt"));
            iommu.put("enabled", Boolean.TRUE.equals(iommu.get("cmdline")) || (iommu.get("groups") instanceof Long g && g > 0));
        }
        facts.putIfAbsent("container", "none");
        Object numa = facts.get("numa");
        if (!(numa instanceof Map<?, ?>)) {
            facts.put("numa", Map.of("nodes", Map.of()));
        }
        facts.putIfAbsent("hugepages", new LinkedHashMap<>(Map.of("sizes", Map.of(), "nodes", Map.of())));
    }
}
