package dev.hyperform.modules.files;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code file}: a path's state (file, directory, link, hard, absent, touch) and its attributes. */
public final class FileModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Make a path a directory, a link, absent, touched, or set its attributes.")
            .arg(ArgDef.required("path", ArgType.PATH, "path on the target").aliases("dest", "name"))
            .arg(ArgDef.optional("state", ArgType.STRING, "file", "file (attributes of an existing file), directory, link, hard, absent, touch")
                    .choices("file", "directory", "link", "hard", "absent", "touch"))
            .arg(ArgDef.optional("src", ArgType.PATH, null, "what a link points to (state link/hard)"))
            .arg(ArgDef.optional("recurse", ArgType.BOOL, false, "apply mode/owner/group to a directory's contents too"))
            .arg(ArgDef.optional("force", ArgType.BOOL, false, "replace an existing non-link with a link"))
            .arg(ArgDef.optional("mode", ArgType.MODE, null, "mode, e.g. '0755' or 'u+x'"))
            .arg(ArgDef.optional("owner", ArgType.STRING, null, "owner"))
            .arg(ArgDef.optional("group", ArgType.STRING, null, "group"))
            .example("- file: {path: /var/tmp/vhost, state: directory, mode: '0755'}")
            .build();

    @Override
    public String name() {
        return "file";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        String path = args.string("path");
        String state = args.string("state");
        RemoteFile now = RemoteFile.probe(target, path);
        Optional<String> owner = args.optString("owner");
        Optional<String> group = args.optString("group");
        Map<String, Object> values = Map.of("path", path, "state", state);
        switch (state) {
            case "absent" -> {
                return now.exists() ? Change.of("remove " + now.type() + " " + path, Command.of("rm", "-rf", "--", path))
                        .withDiff(Diff.attributes(path, Map.of("state", new String[] {now.type(), "absent"}))).withValues(values)
                        : Change.none(path + " is absent").withValues(values);
            }
            case "directory" -> {
                Optional<String> mode = args.optString("mode").map(m -> Modes.resolve(m, now.mode(), true));
                if (now.exists() && !now.isDirectory()) {
                    throw new ModuleException(path + " exists and is a " + now.type() + ", not a directory",
                            "remove it first (state: absent)");
                }
                if (!now.exists()) {
                    List<Command> cmds = new ArrayList<>();
                    cmds.add(Command.of("mkdir", "-p", "--", path));
                    mode.ifPresent(m -> cmds.add(Command.of("chmod", "--", m, path)));
                    owner.ifPresent(o -> cmds.add(Command.of("chown", "--", o, path)));
                    group.ifPresent(g -> cmds.add(Command.of("chgrp", "--", g, path)));
                    return Change.of("create directory " + path, cmds)
                            .withDiff(Diff.attributes(path, Map.of("state", new String[] {"absent", "directory"}))).withValues(values);
                }
                return Attributes.plan(now, mode, owner, group, args.bool("recurse")).withValues(values);
            }
            case "touch" -> {
                List<Command> cmds = new ArrayList<>();
                cmds.add(Command.of("touch", "--", path));
                args.optString("mode").map(m -> Modes.resolve(m, now.mode(), false)).ifPresent(m -> cmds.add(Command.of("chmod", "--", m, path)));
                owner.ifPresent(o -> cmds.add(Command.of("chown", "--", o, path)));
                group.ifPresent(g -> cmds.add(Command.of("chgrp", "--", g, path)));
                return Change.of("touch " + path, cmds).withValues(values);
            }
            case "link", "hard" -> {
                String src = args.optString("src").orElseThrow(() -> ModuleException.invalidArgs(args.location(),
                        "file state " + state + " needs src (what the link points to)", "add src: /path/to/target"));
                if (state.equals("link") && now.isLink() && src.equals(now.linkTarget())) {
                    return Change.none(path + " already links to " + src).withValues(values);
                }
                if (now.exists() && !now.isLink() && !args.bool("force") && state.equals("link")) {
                    throw new ModuleException(path + " exists and is a " + now.type() + "; refusing to replace it with a link",
                            "set force: true to replace it");
                }
                if (state.equals("hard")) {
                    RemoteFile s = RemoteFile.probe(target, src);
                    if (now.exists() && s.exists() && sameInode(target, src, path)) {
                        return Change.none(path + " is already a hard link to " + src).withValues(values);
                    }
                    return Change.of("hard link " + path + " to " + src, Command.of("ln", "-f", "--", src, path)).withValues(values);
                }
                return Change.of("link " + path + " -> " + src, Command.of("ln", "-sfn", "--", src, path))
                        .withDiff(Diff.attributes(path, Map.of("link", new String[] {String.valueOf(now.linkTarget()), src})))
                        .withValues(values);
            }
            default -> {
                if (!now.exists()) {
                    throw new ModuleException(path + " does not exist (state: file only sets attributes of an existing file)",
                            "create it with copy or template, or use state: touch");
                }
                Optional<String> mode = args.optString("mode").map(m -> Modes.resolve(m, now.mode(), now.isDirectory()));
                return Attributes.plan(now, mode, owner, group, args.bool("recurse")).withValues(values);
            }
        }
    }

    private static boolean sameInode(Target target, String a, String b) {
        var r = target.probe(Command.of("stat", "-L", "-c", "%d:%i", "--", a, b));
        List<String> lines = r.out().lines().toList();
        return r.ok() && lines.size() == 2 && lines.get(0).equals(lines.get(1));
    }
}
