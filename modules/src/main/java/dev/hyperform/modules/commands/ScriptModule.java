package dev.hyperform.modules.commands;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code script}: run a script from the controller on the target. It is sent on stdin to its interpreter (the
 * shebang's, else /bin/sh), so nothing is copied or left on the target; arguments arrive literally.
 */
public final class ScriptModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Run a controller script on the target (sent on stdin; nothing is left behind).")
            .arg(ArgDef.optional("cmd", ArgType.STRING, null, "script path on the controller, then its arguments").aliases("_raw_params"))
            .arg(ArgDef.optional("creates", ArgType.PATH, null, "skip when this path exists on the target"))
            .arg(ArgDef.optional("removes", ArgType.PATH, null, "skip when this path does not exist"))
            .arg(ArgDef.optional("executable", ArgType.PATH, null, "interpreter (default: the shebang, else /bin/sh)"))
            .freeForm("cmd")
            .example("- script: files/prepare-node.sh --quick\n  creates: /var/lib/prepared")
            .build();

    @Override
    public String name() {
        return "script";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        List<String> words = Words.split(args.optString("cmd").orElse(""), args.location());
        if (words.isEmpty()) {
            throw ModuleException.invalidArgs(args.location(), "script needs the script's path", "write script: path/to/script.sh [args]");
        }
        if (args.has("creates") && target.probe("test", "-e", args.string("creates")).ok()) {
            return Change.none("skipped, since " + args.string("creates") + " exists");
        }
        if (args.has("removes") && !target.probe("test", "-e", args.string("removes")).ok()) {
            return Change.none("skipped, since " + args.string("removes") + " does not exist");
        }
        Path script = target.controllerFile("files", words.get(0));
        byte[] body;
        try {
            body = Files.readAllBytes(script);
        } catch (IOException e) {
            throw new ModuleException("cannot read " + script + ": " + e.getMessage(), "check the script on the controller");
        }
        List<String> argv = new ArrayList<>();
        String first = new String(body, 0, Math.min(body.length, 200)).lines().findFirst().orElse("");
        if (args.has("executable")) {
            argv.addAll(Words.split(args.string("executable"), args.location()));
        } else if (first.startsWith("#!")) {
            argv.addAll(Words.split(first.substring(2).strip(), args.location()));
        } else {
            argv.add("/bin/sh");
        }
        argv.add(argv.get(0).endsWith("sh") ? "-s" : "-");
        if (argv.get(0).endsWith("sh")) {
            argv.add("--");
        }
        argv.addAll(words.subList(1, words.size()));
        return Change.of("run script " + script.getFileName(), Command.of(argv).withStdin(body).described("script " + String.join(" ", words)));
    }
}
