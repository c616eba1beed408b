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
import dev.hyperform.transport.Shell;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code command} and {@code shell}: run a command (argv, no shell) or a shell script. They always report a
 * change when they run; {@code creates}/{@code removes} make them idempotent, {@code changed_when} too.
 */
public class CommandModule implements Module {
    private final boolean shell;
    private final String name;

    /** {@code command}: no shell in between; the string is split into words like a shell would. */
    public CommandModule() {
        this("command", false);
    }

    protected CommandModule(String name, boolean shell) {
        this.name = name;
        this.shell = shell;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ArgSpec spec() {
        ArgSpec.Builder b = ArgSpec.builder(shell
                        ? "Run a script through /bin/sh on the target (pipes, redirections, variables work)."
                        : "Run a command on the target without a shell (the string is split into words; no pipes or $VARS).")
                .arg(ArgDef.optional("cmd", ArgType.STRING, null, "the command line").aliases("_raw_params"))
                .arg(ArgDef.optional("chdir", ArgType.PATH, null, "run in this directory"))
                .arg(ArgDef.optional("creates", ArgType.PATH, null, "skip when this path exists"))
                .arg(ArgDef.optional("removes", ArgType.PATH, null, "skip when this path does not exist"))
                .arg(ArgDef.optional("stdin", ArgType.STRING, null, "text for the command's stdin"))
                .arg(ArgDef.optional("stdin_add_newline", ArgType.BOOL, true, "add a newline after stdin"))
                .freeForm("cmd");
        if (shell) {
            b.arg(ArgDef.optional("executable", ArgType.PATH, "/bin/sh", "the shell"));
            b.example("- shell: grep -c vhost-user-blk-pci < /tmp/devices | tee /tmp/count\n  changed_when: false");
        } else {
            b.arg(ArgDef.optional("argv", ArgType.LIST, null, "the command as a list of words (instead of cmd)"));
            b.example("- command: qemu-system-x86_64 --version\n  register: qemu\n  changed_when: false");
        }
        return b.build();
    }

    @Override
    public Change plan(Target target, Args args) {
        List<String> argv = new ArrayList<>();
        String shown;
        if (shell) {
            String script = args.optString("cmd").orElseThrow(() -> ModuleException.invalidArgs(args.location(),
                    name + " needs the script to run", "write " + name + ": SCRIPT"));
            String full = args.optString("chdir").map(d -> "cd " + Shell.quote(d) + " || exit 1\n").orElse("") + script;
            argv.addAll(List.of(args.optString("executable").orElse("/bin/sh"), "-c", full));
            shown = script;
        } else {
            List<String> words = args.has("argv") ? args.strings("argv")
                    : Words.split(args.optString("cmd").orElse(""), args.location());
            if (words.isEmpty()) {
                throw ModuleException.invalidArgs(args.location(), "command needs a command to run",
                        "write command: prog arg... or argv: [prog, arg]");
            }
            if (args.has("chdir")) {
                argv.addAll(List.of("sh", "-c", "cd \"$1\" || exit 1; shift; exec \"$@\"", "sh", args.string("chdir")));
            }
            argv.addAll(words);
            shown = Shell.join(words);
        }
        if (args.has("creates") && target.probe("test", "-e", args.string("creates")).ok()) {
            return Change.none("skipped, since " + args.string("creates") + " exists");
        }
        if (args.has("removes") && !target.probe("test", "-e", args.string("removes")).ok()) {
            return Change.none("skipped, since " + args.string("removes") + " does not exist");
        }
        Command c = Command.of(argv).described(shown);
        if (args.has("stdin")) {
            c = c.withStdin(args.string("stdin") + (args.bool("stdin_add_newline") ? "\n" : ""));
        }
        return Change.of("run " + shown, c);
    }

    /** {@code shell}. */
    public static final class ShellModule extends CommandModule {
        public ShellModule() {
            super("shell", true);
        }
    }

    /** {@code raw}: like shell; kept for playbooks that bootstrap hosts. */
    public static final class RawModule extends CommandModule {
        public RawModule() {
            super("raw", true);
        }
    }
}
