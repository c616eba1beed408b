package dev.hyperform.modules.files;

import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Diff;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** chmod/chown/chgrp for an existing path when its attributes differ from the wanted ones, with a before/after diff. */
final class Attributes {
    private Attributes() {
    }

    static Change plan(RemoteFile now, Optional<String> mode, Optional<String> owner, Optional<String> group, boolean recurse) {
        List<Command> cmds = new ArrayList<>();
        Map<String, String[]> diff = new LinkedHashMap<>();
        String r = recurse ? "-R" : null;
        if (mode.isPresent() && !mode.get().equals(now.mode())) {
            cmds.add(Command.of(args("chmod", r, mode.get(), now.path())));
            diff.put("mode", new String[] {now.mode(), mode.get()});
        }
        if (owner.isPresent() && !owner.get().equals(now.owner())) {
            cmds.add(Command.of(args("chown", r, owner.get(), now.path())));
            diff.put("owner", new String[] {now.owner(), owner.get()});
        }
        if (group.isPresent() && !group.get().equals(now.group())) {
            cmds.add(Command.of(args("chgrp", r, group.get(), now.path())));
            diff.put("group", new String[] {now.group(), group.get()});
        }
        if (cmds.isEmpty()) {
            return Change.none(now.path() + " has the wanted attributes");
        }
        return Change.of("set " + String.join(", ", diff.keySet()) + " of " + now.path(), cmds)
                .withDiff(Diff.attributes(now.path(), diff));
    }

    private static List<String> args(String tool, String flag, String value, String path) {
        List<String> a = new ArrayList<>();
        a.add(tool);
        if (flag != null) {
            a.add(flag);
        }
        a.add("--");
        a.add(value);
        a.add(path);
        return a;
    }
}
