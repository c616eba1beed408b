package dev.hyperform.modules.files;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Module;
import dev.hyperform.module.Target;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code stat}: facts about a path, registered as {@code stat.*} (exists, isdir, isreg, islnk, mode, ...). */
public final class StatModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Read a path's type, mode, owner, size and sha256 (read-only).")
            .arg(ArgDef.required("path", ArgType.PATH, "path on the target"))
            .example("- stat: {path: /dev/hugepages}\n  register: hp")
            .build();

    @Override
    public String name() {
        return "stat";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        RemoteFile f = RemoteFile.probe(target, args.string("path"));
        Map<String, Object> stat = new LinkedHashMap<>();
        stat.put("exists", f.exists());
        if (f.exists()) {
            stat.put("path", f.path());
            stat.put("isdir", f.isDirectory());
            stat.put("isreg", f.isFile());
            stat.put("islnk", f.isLink());
            stat.put("mode", f.mode());
            stat.put("pw_name", f.owner());
            stat.put("gr_name", f.group());
            stat.put("size", f.size());
            if (f.sha256() != null) {
                stat.put("checksum", f.sha256());
            }
            if (f.linkTarget() != null) {
                stat.put("lnk_target", f.linkTarget());
            }
        }
        return Change.none(f.path() + (f.exists() ? " is a " + f.type() : " does not exist")).withValues(Map.of("stat", stat));
    }
}
