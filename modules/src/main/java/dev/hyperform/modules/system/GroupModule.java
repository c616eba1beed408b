package dev.hyperform.modules.system;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import java.util.ArrayList;
import java.util.List;

/** {@code group} (basic): a local group present or absent, with an optional gid. */
public final class GroupModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Create or remove a local group (groupadd/groupdel).")
            .arg(ArgDef.required("name", ArgType.STRING, "group name"))
            .arg(ArgDef.optional("state", ArgType.STRING, "present", "present or absent").choices("present", "absent"))
            .arg(ArgDef.optional("gid", ArgType.INT, null, "numeric gid (on creation)"))
            .arg(ArgDef.optional("system", ArgType.BOOL, false, "a system group (on creation)"))
            .example("- group: {name: kvm, system: true}")
            .build();

    @Override
    public String name() {
        return "group";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        String name = args.string("name");
        if (!UserModule.NAME.matcher(name).matches()) {
            throw ModuleException.invalidArgs(args.location(), "'" + name + "' is not a valid group name", "lower case letters, digits, _ . -");
        }
        boolean exists = target.probe(Command.of("getent", "group", "--", name)).ok();
        if (args.string("state").equals("absent")) {
            return exists ? Change.of("remove group " + name, Command.of("groupdel", "--", name)) : Change.none("group " + name + " is absent");
        }
        if (exists) {
            return Change.none("group " + name + " exists");
        }
        List<String> argv = new ArrayList<>(List.of("groupadd"));
        args.optInteger("gid").ifPresent(g -> argv.addAll(List.of("-g", Long.toString(g))));
        if (args.bool("system")) {
            argv.add("-r");
        }
        argv.addAll(List.of("--", name));
        return Change.of("create group " + name, Command.of(argv));
    }
}
