package dev.hyperform.modules.files;

import dev.hyperform.module.Command;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import dev.hyperform.transport.ExecResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * What a path is on the target, from one probe: type, mode, owner, group, size, sha256, link target.
 * Also reads a file's content for modules that edit text.
 */
public record RemoteFile(String path, String type, String mode, String owner, String group, long size,
                         String sha256, String linkTarget) {

    /** Files larger than this are not read back for diffs or edits. */
    public static final long MAX_TEXT = 4L * 1024 * 1024;

    /** Files at most this large are read whole by the probe of a module that writes a file, not summed on the target. */
    public static final long SMALL = 64L * 1024;

    /*
     * A bare text probe (the task sets no mode, owner or group) of a small regular file under bash starts no program
     * at all: bash's read takes the file up to a NUL or its end, at most the limit and one byte; when it reached the
     * end, what it read is the whole file, text, and its length is the size; mode, owner and group stay unknown.
     * Anything else (a NUL, a larger file, no bash) goes the way below.
     *
     * One stat for the metadata; a regular file's content (text mode, small enough) or else its sha256sum: the
     * checksum of content that is read anyway is computed on the controller, so a text probe starts one program
     * (stat) where the shell is bash, which reads a small file itself, and two (stat, cat) elsewhere. bash's read
     * stops at a NUL byte: the content counts then only when its length in bytes is the size stat gave, else cat
     * sends it. The exit status is cat's when cat sends the content, else 0, as it always was.
     */
    private static final String PROBE = """
            p=$1
            if [ -L "$p" ]; then printf 'link|%s\\n' "$(readlink -- "$p")"; fi
            if [ "${4-}" = bare ] && [ -n "${BASH_VERSION-}" ] && [ -f "$p" ] && [ ! -L "$p" ] && [ -r "$p" ]; then
              LC_ALL=C; c=; n=$3; [ "$n" -le @SMALL@ ] || n=@SMALL@
              if ! IFS= read -r -d '' -n "$((n + 1))" c < "$p"; then
                printf 'regular file||||%s\\ntext\\n%s' "${#c}" "$c"; exit 0
              fi
            fi
            if [ -e "$p" ] || [ -L "$p" ]; then
              m=$(stat -c '%F|%a|%U|%G|%s' -- "$p"); [ -n "$m" ] && printf '%s\\n' "$m"
              if [ -f "$p" ] && [ ! -L "$p" ]; then
                if [ "$2" = text ] && [ -n "$m" ] && [ "${m##*|}" -le "$3" ]; then
                  echo text
                  if [ -n "${BASH_VERSION-}" ] && [ "${m##*|}" -le @SMALL@ ]; then
                    LC_ALL=C; c=; IFS= read -r -d '' c < "$p"
                    if [ "${#c}" -eq "${m##*|}" ]; then printf '%s' "$c"; exit 0; fi
                  fi
                  exec cat -- "$p"
                fi
                sha256sum -- "$p"
              fi
            else echo absent; fi
            true
            """.replace("@SMALL@", Long.toString(SMALL));

    public boolean exists() {
        return !type.equals("absent");
    }

    public boolean isFile() {
        return type.equals("file");
    }

    public boolean isDirectory() {
        return type.equals("directory");
    }

    public boolean isLink() {
        return type.equals("link");
    }

    public static RemoteFile probe(Target target, String path) {
        return parse(path, inspect(target, path, -1, true).out());
    }

    /**
     * What the path is and, for a regular file of at most {@link #MAX_TEXT} bytes, its content, in one round trip;
     * the text is empty when the file is absent, not a regular file, too large, or binary-looking.
     */
    public static WithText probeWithText(Target target, String path) {
        return probeWithText(target, path, MAX_TEXT);
    }

    /** As {@link #probeWithText(Target, String)}, reading the content only of a file of at most {@code limit} bytes. */
    public static WithText probeWithText(Target target, String path, long limit) {
        return probeWithText(target, path, limit, true);
    }

    /**
     * As {@link #probeWithText(Target, String, long)}; without {@code attributes} (the task sets no mode, owner or
     * group) a small text file may come back without them ({@code null}), read by the host's shell alone.
     */
    public static WithText probeWithText(Target target, String path, long limit, boolean attributes) {
        ExecResult r = inspect(target, path, limit, attributes);
        byte[] out = r.stdout();
        int at = 0;
        List<String> meta = new java.util.ArrayList<>();
        while (at < out.length) {
            int nl = at;
            while (nl < out.length && out[nl] != '\n') {
                nl++;
            }
            String line = new String(out, at, nl - at, StandardCharsets.UTF_8);
            at = Math.min(out.length, nl + 1);
            if (line.equals("text")) {
                byte[] content = java.util.Arrays.copyOfRange(out, at, out.length);
                RemoteFile f = parse(path, String.join("\n", meta)).withSha256(FileWrite.sha256(content));
                String text = new String(content, StandardCharsets.UTF_8);
                return new WithText(f, text.indexOf('\0') >= 0 ? Optional.empty() : Optional.of(text));
            }
            meta.add(line);
        }
        return new WithText(parse(path, String.join("\n", meta)), Optional.empty());
    }

    private RemoteFile withSha256(String sum) {
        return new RemoteFile(path, type, mode, owner, group, size, sum, linkTarget);
    }

    /** A path's metadata and, when it is a readable text file, its content. */
    public record WithText(RemoteFile file, Optional<String> text) {
    }

    private static ExecResult inspect(Target target, String path, long textLimit, boolean attributes) {
        List<String> args = textLimit < 0 ? List.of(path) : attributes ? List.of(path, "text", Long.toString(textLimit))
                : List.of(path, "text", Long.toString(textLimit), "bare");
        ExecResult r = target.probe(Command.sh(PROBE, args));
        if (!r.ok()) {
            throw new ModuleException("cannot inspect " + path + " (exit " + r.exitCode() + "): " + r.err().strip(),
                    "check that the parent directory is readable (become: true?)");
        }
        return r;
    }

    private static RemoteFile parse(String path, String out) {
        List<String> lines = out.lines().toList();
        String link = null;
        int i = 0;
        if (!lines.isEmpty() && lines.get(0).startsWith("link|")) {
            link = lines.get(0).substring(5);
            i = 1;
        }
        if (i >= lines.size() || lines.get(i).equals("absent")) {
            return new RemoteFile(path, "absent", null, null, null, 0, null, null);
        }
        String[] f = lines.get(i).split("\\|", -1);
        String type = switch (f[0]) {
            case "regular file", "regular empty file" -> "file";
            case "directory" -> "directory";
            case "symbolic link" -> "link";
            default -> f[0];
        };
        // sha256sum's line is "HASH  NAME" (a backslash first when the name needs escaping): the hash is the first word
        String sha = i + 1 < lines.size() ? lines.get(i + 1).replaceFirst("^\\\\", "").split(" ", 2)[0] : null;
        // a bare probe leaves mode, owner and group empty: unknown
        return new RemoteFile(path, type, f[1].isEmpty() ? null : Modes.normalise(f[1]), f[2].isEmpty() ? null : f[2],
                f[3].isEmpty() ? null : f[3], Long.parseLong(f[4]), sha, link);
    }

    /**
     * What a line- or block-editing module starts from, in one round trip: the file and its content ("" for an
     * absent file that may be created), or empty when the file is absent and the wanted state is absent.
     *
     * @throws ModuleException when the file is absent and may not be created, or is not text
     */
    public static Optional<WithText> editable(Target target, String path, boolean wantAbsent, boolean create, String module) {
        return editable(target, path, wantAbsent, create, module, true);
    }

    /** As above; without {@code attributes} the file's mode, owner and group may stay unknown (the task sets none). */
    public static Optional<WithText> editable(Target target, String path, boolean wantAbsent, boolean create, String module,
                                              boolean attributes) {
        WithText probed = probeWithText(target, path, MAX_TEXT, attributes);
        RemoteFile now = probed.file();
        if (!now.exists()) {
            if (wantAbsent) {
                return Optional.empty();
            }
            if (!create) {
                throw new ModuleException(path + " does not exist", "set create: true to create it");
            }
            return Optional.of(new WithText(now, Optional.of("")));
        }
        probed.text().orElseThrow(() -> new ModuleException(path
                + " is not a text file of at most " + MAX_TEXT + " bytes", module + " edits text files"));
        return Optional.of(probed);
    }

    /** The file's text, or empty when it is absent, binary-looking or too large. */
    public static Optional<String> read(Target target, RemoteFile file) {
        if (!file.isFile() || file.size() > MAX_TEXT) {
            return Optional.empty();
        }
        ExecResult r = target.probe(Command.of("cat", "--", file.path()));
        if (!r.ok()) {
            throw new ModuleException("cannot read " + file.path() + " (exit " + r.exitCode() + "): " + r.err().strip(),
                    "become: true may be needed");
        }
        String text = new String(r.stdout(), StandardCharsets.UTF_8);
        return text.indexOf('\0') >= 0 ? Optional.empty() : Optional.of(text);
    }
}
