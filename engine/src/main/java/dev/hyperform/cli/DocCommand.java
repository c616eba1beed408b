package dev.hyperform.cli;

import dev.hyperform.error.ExitCode;
import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.error.Location;
import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.EditDistance;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleRegistry;
import dev.hyperform.playbook.MetaActions;
import java.util.Comparator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code hyperform doc [MODULE]}: list modules, or one module's arguments, types, defaults and an example. */
@Command(name = "doc", mixinStandardHelpOptions = true, description = "List modules, or document one.")
public final class DocCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "MODULE")
    String module;

    @Override
    public Integer call() {
        ModuleRegistry registry = ModuleRegistry.load();
        if (module == null) {
            java.util.SortedMap<String, String> all = new java.util.TreeMap<>();
            registry.names().forEach(n -> all.put(n, registry.find(n).orElseThrow().spec().description()));
            all.put("meta", MetaActions.DESCRIPTION);
            all.forEach((n, d) -> System.out.printf("%-16s %s%n", n, d));
            return ExitCode.OK;
        }
        if (module.equals("meta") || module.equals("ansible.builtin.meta")) {
            return meta();
        }
        Module m = registry.find(module).orElseThrow(() -> {
            String best = registry.names().stream().min(Comparator.comparingInt(n -> EditDistance.between(n, module))).orElse("");
            return new HyperformException(Failure.INVALID_INPUT, Location.UNKNOWN, "no module named '" + module + "'",
                    "did you mean '" + best + "'? (hyperform doc lists them all)");
        });
        ArgSpec s = m.spec();
        System.out.println(m.name() + (m.aliases().isEmpty() ? "" : " (also: " + String.join(", ", m.aliases()) + ")"));
        System.out.println("  " + s.description());
        System.out.println();
        System.out.println("arguments:");
        for (ArgDef a : s.args()) {
            System.out.printf("  %-18s %-10s %s%s%s%s%n", a.name(), a.type().name().toLowerCase(),
                    a.required() ? "(required) " : a.defaultValue() == null ? "" : "(default: " + a.defaultValue() + ") ",
                    a.doc(), a.choices().isEmpty() ? "" : " [" + String.join(", ", a.choices()) + "]",
                    a.aliases().isEmpty() ? "" : " (aliases: " + String.join(", ", a.aliases()) + ")");
        }
        if (s.freeForm() != null) {
            System.out.println("  free form: the text after '" + m.name() + ":' is '" + s.freeForm() + "'");
        }
        if (!s.example().isBlank()) {
            System.out.println();
            System.out.println("example:");
            s.example().lines().forEach(l -> System.out.println("  " + l));
        }
        return ExitCode.OK;
    }

    private static int meta() {
        System.out.println("meta");
        System.out.println("  " + MetaActions.DESCRIPTION);
        System.out.println();
        System.out.println("actions (meta: ACTION):");
        MetaActions.ALL.forEach(a -> System.out.printf("  %-18s %s%n", a.name(), a.doc()));
        System.out.println();
        System.out.println("example:");
        MetaActions.EXAMPLE.lines().forEach(l -> System.out.println("  " + l));
        return ExitCode.OK;
    }
}
