package dev.hyperform.modules.files;

import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Diff;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code copy} of a controller directory, with Ansible's rule: {@code src: dir} puts the directory itself under
 * dest ({@code dest/dir/...}), {@code src: dir/} puts its contents into dest. Every file is an atomic
 * {@link FileWrite}; missing directories are created first (with {@code directory_mode} when given); files on the
 * target that are not in src are left alone. One change for the whole tree, so check mode lists every command.
 */
final class DirectoryCopy {
    private DirectoryCopy() {
    }

    static Change plan(Target target, Args args, Path src, String srcArg, String dest) {
        String root = dest.replaceAll("/+$", "");
        if (root.isEmpty()) {
            root = "/";
        }
        if (!srcArg.endsWith("/")) {
            root = root + (root.endsWith("/") ? "" : "/") + src.getFileName();
        }
        List<Path> dirs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : walk.sorted().toList()) {
                if (Files.isDirectory(p)) {
                    dirs.add(src.relativize(p));
                } else if (Files.isRegularFile(p)) {
                    files.add(src.relativize(p));
                }
            }
        } catch (IOException e) {
            throw new ModuleException("cannot read the directory " + src + ": " + e.getMessage(), "check it on the controller");
        }
        List<Command> commands = new ArrayList<>();
        List<Diff> diffs = new ArrayList<>();
        List<String> created = new ArrayList<>();
        Optional<String> dirMode = args.optString("directory_mode");
        for (Path d : dirs) {
            String path = join(root, d);
            RemoteFile now = RemoteFile.probe(target, path);
            if (!now.exists()) {
                created.add(path);
            } else if (!now.isDirectory()) {
                throw new ModuleException(path + " exists and is a " + now.type() + ", not a directory",
                        "remove it first or choose another dest");
            } else if (dirMode.isPresent()) {
                Change attrs = Attributes.plan(now, dirMode.map(m -> Modes.resolve(m, now.mode(), true)), Optional.empty(),
                        Optional.empty(), false);
                commands.addAll(attrs.commands());
                diffs.addAll(attrs.diffs());
            }
        }
        if (!created.isEmpty()) {
            List<String> argv = new ArrayList<>(List.of("mkdir", "-p"));
            dirMode.ifPresent(m -> argv.addAll(List.of("-m", Modes.resolve(m, "0755", true))));
            argv.add("--");
            argv.addAll(created);
            commands.add(Command.of(argv.toArray(String[]::new)));
        }
        int changedFiles = 0;
        for (Path f : files) {
            String path = join(root, f);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(src.resolve(f));
            } catch (IOException e) {
                throw new ModuleException("cannot read " + src.resolve(f) + ": " + e.getMessage(), "check the file on the controller");
            }
            Change one = FileWrite.plan(target, args, path, bytes, "file");
            if (!one.isNone()) {
                changedFiles++;
                commands.addAll(one.commands());
                diffs.addAll(one.diffs());
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("dest", root);
        values.put("files", files.size());
        if (commands.isEmpty()) {
            return Change.none(root + " is up to date (" + files.size() + " files)").withValues(values);
        }
        String summary = "copy " + src + " to " + root + ": " + changedFiles + " of " + files.size() + " files"
                + (created.isEmpty() ? "" : ", " + created.size() + " new directories");
        return Change.commands(summary, commands, diffs, values);
    }

    private static String join(String root, Path rel) {
        String r = rel.toString();
        if (r.isEmpty()) {
            return root;
        }
        return (root.endsWith("/") ? root : root + "/") + r;
    }
}
