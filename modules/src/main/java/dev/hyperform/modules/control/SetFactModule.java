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

/** {@code set_fact}: set host variables (above play vars, below extra vars) for the rest of the run. */
public final class SetFactModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Set variables on the host for the rest of the run.")
            .arg(ArgDef.optional(ArgSpec.ANY_KEY, ArgType.ANY, null, "any name: value"))
            .arg(ArgDef.optional("cacheable", ArgType.BOOL, false, "accepted for Ansible compatibility; facts are not cached across runs"))
            .example("- set_fact:\n    spdk_sock: /var/tmp/spdk.sock")
            .build();

    @Override
    public String name() {
        return "set_fact";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        Map<String, Object> facts = new LinkedHashMap<>(args.values());
        facts.remove("cacheable");
        return Change.none("set " + String.join(", ", facts.keySet())).withFacts(facts)
                .withValues(Map.of("ansible_facts", facts));
    }
}
