package dev.hyperform.modules.control;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;

/** {@code fail}: fail the task with a message (usually under a {@code when}). */
public final class FailModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Fail the task with a message.")
            .arg(ArgDef.optional("msg", ArgType.STRING, "Failed as requested from task", "the message"))
            .example("- fail: {msg: \"libvirt ${libvirt_version} is older than 7.1\"}\n  when: !version_compare(libvirt_version, '>=', '7.1')")
            .build();

    @Override
    public String name() {
        return "fail";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        throw new ModuleException(args.string("msg"), null);
    }
}
