package dev.hyperform.modules.control;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Module;
import dev.hyperform.module.Target;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code debug}: print a message or a variable's value; touches no host. */
public final class DebugModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Print a message (msg) or a variable's value (var).")
            .arg(ArgDef.optional("msg", ArgType.ANY, null, "what to print (any value)"))
            .arg(ArgDef.optional("var", ArgType.STRING, null, "name of a variable (or expression) to print"))
            .arg(ArgDef.optional("verbosity", ArgType.INT, 0L, "only print at this -v level or higher (accepted; always printed here)"))
            .example("- debug: {msg: \"QEMU ${qemu.stdout}\"}")
            .build();

    @Override
    public String name() {
        return "debug";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        Map<String, Object> values = new LinkedHashMap<>();
        Object shown;
        if (args.has("var")) {
            String var = args.string("var");
            shown = target.evaluate(var);
            values.put(var, shown);
            values.put("msg", var + " = " + shown);
        } else {
            shown = args.has("msg") ? args.raw("msg") : "Hello world!";
            values.put("msg", shown);
        }
        return Change.none(String.valueOf(values.get("msg"))).withValues(values);
    }
}
