package dev.hyperform.run;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.module.Target;
import java.util.List;
import java.util.Map;

/**
 * A module for runner tests that touches no host: {@code change: true} plans a change, {@code fail_on} lists
 * hosts where applying fails, {@code facts} sets host variables, {@code msg} is echoed into the result.
 */
final class TestModule implements Module {
    @Override
    public String name() {
        return "t";
    }

    @Override
    public ArgSpec spec() {
        return ArgSpec.builder("runner test module")
                .arg(ArgDef.optional("change", ArgType.BOOL, false, "plan a change"))
                .arg(ArgDef.optional("fail_on", ArgType.LIST, null, "hosts where apply fails"))
                .arg(ArgDef.optional("facts", ArgType.MAP, null, "host variables to set"))
                .arg(ArgDef.optional("partly", ArgType.BOOL, false, "a failure in apply reports that it changed something first"))
                .arg(ArgDef.optional("msg", ArgType.ANY, null, "echoed as result value msg"))
                .freeForm("msg")
                .build();
    }

    @Override
    public Change plan(Target target, Args args) {
        Change c = args.bool("change") || args.strings("fail_on").contains(target.host())
                ? Change.of("do it", Command.of("true")) : Change.none("nothing to do");
        if (args.has("msg")) {
            c = c.withValues(Map.of("msg", args.raw("msg")));
        }
        if (args.has("facts")) {
            c = c.withFacts(args.map("facts"));
        }
        return c;
    }

    @Override
    public ModuleResult apply(Target target, Args args, Change change) {
        if (args.strings("fail_on").contains(target.host())) {
            return new ModuleResult(args.bool("partly"), true, "failed on purpose on " + target.host(), change.values(), List.of());
        }
        return ModuleResult.changed(change.summary(), change.values(), List.of());
    }
}
