package dev.hyperform.modules.control;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Module;
import dev.hyperform.module.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code group_by}: put each host into a group named by an expression, as ansible-core's action does: the runner
 * applies the {@code add_group} value of the result to the in-memory inventory and reports changed when the host
 * joined the group or a parent group was created or gained it. Spaces in names become dashes.
 */
public final class GroupByModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Put the host into a group named from its variables, for the"
                    + " rest of the run (later plays can target the group).")
            .arg(ArgDef.required("key", ArgType.STRING, "the group's name, usually an expression: os_${facts.os_family}"))
            .arg(ArgDef.optional("parents", ArgType.ANY, List.of("all"), "parent groups of the group (created when"
                    + " missing): a name or a list"))
            .example("- group_by:\n    key: kind_${disk_kind}\n    parents: [guests]")
            .build();

    @Override
    public String name() {
        return "group_by";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        String group = args.string("key").replace(' ', '-');
        Object given = args.values().get("parents");
        List<String> parents = new ArrayList<>();
        for (Object p : given instanceof List<?> l ? l : List.of(given)) {
            parents.add(String.valueOf(p).replace(' ', '-'));
        }
        return Change.none("add to group " + group).withValues(Map.of("add_group", group, "parent_groups", parents));
    }
}
