package dev.hyperform.modules.files;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Diff;
import dev.hyperform.module.Target;
import dev.hyperform.transport.ExecResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts content into a file on the target atomically: the bytes travel on stdin into a temp file in the
 * destination's directory, mode/owner/group are set on it, it is synced and then renamed over the destination,
 * so an interrupted run leaves the old file or the new one, never a torn one. Optional backup and validation.
 * Used by every module that writes a file (copy, template, lineinfile, blockinfile, sysctl ...).
 */
public final class FileWrite {
    /*
     * The directory of dest is worked out by the shell (as dirname(1) does: trailing slashes, no slash, the root), and
     * what an existing dest's mode, owner and group are comes from one stat; both inherited ids are set in one chown:
     * a write that replaces a file starts four programs fewer than with dirname, three stats, chown and chgrp.
     */
    private static final String SCRIPT = """
            set -e
            dest=$1 mode=$2 owner=$3 group=$4 backup=$5 validate=$6
            dir=$dest
            while [ "${dir%/}" != "$dir" ] && [ -n "${dir%/}" ]; do dir=${dir%/}; done
            case $dir in
              /) ;;
              */*) dir=${dir%/*}; while [ "${dir%/}" != "$dir" ] && [ -n "${dir%/}" ]; do dir=${dir%/}; done; dir=${dir:-/} ;;
              *) dir=. ;;
            esac
            tmp=$(mktemp "$dir/.hyperform.XXXXXXXX")
            trap 'rm -f -- "$tmp"' EXIT
            cat > "$tmp"
            old=
            if { [ -z "$mode" ] || [ -z "$owner" ] || [ -z "$group" ]; } && [ -e "$dest" ] && [ ! -L "$dest" ]; then old=$(stat -c '%a %u %g' -- "$dest"); fi
            if [ -n "$mode" ]; then chmod "$mode" -- "$tmp"; elif [ -n "$old" ]; then chmod "${old%% *}" -- "$tmp"; else chmod 0644 -- "$tmp"; fi
            u=$owner; [ -n "$u" ] || [ -z "$old" ] || { u=${old#* }; u=${u%% *}; }
            g=$group; [ -n "$g" ] || [ -z "$old" ] || g=${old##* }
            if [ -z "$owner$group" ] && [ -n "$old" ]; then chown -- "$u:$g" "$tmp"
            else
              if [ -n "$u" ]; then chown -- "$u" "$tmp"; fi
              if [ -n "$g" ]; then chgrp -- "$g" "$tmp"; fi
            fi
            if [ -n "$validate" ]; then HF_FILE=$tmp sh -c "$validate" || { echo "validation failed: $validate" >&2; exit 3; }; fi
            sync -- "$tmp" 2>/dev/null || sync
            if [ "$backup" = yes ] && [ -e "$dest" ]; then cp -p -- "$dest" "$dest.$(date +%Y%m%d%H%M%S)~"; fi
            mv -f -- "$tmp" "$dest"
            trap - EXIT
            """;

    private FileWrite() {
    }

    /** The attribute arguments every file-writing module shares. */
    /**
     * Whether the task sets a mode, owner or group: only then does its probe need the file's own (without, a small
     * text file's probe starts no program on the host).
     */
    public static boolean setsAttributes(Args args) {
        return args.has("mode") || args.has("owner") || args.has("group");
    }

    public static List<ArgDef> attributeArgs() {
        return List.of(
                ArgDef.optional("mode", ArgType.MODE, null, "file mode, e.g. '0644' (quote it) or 'u+rw,go-w'"),
                ArgDef.optional("owner", ArgType.STRING, null, "owner (user name or uid)"),
                ArgDef.optional("group", ArgType.STRING, null, "group (name or gid)"),
                ArgDef.optional("backup", ArgType.BOOL, false, "keep the old file as DEST.TIMESTAMP~"),
                ArgDef.optional("validate", ArgType.STRING, null,
                        "command that must succeed on the new content before it replaces DEST; %s is the temp file"));
    }

    /**
     * Plan writing {@code content} to {@code dest}: nothing when content and attributes already match; the write
     * when content differs or the file is absent; chmod/chown/chgrp when only attributes differ. A module with a
     * {@code force} argument set to false only creates: an existing dest is left alone.
     */
    public static Change plan(Target target, Args args, String dest, byte[] content, String what) {
        RemoteFile.WithText known = RemoteFile.probeWithText(target, dest, RemoteFile.SMALL, setsAttributes(args));
        return plan(target, args, dest, known.file(), Optional.of(known), content, what, false);
    }

