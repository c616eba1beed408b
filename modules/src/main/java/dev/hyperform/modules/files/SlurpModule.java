package dev.hyperform.modules.files;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import dev.hyperform.transport.ExecResult;
import java.util.Base64;
import java.util.Map;

/** {@code slurp}: read a file of the target into a variable ({@code content} in base64, as Ansible). Read-only. */
public final class SlurpModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Read a remote file into a registered variable (base64).")
            .arg(ArgDef.required("src", ArgType.PATH, "file on the target").aliases("path"))
            .example("- slurp: {src: /etc/ceph/ceph.conf}\n  register: cephconf\n- debug: {msg: \"${cephconf.text}\"}")
            .build();

    @Override
    public String name() {
        return "slurp";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        String src = args.string("src");
        ExecResult r = target.probe(Command.of("cat", "--", src));
        if (!r.ok()) {
            throw new ModuleException("cannot read " + src + " on " + target.host() + ": " + r.err().strip(), "check the path; become: true for root-only files");
        }
        return Change.none("read " + r.stdout().length + " bytes of " + src).withValues(Map.of(
                "content", Base64.getEncoder().encodeToString(r.stdout()), "encoding", "base64", "source", src, "text", r.out()));
    }
}
