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

/**
 * {@code mount}: a mount point's fstab line (present/absent) and whether it is mounted now (mounted/unmounted),
 * e.g. hugetlbfs with {@code pagesize=1G}. The fstab file is rewritten atomically.
 */
public final class MountModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Mount a filesystem and keep its line in fstab (hugetlbfs, tmpfs, disks).")
            .arg(ArgDef.required("path", ArgType.PATH, "mount point").aliases("name"))
            .arg(ArgDef.optional("src", ArgType.STRING, null, "device or source (e.g. nodev for hugetlbfs)"))
            .arg(ArgDef.optional("fstype", ArgType.STRING, null, "filesystem type (e.g. hugetlbfs)"))
            .arg(ArgDef.optional("opts", ArgType.STRING, "defaults", "mount options (e.g. pagesize=1G,mode=1770)"))
            .arg(ArgDef.optional("state", ArgType.STRING, "mounted", "mounted, unmounted, present or absent")
                    .choices("mounted", "unmounted", "present", "absent"))
            .arg(ArgDef.optional("fstab", ArgType.PATH, "/etc/fstab", "the fstab file"))
            .example("- mount: {path: /dev/hugepages1G, src: nodev, fstype: hugetlbfs, opts: pagesize=1G, state: mounted}")
            .build();

    @Override
    public String name() {
        return "mount";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        String path = args.string("path");
        String state = args.string("state");
        boolean wantLine = state.equals("mounted") || state.equals("present");
        if (wantLine && (!args.has("src") || !args.has("fstype"))) {
            throw ModuleException.invalidArgs(args.location(), "mount with state " + state + " needs src and fstype",
                    "add src: and fstype:");
        }
        String fstab = args.string("fstab");
        RemoteFile.WithText probed = RemoteFile.probeWithText(target, fstab);
        RemoteFile f = probed.file();
        String text = probed.text().orElse("");
        String line = wantLine ? String.join(" ", args.string("src"), path, args.string("fstype"), args.string("opts"), "0", "0") : null;
        String edited = editFstab(text, path, line);
        List<Command> cmds = new ArrayList<>();
        List<Diff> diffs = new ArrayList<>();
        if (!edited.equals(text)) {
            Change w = FileWrite.plan(target, new Args("mount", Map.of("mode", "0644"), args.location()), probed,
                    edited.getBytes(StandardCharsets.UTF_8), "fstab");
            cmds.addAll(w.commands());
            diffs.addAll(w.diffs());
        }
        ExecResult m = target.probe(Command.sh("awk -v p=\"$1\" '$2 == p {print $1, $3, $4}' /proc/self/mounts", List.of(path)));
        String mounted = m.out().strip();
        boolean isMounted = !mounted.isEmpty();
        if (state.equals("mounted")) {
            if (!isMounted) {
                cmds.add(Command.of("mkdir", "-p", "--", path));
                cmds.add(Command.of("mount", "-t", args.string("fstype"), "-o", args.string("opts"), "--", args.string("src"), path));
                diffs.add(Diff.attributes(path, Map.of("mounted", new String[] {"no", "yes"})));
            } else if (!mounted.split(" ")[1].equals(args.string("fstype"))) {
                throw new ModuleException(path + " is mounted as " + mounted.split(" ")[1] + ", not " + args.string("fstype"),
                        "unmount it first (state: unmounted)");
            }
        } else if ((state.equals("unmounted") || state.equals("absent")) && isMounted) {
            cmds.add(Command.of("umount", "--", path));
            diffs.add(Diff.attributes(path, Map.of("mounted", new String[] {"yes", "no"})));
        }
        if (cmds.isEmpty()) {
            return Change.none(path + " is " + state);
        }
        return Change.commands(state + " " + path, cmds, diffs, Map.of("path", path));
    }

    static String editFstab(String text, String path, String line) {
        List<String> out = new ArrayList<>();
        boolean done = false;
        for (String l : text.isEmpty() ? List.<String>of() : List.of(text.split("\n"))) {
            String[] f = l.strip().split("\\s+");
            boolean ours = !l.strip().startsWith("#") && f.length >= 2 && f[1].equals(path);
            if (ours) {
                if (line != null && !done) {
                    out.add(line);
                    done = true;
                }
            } else {
                out.add(l);
            }
        }
        if (line != null && !done) {
            out.add(line);
        }
        return out.isEmpty() ? "" : String.join("\n", out) + "\n";
    }
}
