package dev.hyperform.modules.files;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.module.Target;
import dev.hyperform.transport.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * {@code fetch}: copy a file from the target to the controller, as {@code DEST/HOST/SRC} or, with {@code flat},
 * to DEST itself. The sha256 of both sides decides; the only target command is the read of the file, run in the
 * real run only; the controller file is replaced atomically.
 */
public final class FetchModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Copy a file from the target to the controller.")
            .arg(ArgDef.required("src", ArgType.PATH, "file on the target"))
            .arg(ArgDef.required("dest", ArgType.PATH, "directory (or file with flat) on the controller"))
            .arg(ArgDef.optional("flat", ArgType.BOOL, false, "dest is the file itself, not DEST/HOST/SRC"))
            .example("- fetch: {src: /etc/ceph/ceph.conf, dest: fetched/}")
            .build();

    @Override
    public String name() {
        return "fetch";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    static Path local(Target target, Args args) {
        Path dest = Path.of(args.string("dest"));
        return args.bool("flat") ? dest : dest.resolve(target.host()).resolve(args.string("src").replaceFirst("^/+", ""));
    }

    @Override
    public Change plan(Target target, Args args) {
        RemoteFile remote = RemoteFile.probe(target, args.string("src"));
        if (!remote.isFile()) {
            throw new ModuleException(args.string("src") + " is not a file on " + target.host(), "fetch copies single files");
        }
        Path local = local(target, args);
        try {
            if (Files.isRegularFile(local) && FileWrite.sha256(Files.readAllBytes(local)).equals(remote.sha256())) {
                return Change.none(local + " is up to date").withValues(Map.of("dest", local.toString()));
            }
        } catch (IOException e) {
            throw new ModuleException("cannot read " + local + ": " + e.getMessage(), "check the controller path");
        }
        return Change.of("fetch " + args.string("src") + " to " + local, Command.of("cat", "--", args.string("src"))
                .described("read " + args.string("src") + " (to " + local + ")")).withValues(Map.of("dest", local.toString()));
    }

    @Override
    public ModuleResult apply(Target target, Args args, Change change) {
        Command read = change.commands().get(0);
        ExecResult r = target.run(read);
        if (!r.ok()) {
            return ModuleResult.failed("cannot read " + args.string("src") + ": " + r.err().strip(), Map.of(), List.of(new ModuleResult.Ran(read, r)));
        }
        Path local = local(target, args);
        try {
            Files.createDirectories(local.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(local.toAbsolutePath().getParent(), ".hyperform.", ".fetch");
            Files.write(tmp, r.stdout());
            Files.move(tmp, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ModuleException("cannot write " + local + ": " + e.getMessage(), "check the controller path");
        }
        return ModuleResult.changed("fetched " + r.stdout().length + " bytes to " + local, change.values(), List.of(new ModuleResult.Ran(read, r)));
    }
}
