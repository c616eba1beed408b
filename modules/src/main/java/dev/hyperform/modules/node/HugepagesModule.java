package dev.hyperform.modules.node;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.ChangeRunner;
import dev.hyperform.module.Command;
import dev.hyperform.module.Diff;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.module.Target;
import dev.hyperform.transport.ExecResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code hugepages}: allocate huge pages of one size at runtime through sysfs, in total or per NUMA node, and
 * verify the kernel really gave them (it may give fewer when memory is fragmented): each write is read back,
 * retried after asking the kernel to compact memory, and a shortfall fails with requested vs actual per node. A
 * pool that stays larger than asked (pages in use cannot be freed) fails naming the pool's figures and its holders.
 */
public final class HugepagesModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Allocate huge pages at runtime (total or per NUMA node) and verify the kernel's answer.")
            .arg(ArgDef.optional("size", ArgType.STRING, "2M", "page size: 2M or 1G").choices("2M", "1G", "2048kB", "1048576kB"))
            .arg(ArgDef.optional("count", ArgType.INT, null, "pages in total (the kernel spreads them over nodes)"))
            .arg(ArgDef.optional("per_node", ArgType.MAP, null, "pages per NUMA node, e.g. {0: 1024, 1: 1024} (instead of count)"))
            .arg(ArgDef.optional("retries", ArgType.INT, 3L, "attempts when the kernel gives fewer pages"))
            .arg(ArgDef.optional("shrink", ArgType.BOOL, true, "lower the pool when more pages than requested are allocated"))
            .example("- hugepages: {size: 2M, count: 1024}")
            .build();

    @Override
    public String name() {
        return "hugepages";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    static String kb(String size) {
        return switch (size) {
            case "1G", "1048576kB" -> "1048576";
            default -> "2048";
        };
    }

    @Override
    public Change plan(Target target, Args args) {
        String kb = kb(args.string("size"));
        Map<String, Long> wanted = wanted(args);
        Map<String, Long> now = read(target, kb, wanted.keySet());
        List<Command> cmds = new ArrayList<>();
        Map<String, String[]> diff = new LinkedHashMap<>();
        for (Map.Entry<String, Long> w : wanted.entrySet()) {
            long have = now.getOrDefault(w.getKey(), -1L);
            if (have < 0) {
                throw new ModuleException(target.host() + " has no " + args.string("size") + " huge pages"
                        + (w.getKey().equals("total") ? "" : " on NUMA node " + w.getKey()) + " (" + path(kb, w.getKey()) + " is missing)",
                        "1G pages need CPU support (pdpe1gb); check facts.hugepages.sizes");
            }
            if (have != w.getValue() && (have < w.getValue() || args.bool("shrink"))) {
                cmds.add(Command.sh("echo \"$1\" > \"$2\"", List.of(Long.toString(w.getValue()), path(kb, w.getKey())))
                        .described("echo " + w.getValue() + " > " + path(kb, w.getKey())));
                diff.put(w.getKey().equals("total") ? "pages" : "node" + w.getKey() + " pages",
                        new String[] {Long.toString(have), Long.toString(w.getValue())});
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("size_kb", Long.parseLong(kb));
        values.put("pages", now);
        if (cmds.isEmpty()) {
            return Change.none(args.string("size") + " huge pages as requested: " + now).withValues(values);
        }
        return Change.commands("allocate " + args.string("size") + " huge pages " + wanted, cmds,
                List.of(Diff.attributes("hugepages-" + kb + "kB", diff)), values);
    }

    @Override
    public ModuleResult apply(Target target, Args args, Change change) {
        String kb = kb(args.string("size"));
        Map<String, Long> wanted = wanted(args);
        long attempts = Math.max(1, args.integer("retries"));
        ModuleResult last = null;
        Map<String, Long> got = Map.of();
        for (int n = 1; n <= attempts; n++) {
            last = ChangeRunner.run(change, target::run);
            if (last.failed()) {
                String err = String.valueOf(last.values().get("stderr"));
                throw new ModuleException("cannot set huge pages on " + target.host() + ": " + err,
                        err.contains("Read-only") ? "the sysfs tree is read-only here (a container?): allocate on the host"
                                : "run with become: true");
            }
            got = read(target, kb, wanted.keySet());
            if (got.equals(wanted)) {
                Map<String, Object> values = new LinkedHashMap<>(change.values());
                values.put("pages", got);
                values.put("attempts", n);
                return ModuleResult.changed("allocated " + got, values, last.ran());
            }
            target.run(Command.sh("sync; echo 1 > /proc/sys/vm/compact_memory 2>/dev/null; true").described("compact memory"));
        }
        if (got.entrySet().stream().anyMatch(e -> e.getValue() > wanted.getOrDefault(e.getKey(), Long.MAX_VALUE))) {
            HugepagePool pool = HugepagePool.probe(target, kb);
            throw new ModuleException(pool.excessMessage(target.host(), args.string("size"), wanted, got), pool.excessHint());
        }
        throw new ModuleException("the kernel gave " + got + " " + args.string("size") + " huge pages on " + target.host()
                + ", requested " + wanted + " (after " + attempts + " attempts)",
                "memory is too fragmented or too small: reserve the pages at boot (hugepages_kernel_cmdline: true) and reboot");
    }

    private static Map<String, Long> wanted(Args args) {
        Map<String, Long> w = new LinkedHashMap<>();
        if (args.has("per_node")) {
            args.map("per_node").forEach((k, v) -> w.put(String.valueOf(k), Long.parseLong(String.valueOf(v))));
        } else if (args.has("count")) {
            w.put("total", args.integer("count"));
        } else {
            throw ModuleException.invalidArgs(args.location(), "hugepages needs count or per_node", "add count: 1024");
        }
        return w;
    }

    static String path(String kb, String node) {
        return node.equals("total") ? "/sys/kernel/mm/hugepages/hugepages-" + kb + "kB/nr_hugepages"
                : "/sys/devices/system/node/node" + node + "/hugepages/hugepages-" + kb + "kB/nr_hugepages";
    }

    private static Map<String, Long> read(Target target, String kb, Iterable<String> nodes) {
        Map<String, Long> out = new LinkedHashMap<>();
        List<String> paths = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (String n : nodes) {
            keys.add(n);
            paths.add(path(kb, n));
        }
        ExecResult r = target.probe(Command.sh("for p in \"$@\"; do if [ -r \"$p\" ]; then cat \"$p\"; else echo -1; fi; done", paths));
        List<String> lines = r.out().lines().toList();
        for (int i = 0; i < keys.size() && i < lines.size(); i++) {
            out.put(keys.get(i), Long.parseLong(lines.get(i).strip()));
        }
        return out;
    }
}