    /** As above, for a module that has already probed dest with its text (one round trip for the whole task). */
    public static Change plan(Target target, Args args, RemoteFile.WithText known, byte[] content, String what) {
        return plan(target, args, known.file().path(), known.file(), Optional.of(known), content, what, false);
    }

    /**
     * The same for copy, with Ansible's rule for a symbolic link at dest: {@code follow: false} (the default)
     * replaces the link by the file, and leaves what it pointed to alone; {@code follow: true} writes the file the
     * link points to. A link to a directory is refused either way.
     */
    public static Change planFollowing(Target target, Args args, String dest, byte[] content, String what, boolean follow) {
        // a small file comes back whole: its checksum is computed here and a diff needs no second read
        RemoteFile.WithText known = RemoteFile.probeWithText(target, dest, RemoteFile.SMALL, setsAttributes(args));
        RemoteFile now = known.file();
        if (!now.isLink() || (args.has("force") && !args.bool("force"))) {
            return plan(target, args, dest, now, Optional.of(known), content, what, false);
        }
        ExecResult real = target.probe(Command.sh("[ ! -d \"$1\" ] && readlink -f -- \"$1\"", List.of(dest)));
        if (!real.ok()) {
            throw new dev.hyperform.module.ModuleException(dest + " is a link to a directory (" + now.linkTarget() + "), not a file",
                    "name a file inside it as dest");
        }
        String resolved = real.out().strip();
        return follow ? plan(target, args, resolved, RemoteFile.probe(target, resolved), Optional.empty(), content, what, false)
                : plan(target, args, dest, now, Optional.empty(), content, what, true);
    }

    private static Change plan(Target target, Args args, String dest, RemoteFile now, Optional<RemoteFile.WithText> known,
                               byte[] content, String what, boolean replaceLink) {
        if (now.exists() && args.has("force") && !args.bool("force")) {
            return Change.none(dest + " exists (force: false)");
        }
        boolean link = replaceLink && now.isLink();
        if (now.exists() && !now.isFile() && !link) {
            throw new dev.hyperform.module.ModuleException(dest + " exists and is a " + now.type() + ", not a file",
                    "remove it first or choose another dest");
        }
        String sha = sha256(content);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("dest", dest);
        values.put("checksum", sha);
        values.put("size", content.length);
        Optional<String> mode = args.optString("mode").map(m -> Modes.resolve(m, now.mode(), false));
        Optional<String> owner = args.optString("owner");
        Optional<String> group = args.optString("group");
        boolean contentDiffers = !now.exists() || link || !sha.equals(now.sha256());
        if (contentDiffers) {
            String validate = args.optString("validate").map(v -> v.replace("%s", "\"$HF_FILE\"")).orElse("");
            Command write = Command.sh(SCRIPT, List.of(dest, mode.orElse(""), owner.orElse(""), group.orElse(""),
                    args.bool("backup") ? "yes" : "no", validate)).withStdin(content)
                    .described("write " + dest + " (" + content.length + " bytes" + mode.map(m -> ", mode " + m).orElse("") + ")");
            String summary = link ? "replace the link " + dest + " -> " + now.linkTarget() + " by a " + what
                    : (now.exists() ? "update " : "create ") + what + " " + dest;
            Change c = Change.of(summary, write).withValues(values);
            if (!link && (target.diffMode() || target.checkMode())) {
                // what the probe read, else (too large for it, or binary-looking) a read of its own
                Optional<String> read = known.flatMap(RemoteFile.WithText::text);
                String before = !now.exists() ? null : read.isPresent() ? read.get() : RemoteFile.read(target, now).orElse(null);
                String after = isText(content) ? new String(content, StandardCharsets.UTF_8) : null;
                if (after != null && (before != null || !now.exists())) {
                    c = c.withDiff(Diff.content(dest, before, after));
                }
            }
            return c;
        }
        Change attrs = Attributes.plan(now, mode, owner, group, false);
        return attrs.isNone() ? Change.none(what + " " + dest + " is up to date").withValues(values) : attrs.withValues(values);
    }

    static boolean isText(byte[] b) {
        for (byte x : b) {
            if (x == 0) {
                return false;
            }
        }
        return true;
    }

    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<ArgDef> with(List<ArgDef> own) {
        List<ArgDef> all = new ArrayList<>(own);
        all.addAll(attributeArgs());
        return all;
    }
}
