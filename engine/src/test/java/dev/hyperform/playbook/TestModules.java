package dev.hyperform.playbook;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleRegistry;
import dev.hyperform.module.Target;

/** Small modules with real specs, for loading playbooks in tests (they are never run). */
final class TestModules {
    private TestModules() {
    }

    static ModuleRegistry registry() {
        return ModuleRegistry.of(
                module("command", ArgSpec.builder("run a command").freeForm("cmd")
                        .arg(ArgDef.optional("cmd", ArgType.STRING, null, "the command"))
                        .arg(ArgDef.optional("chdir", ArgType.PATH, null, "where"))
                        .arg(ArgDef.optional("creates", ArgType.PATH, null, "skip if exists")).build()),
                module("copy", ArgSpec.builder("copy a file")
                        .arg(ArgDef.optional("src", ArgType.PATH, null, "source"))
                        .arg(ArgDef.optional("content", ArgType.STRING, null, "content"))
                        .arg(ArgDef.required("dest", ArgType.PATH, "destination"))
                        .arg(ArgDef.optional("mode", ArgType.MODE, null, "mode"))
                        .arg(ArgDef.optional("backup", ArgType.BOOL, false, "keep a backup")).build()),
                module("debug", ArgSpec.builder("print").arg(ArgDef.optional("msg", ArgType.STRING, null, "message"))
                        .arg(ArgDef.optional("var", ArgType.STRING, null, "variable")).build()),
                module("template", ArgSpec.builder("render a template")
                        .arg(ArgDef.required("src", ArgType.PATH, "template"))
                        .arg(ArgDef.required("dest", ArgType.PATH, "destination")).build()));
    }

    private static Module module(String name, ArgSpec spec) {
        return new Module() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ArgSpec spec() {
                return spec;
            }

            @Override
            public Change plan(Target target, Args args) {
                throw new UnsupportedOperationException("test module " + name + " is never run");
            }
        };
    }
}
