package dev.hyperform.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 digests of the files a run depends on, by absolute path. The playbook side is every file under each
 * playbook's directory (imported playbooks, roles, templates, files, vars: whatever the run may read from there),
 * skipping directories whose names start with a dot ({@code .git}, {@code .hyperform} where journals live). The
 * inventory side is each inventory file with the group_vars/ and host_vars/ beside it, every file of an inventory
 * directory, and the text of a comma list.
 */
final class FileDigests {
    private FileDigests() {
    }

    static Map<String, String> playbookSide(List<Path> playbooks, Map<String, String> inventorySide, Path journal) {
        Map<String, String> out = new TreeMap<>();
        for (Path p : playbooks) {
            Path dir = p.toAbsolutePath().normalize().getParent();
            walk(dir, out);
        }
        out.keySet().removeAll(inventorySide.keySet());
        if (journal != null) {
            out.remove(journal.toAbsolutePath().normalize().toString());
        }
        return out;
    }

    static Map<String, String> inventorySide(List<String> inventories) {
        Map<String, String> out = new TreeMap<>();
        for (String source : inventories) {
            Path p = Path.of(source).toAbsolutePath().normalize();
            if (Files.isDirectory(p)) {
                walk(p, out);
            } else if (Files.isRegularFile(p)) {
                out.put(p.toString(), digest(p));
                walk(p.getParent().resolve("group_vars"), out);
                walk(p.getParent().resolve("host_vars"), out);
            } else {
                out.put("host list '" + source + "'", sha256(source.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    /** Every regular file under {@code dir}, not descending into dot directories; unreadable ones are named so. */
    private static void walk(Path dir, Map<String, String> out) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return !d.equals(dir) && d.getFileName().toString().startsWith(".")
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        out.put(f.toString(), digest(f));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    out.put(f.toString(), "unreadable: " + e.getClass().getSimpleName());
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(Path f) {
        try {
            return sha256(Files.readAllBytes(f));
        } catch (IOException e) {
            return "unreadable: " + e.getClass().getSimpleName();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
