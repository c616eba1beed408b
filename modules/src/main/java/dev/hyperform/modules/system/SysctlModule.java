package dev.hyperform.modules.system;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Diff;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import dev.hyperform.modules.files.FileWrite;
import dev.hyperform.modules.files.RemoteFile;
import dev.hyperform.transport.ExecResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code sysctl}: a kernel parameter's persistent line in a sysctl.d file and, with {@code sysctl_set}, its live
 * value. Both are probed; each is changed only when it differs.
 */
public final class SysctlModule implements Module {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_./-]+");
    private static final ArgSpec SPEC = ArgSpec.builder("Set a kernel parameter persistently (sysctl.d file) and at runtime.")
            .arg(ArgDef.required("name", ArgType.STRING, "parameter, e.g. vm.nr_hugepages").aliases("key"))
            .arg(ArgDef.optional("value", ArgType.STRING, null, "value (required for state present)").aliases("val"))
            .arg(ArgDef.optional("state", ArgType.STRING, "present", "present or absent").choices("present", "absent"))
            .arg(ArgDef.optional("sysctl_file", ArgType.PATH, "/etc/sysctl.d/99-hyperform.conf", "file holding the line"))
            .arg(ArgDef.optional("sysctl_set", ArgType.BOOL, true, "also set the live value with sysctl -w"))
            .arg(ArgDef.optional("reload", ArgType.BOOL, true, "accepted for Ansible compatibility (the live value is set directly)"))
            .arg(ArgDef.optional("ignoreerrors", ArgType.BOOL, false, "accepted for Ansible compatibility"))
            .example("- sysctl: {name: vm.nr_hugepages, value: '1024', sysctl_file: /etc/sysctl.d/80-hugepages.conf}")
            .build();

    @Override
    public String name() {
        return "sysctl";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        String name = args.string("name");
        if (!NAME.matcher(name).matches()) {
            throw ModuleException.invalidArgs(args.location(), "'" + name + "' is not a sysctl name", "e.g. vm.nr_hugepages");
        }
        boolean present = args.string("state").equals("present");
        String value = args.optString("value").map(String::strip).orElse(null);
        if (present && value == null) {
            throw ModuleException.invalidArgs(args.location(), "sysctl " + name + " needs value", "add value: ...");
        }
        String file = args.string("sysctl_file");
        RemoteFile.WithText probed = RemoteFile.probeWithText(target, file);
        RemoteFile f = probed.file();
        String text = probed.text().orElse("");
        String edited = editFile(text, name, present ? value : null);
        List<Command> cmds = new ArrayList<>();
        List<Diff> diffs = new ArrayList<>();
        String summary = "";
        if (!edited.equals(text) || (!f.exists() && present)) {
            Change w = FileWrite.plan(target, fileArgs(args), probed, edited.getBytes(StandardCharsets.UTF_8), "sysctl file");
            cmds.addAll(w.commands());
            diffs.addAll(w.diffs());
            summary = name + " in " + file;
        }
        String live = null;
        if (present && args.bool("sysctl_set")) {
            ExecResult r = target.probe(Command.of("sysctl", "-n", "--", name));
            if (!r.ok()) {
                throw new ModuleException("sysctl " + name + " cannot be read on " + target.host() + ": " + r.err().strip(),
                        "check the name (sysctl -a lists them)");
            }
            live = r.out().strip().replaceAll("\\s+", " ");
            if (!live.equals(value.replaceAll("\\s+", " "))) {
                cmds.add(Command.of("sysctl", "-w", "--", name + "=" + value));
                diffs.add(Diff.attributes(name, Map.of("live", new String[] {live, value})));
                summary = summary.isEmpty() ? "live " + name : summary + " and live value";
            }
        }
        Map<String, Object> values = live == null ? Map.of("name", name) : Map.of("name", name, "live_value", live);
        if (cmds.isEmpty()) {
            return Change.none(name + " is " + (present ? value : "absent")).withValues(values);
        }
        return Change.commands("set " + summary, cmds, diffs, values);
    }

    /** The file's text with {@code name = value} set (value null: removed). */
    static String editFile(String text, String name, String value) {
        List<String> out = new ArrayList<>();
        boolean done = false;
        Pattern line = Pattern.compile("^\\s*" + Pattern.quote(name) + "\\s*=.*$");
        for (String l : text.isEmpty() ? List.<String>of() : List.of(text.split("\n"))) {
            if (line.matcher(l).matches()) {
                if (value != null && !done) {
                    out.add(name + " = " + value);
                    done = true;
                }
            } else {
                out.add(l);
            }
        }
        if (value != null && !done) {
            out.add(name + " = " + value);
        }
        return out.isEmpty() ? "" : String.join("\n", out) + "\n";
    }

    /** The file write takes its mode etc. from defaults: sysctl files are root-owned 0644. */
    private static Args fileArgs(Args original) {
        return new Args(original.module(), Map.of("mode", "0644"), original.location());
    }
}
