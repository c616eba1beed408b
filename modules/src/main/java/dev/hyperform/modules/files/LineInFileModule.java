package dev.hyperform.modules.files;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code lineinfile}: make sure a line is present (replacing the last line that matches {@code regexp}) or absent.
 * The file is read, edited on the controller and written back atomically.
 */
public final class LineInFileModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Ensure one line is in a file (or absent), replacing the line that matches regexp.")
            .arg(ArgDef.required("path", ArgType.PATH, "file on the target").aliases("dest", "destfile", "name"))
            .arg(ArgDef.optional("line", ArgType.STRING, null, "the line (required for state present)").aliases("value"))
            .arg(ArgDef.optional("regexp", ArgType.STRING, null, "Java regular expression for the line to replace or remove").aliases("regex"))
            .arg(ArgDef.optional("state", ArgType.STRING, "present", "present or absent").choices("present", "absent"))
            .arg(ArgDef.optional("insertafter", ArgType.STRING, null, "EOF or a regexp: insert after its last match when nothing matches regexp"))
            .arg(ArgDef.optional("insertbefore", ArgType.STRING, null, "BOF or a regexp: insert before its last match"))
            .arg(ArgDef.optional("create", ArgType.BOOL, false, "create the file when it is absent"))
            .arg(ArgDef.optional("backrefs", ArgType.BOOL, false, "line may use \\1, \\g<1> or \\g<name> groups of regexp (Python replacement syntax, as Ansible); no insertion when regexp does not match"))
            .arg(ArgDef.optional("firstmatch", ArgType.BOOL, false, "use the first match of insertafter/insertbefore instead of the last"))
            .arg(FileWrite.attributeArgs().get(0)).arg(FileWrite.attributeArgs().get(1)).arg(FileWrite.attributeArgs().get(2))
            .arg(FileWrite.attributeArgs().get(3)).arg(FileWrite.attributeArgs().get(4))
            .example("- lineinfile:\n    path: /etc/libvirt/qemu.conf\n    regexp: '^#?\\s*cgroup_controllers\\s*='\n    line: 'cgroup_controllers = [ ]'")
            .build();

    @Override
    public String name() {
        return "lineinfile";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        String path = args.string("path");
        Optional<RemoteFile.WithText> text = RemoteFile.editable(target, path, args.string("state").equals("absent"), args.bool("create"), "lineinfile",
                FileWrite.setsAttributes(args));
        if (text.isEmpty()) {
            return Change.none(path + " does not exist");
        }
        return FileWrite.plan(target, args, text.get(), edit(text.get().text().orElseThrow(), args).getBytes(StandardCharsets.UTF_8),
                "file");
    }

    static String edit(String text, Args args) {
        List<String> lines = new ArrayList<>(text.isEmpty() ? List.of() : List.of(text.split("\n", -1)));
        boolean trailingNewline = text.endsWith("\n");
        if (trailingNewline) {
            lines.remove(lines.size() - 1);
        }
        Pattern re = args.optString("regexp").map(r -> compile(r, args)).orElse(null);
        String line = args.optString("line").orElse(null);
        if (args.string("state").equals("absent")) {
            lines.removeIf(l -> re != null ? re.matcher(l).find() : l.equals(line));
            return join(lines, trailingNewline || lines.isEmpty());
        }
        if (line == null) {
            throw ModuleException.invalidArgs(args.location(), "lineinfile with state present needs line", "add line: ...");
        }
        int match = -1;
        if (re != null) {
            for (int i = 0; i < lines.size(); i++) {
                if (re.matcher(lines.get(i)).find()) {
                    match = i;
                }
            }
        }
        if (match >= 0) {
            String replacement = line;
            if (args.bool("backrefs")) {
                Matcher m = re.matcher(lines.get(match));
                m.find();
                try {
                    replacement = PythonReplacement.expand(m, line);
                } catch (IllegalArgumentException e) {
                    throw ModuleException.invalidArgs(args.location(), "line with backrefs: " + e.getMessage(),
                            "line is a Python replacement template: \\1 or \\g<1> for a group, \\\\ for a backslash");
                }
            }
            lines.set(match, replacement);
            return join(lines, true);
        }
        if (args.bool("backrefs")) {
            return text;
        }
        if (lines.contains(line)) {
            return text.isEmpty() ? line + "\n" : join(lines, true);
        }
        int at = insertionPoint(lines, args);
        lines.add(at, line);
        return join(lines, true);
    }

    private static int insertionPoint(List<String> lines, Args args) {
        String after = args.optString("insertafter").orElse(null);
        String before = args.optString("insertbefore").orElse(null);
        boolean first = args.bool("firstmatch");
        if (before != null) {
            if (before.equals("BOF")) {
                return 0;
            }
            int idx = find(lines, compile(before, args), first);
            return idx >= 0 ? idx : lines.size();
        }
        if (after != null && !after.equals("EOF")) {
            int idx = find(lines, compile(after, args), first);
            return idx >= 0 ? idx + 1 : lines.size();
        }
        return lines.size();
    }

    private static int find(List<String> lines, Pattern p, boolean first) {
        int found = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (p.matcher(lines.get(i)).find()) {
                found = i;
                if (first) {
                    break;
                }
            }
        }
        return found;
    }

    private static Pattern compile(String re, Args args) {
        try {
            // Python's named groups, as Ansible playbooks write them: (?P<name>...) and (?P=name)
            return Pattern.compile(re.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>"));
        } catch (PatternSyntaxException e) {
            throw ModuleException.invalidArgs(args.location(), "bad regular expression '" + re + "': " + e.getDescription(),
                    "regexp uses Java regular expressions (Python's (?P<name>...) is accepted too)");
        }
    }

    private static String join(List<String> lines, boolean finalNewline) {
        if (lines.isEmpty()) {
            return "";
        }
        return String.join("\n", lines) + (finalNewline ? "\n" : "");
    }
}
