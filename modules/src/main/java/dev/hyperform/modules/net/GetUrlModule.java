package dev.hyperform.modules.net;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import dev.hyperform.modules.files.Modes;
import dev.hyperform.modules.files.RemoteFile;
import java.util.List;
import java.util.Map;

/**
 * {@code get_url}: download a URL on the target (curl or wget, whichever it has) into a temp file beside the
 * destination, verify its sha256 when a checksum is given, then rename it into place. Nothing is downloaded when
 * the destination already has the checksum (or exists, without one and without force).
 */
public final class GetUrlModule implements Module {
    private static final String FETCH = """
            set -e
            url=$1 dest=$2 sum=$3 mode=$4 timeout=$5
            tmp=$(mktemp "$(dirname -- "$dest")/.hyperform.XXXXXXXX")
            trap 'rm -f -- "$tmp"' EXIT
            if command -v curl >/dev/null 2>&1; then curl -fsSL --max-time "$timeout" -o "$tmp" -- "$url"
            elif command -v wget >/dev/null 2>&1; then wget -q -T "$timeout" -O "$tmp" -- "$url"
            else echo "neither curl nor wget is installed on this host" >&2; exit 127; fi
            if [ -n "$sum" ]; then
              got=$(sha256sum -- "$tmp" | cut -d' ' -f1)
              [ "$got" = "$sum" ] || { echo "checksum mismatch: got sha256:$got, expected sha256:$sum" >&2; exit 3; }
            fi
            if [ -n "$mode" ]; then chmod "$mode" -- "$tmp"; else chmod 0644 -- "$tmp"; fi
            sync -- "$tmp" 2>/dev/null || sync
            mv -f -- "$tmp" "$dest"
            trap - EXIT
            """;
    private static final ArgSpec SPEC = ArgSpec.builder("Download a file on the target (curl or wget), verified by sha256, atomically.")
            .arg(ArgDef.required("url", ArgType.STRING, "http(s) URL"))
            .arg(ArgDef.required("dest", ArgType.PATH, "destination file"))
            .arg(ArgDef.optional("checksum", ArgType.STRING, null, "sha256:HEX; also decides whether a download is needed"))
            .arg(ArgDef.optional("mode", ArgType.MODE, null, "mode of the file"))
            .arg(ArgDef.optional("force", ArgType.BOOL, false, "download again when dest exists and no checksum is given"))
            .arg(ArgDef.optional("timeout", ArgType.INT, 60L, "seconds for the download"))
            .example("- get_url:\n    url: https://example.org/spdk-v23.09.tar.gz\n    dest: /usr/local/src/spdk-v23.09.tar.gz\n    checksum: sha256:0123...")
            .build();

    @Override
    public String name() {
        return "get_url";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        String dest = args.string("dest");
        String sum = args.optString("checksum").map(c -> c.startsWith("sha256:") ? c.substring(7) : c).orElse("");
        if (args.has("checksum") && !sum.matches("[0-9a-fA-F]{64}")) {
            throw ModuleException.invalidArgs(args.location(), "checksum must be sha256:<64 hex digits>", "compute it with sha256sum");
        }
        RemoteFile now = RemoteFile.probe(target, dest);
        boolean fresh = now.isFile() && (sum.isEmpty() ? !args.bool("force") : sum.equalsIgnoreCase(now.sha256()));
        if (fresh) {
            return Change.none(dest + (sum.isEmpty() ? " exists" : " has the checksum")).withValues(Map.of("dest", dest, "checksum", String.valueOf(now.sha256())));
        }
        String mode = args.optString("mode").map(m -> Modes.resolve(m, now.mode(), false)).orElse("");
        return Change.of("download " + args.string("url") + " to " + dest, Command.sh(FETCH,
                List.of(args.string("url"), dest, sum.toLowerCase(), mode, Long.toString(args.integer("timeout"))))
                .described("download " + args.string("url") + " -> " + dest)).withValues(Map.of("dest", dest));
    }
}
