package dev.hyperform.modules.node;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import dev.hyperform.transport.ExecResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code node_preflight}: checks a hyper-converged node before anything is installed and reports every finding at
 * once as a table: distribution, kernel, CPU virtualisation, IOMMU, memory for the hugepages plus headroom, NUMA,
 * free disk. Hardware findings can be made warnings (the lab has no KVM or IOMMU).
 */
public final class PreflightModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Check a node (distro, kernel, VT-x/AMD-V, IOMMU, memory, NUMA, disk); fail listing every problem.")
            .arg(ArgDef.optional("supported", ArgType.MAP, Map.of("debian", List.of("12"), "ubuntu", List.of("22.04", "24.04"),
                    "rhel", List.of("9"), "rocky", List.of("9"), "almalinux", List.of("9")), "distribution id -> major versions"))
            .arg(ArgDef.optional("min_kernel", ArgType.STRING, "5.4", "lowest kernel release"))
            .arg(ArgDef.optional("require_virtualization", ArgType.BOOL, true, "CPU must have vmx or svm"))
            .arg(ArgDef.optional("require_iommu", ArgType.BOOL, true, "IOMMU on the kernel cmdline or IOMMU groups present"))
            .arg(ArgDef.optional("hugepages_mb", ArgType.INT, 0L, "memory the hugepages will take, MiB"))
            .arg(ArgDef.optional("memory_headroom_mb", ArgType.INT, 2048L, "memory that must stay free besides the hugepages, MiB"))
            .arg(ArgDef.optional("disk_path", ArgType.PATH, "/", "filesystem whose free space is checked"))
            .arg(ArgDef.optional("min_free_disk_gb", ArgType.INT, 10L, "free space needed there, GiB"))
            .arg(ArgDef.optional("hardware_warn_only", ArgType.BOOL, false, "report virtualization/IOMMU/NUMA findings as warnings"))
            .example("- node_preflight: {hugepages_mb: 4096, hardware_warn_only: true}")
            .build();

    @Override
    public String name() {
        return "node_preflight";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    private record Finding(String check, String verdict, String detail) {
    }

    @Override
    @SuppressWarnings("unchecked")
    public Change plan(Target target, Args args) {
        Map<String, Object> f = target.facts();
        if (f.isEmpty()) {
            throw new ModuleException("node_preflight needs facts", "keep gather_facts on for this play");
        }
        List<Finding> out = new ArrayList<>();
        boolean hwWarn = args.bool("hardware_warn_only");
        Map<String, Object> distro = (Map<String, Object>) f.getOrDefault("distro", Map.of());
        String id = String.valueOf(distro.get("id"));
        String version = String.valueOf(distro.get("version"));
        Object versions = args.map("supported").get(id);
        boolean distroOk = versions instanceof List<?> l && l.stream().anyMatch(v -> version.equals(String.valueOf(v))
                || version.startsWith(v + "."));
        out.add(new Finding("distribution", distroOk ? "ok" : "FAIL", id + " " + version
                + (distroOk ? "" : " (supported: " + args.map("supported") + ")")));
        String kernel = String.valueOf(((Map<String, Object>) f.getOrDefault("kernel", Map.of())).get("release"));
        boolean kernelOk = compare(kernel, args.string("min_kernel")) >= 0;
        out.add(new Finding("kernel", kernelOk ? "ok" : "FAIL", kernel + " (need >= " + args.string("min_kernel") + ")"));
        String virt = String.valueOf(((Map<String, Object>) f.getOrDefault("cpu", Map.of())).get("virtualization"));
        boolean virtOk = !args.bool("require_virtualization") || !virt.equals("none");
        out.add(new Finding("cpu virtualization", virtOk ? "ok" : hwWarn ? "WARN" : "FAIL", virt.equals("none")
                ? "no vmx/svm flag: QEMU falls back to TCG (slow)" : virt));
        Map<String, Object> iommu = (Map<String, Object>) f.getOrDefault("iommu", Map.of());
        boolean iommuOk = !args.bool("require_iommu") || Boolean.TRUE.equals(iommu.get("enabled"));
        out.add(new Finding("iommu", iommuOk ? "ok" : hwWarn ? "WARN" : "FAIL", "cmdline=" + iommu.get("cmdline")
                + " groups=" + iommu.get("groups") + (iommuOk ? "" : " (add intel_iommu=on or amd_iommu=on)")));
        Map<String, Object> mem = (Map<String, Object>) f.getOrDefault("memory", Map.of());
        long total = mem.get("total_mb") instanceof Number n ? n.longValue() : 0;
        long need = args.integer("hugepages_mb") + args.integer("memory_headroom_mb");
        out.add(new Finding("memory", total >= need ? "ok" : "FAIL", total + " MiB (need " + need + " = hugepages "
                + args.integer("hugepages_mb") + " + headroom " + args.integer("memory_headroom_mb") + ")"));
        Map<String, Object> numa = (Map<String, Object>) ((Map<String, Object>) f.getOrDefault("numa", Map.of())).getOrDefault("nodes", Map.of());
        out.add(new Finding("numa", numa.isEmpty() ? (hwWarn ? "WARN" : "FAIL") : "ok",
                numa.isEmpty() ? "no NUMA information in sysfs" : numa.size() + " node(s): " + numa));
        ExecResult df = target.probe(Command.of("df", "-Pk", "--", args.string("disk_path")));
        long freeGb = -1;
        List<String> lines = df.out().lines().toList();
        if (df.ok() && lines.size() >= 2) {
            freeGb = Long.parseLong(lines.get(1).trim().split("\\s+")[3]) / 1024 / 1024;
        }
        boolean diskOk = freeGb >= args.integer("min_free_disk_gb");
        out.add(new Finding("disk", diskOk ? "ok" : "FAIL", freeGb + " GiB free on " + args.string("disk_path")
                + " (need " + args.integer("min_free_disk_gb") + ")"));
        String table = table(target.host(), out);
        List<String> problems = out.stream().filter(x -> x.verdict().equals("FAIL")).map(Finding::check).toList();
        if (!problems.isEmpty()) {
            throw new ModuleException("preflight found " + problems.size() + " problem(s): " + String.join(", ", problems)
                    + "\n" + table, "fix them, or set preflight_hardware_warn_only: true for hardware findings in a lab");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("msg", table);
        values.put("warnings", out.stream().filter(x -> x.verdict().equals("WARN")).map(Finding::check).toList());
        return Change.none(table).withValues(values);
    }

    private static String table(String host, List<Finding> rows) {
        StringBuilder s = new StringBuilder("preflight of " + host + ":\n");
        for (Finding r : rows) {
            s.append(String.format("    %-20s %-5s %s%n", r.check(), r.verdict(), r.detail()));
        }
        return s.toString().stripTrailing();
    }

    static int compare(String a, String b) {
        String[] x = a.split("[^0-9]+");
        String[] y = b.split("[^0-9]+");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length && !x[i].isEmpty() ? Long.parseLong(x[i]) : 0;
            long q = i < y.length && !y[i].isEmpty() ? Long.parseLong(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }
}
