package dev.hyperform.modules.control;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code assert}: every FreeMarker condition in {@code that} must hold; all failing ones are listed at once. */
public final class AssertModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Check conditions; fail listing every one that does not hold.")
            .arg(ArgDef.required("that", ArgType.EXPRESSION, "a condition or a list of conditions (FreeMarker)"))
            .arg(ArgDef.optional("fail_msg", ArgType.STRING, null, "message when a condition fails").aliases("msg"))
            .arg(ArgDef.optional("success_msg", ArgType.STRING, "All assertions passed", "message when all hold"))
            .arg(ArgDef.optional("quiet", ArgType.BOOL, false, "accepted for Ansible compatibility"))
            .example("- assert:\n    that:\n      - facts.memory.total_mb >= 4096\n      - facts.cpu.count >= 2\n    fail_msg: node too small")
            .build();

    @Override
    public String name() {
        return "assert";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        Object that = args.raw("that");
        List<String> conditions = new ArrayList<>();
        if (that instanceof List<?> l) {
            l.forEach(c -> conditions.add(String.valueOf(c)));
        } else {
            conditions.add(String.valueOf(that));
        }
        List<String> failed = new ArrayList<>();
        for (String c : conditions) {
            if (!target.test(c)) {
                failed.add(c);
            }
        }
        if (!failed.isEmpty()) {
            String msg = args.optString("fail_msg").map(m -> m + " (failed: " + String.join("; ", failed) + ")")
                    .orElse("assertion failed: " + String.join("; ", failed));
            throw new ModuleException(msg, null);
        }
        String ok = args.string("success_msg");
        return Change.none(ok).withValues(Map.of("msg", ok));
    }
}
