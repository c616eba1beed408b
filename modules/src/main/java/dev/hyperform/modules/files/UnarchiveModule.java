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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code unarchive}: unpack a tar (gz, xz, bz2) or zip archive into a directory on the target, from the controller
 * (sent on stdin) or already on the target ({@code remote_src}). Idempotent through {@code creates}.
 */
public final class UnarchiveModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Unpack a tar or zip archive on the target (from the controller or the target).")
            .arg(ArgDef.required("src", ArgType.PATH, "archive: controller file, or a target path with remote_src"))
            .arg(ArgDef.required("dest", ArgType.PATH, "existing directory to unpack into"))
            .arg(ArgDef.optional("remote_src", ArgType.BOOL, false, "src is on the target"))
            .arg(ArgDef.optional("creates", ArgType.PATH, null, "skip when this path exists (makes the task idempotent)"))
            .arg(ArgDef.optional("extra_opts", ArgType.LIST, List.of(), "more options for tar or unzip"))
            .example("- unarchive: {src: spdk-v23.09-install.tar.gz, dest: /, creates: /opt/spdk/bin/vhost}")
            .build();

    @Override
    public String name() {
        return "unarchive";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    private static final String ZIP_FROM_STDIN = """
            set -e
            dest=$1; shift
            tmp=$(mktemp "$dest/.hyperform.XXXXXXXX.zip")
            trap 'rm -f -- "$tmp"' EXIT
            cat > "$tmp"
            unzip -o -q "$@" -- "$tmp" -d "$dest"
            """;

    @Override
    public Change plan(Target target, Args args) {
        if (args.has("creates") && target.probe("test", "-e", args.string("creates")).ok()) {
            return Change.none("skipped, since " + args.string("creates") + " exists");
        }
        String src = args.string("src");
        String dest = args.string("dest");
        if (!target.probe("test", "-d", dest).ok()) {
            throw new ModuleException("destination directory " + dest + " does not exist on " + target.host(), "create it with file state=directory first");
        }
        boolean zip = src.endsWith(".zip");
        List<String> argv = new ArrayList<>();
        if (zip) {
            argv.addAll(List.of("unzip", "-o", "-q"));
            argv.addAll(args.strings("extra_opts"));
            argv.addAll(List.of("--", args.bool("remote_src") ? src : "/dev/stdin", "-d", dest));
        } else {
            argv.addAll(List.of("tar", "-x", "-C", dest));
            // a pipe gives tar no chance to detect the compression itself
            if (src.endsWith(".gz") || src.endsWith(".tgz")) {
                argv.add("-z");
            } else if (src.endsWith(".xz") || src.endsWith(".txz")) {
                argv.add("-J");
            } else if (src.endsWith(".bz2") || src.endsWith(".tbz2")) {
                argv.add("-j");
            }
            argv.addAll(List.of("-f", args.bool("remote_src") ? src : "-"));
            argv.addAll(args.strings("extra_opts"));
        }
        Command c = Command.of(argv);
        if (!args.bool("remote_src")) {
            Path local = target.controllerFile("files", src);
            if (zip) {
                // unzip needs a seekable file: the archive goes to a temp file in dest, removed afterwards
                List<String> zipArgs = new ArrayList<>(List.of(dest));
                zipArgs.addAll(args.strings("extra_opts"));
                c = Command.sh(ZIP_FROM_STDIN, zipArgs);
            }
            try {
                c = c.withStdin(Files.readAllBytes(local));
            } catch (IOException e) {
                throw new ModuleException("cannot read " + local + ": " + e.getMessage(), "check the file on the controller");
            }
        }
        return Change.of("unpack " + src + " into " + dest, c.described("unpack " + src + " into " + dest));
    }
}
