package dev.hyperform.inventory;

import dev.hyperform.playbook.VarsFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code group_vars/} and {@code host_vars/} of one directory: for a name, the file {@code NAME},
 * {@code NAME.yml}, {@code NAME.yaml} or {@code NAME.json}, and every such file inside a directory {@code NAME/}
 * (in name order).
 */
final class VarsDirectory {
    private static final List<String> EXTENSIONS = List.of("", ".yml", ".yaml", ".json");
    private final Path dir;
    private final Map<String, Map<String, Object>> cache = new java.util.concurrent.ConcurrentHashMap<>();

    VarsDirectory(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    boolean isFor(Path other) {
        return dir.equals(other);
    }

    Map<String, Object> group(String name) {
        return cache.computeIfAbsent("g:" + name, k -> read(dir.resolve("group_vars"), name));
    }

    Map<String, Object> host(String name) {
        return cache.computeIfAbsent("h:" + name, k -> read(dir.resolve("host_vars"), name));
    }

    private static Map<String, Object> read(Path base, String name) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!Files.isDirectory(base)) {
            return out;
        }
        for (String ext : EXTENSIONS) {
            Path f = base.resolve(name + ext);
            if (Files.isRegularFile(f)) {
                out.putAll(VarsFiles.load(f));
            }
        }
        Path d = base.resolve(name);
        if (Files.isDirectory(d)) {
            try (Stream<Path> files = Files.walk(d)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    String n = f.getFileName().toString();
                    if (!n.startsWith(".") && (n.endsWith(".yml") || n.endsWith(".yaml") || n.endsWith(".json") || !n.contains("."))) {
                        out.putAll(VarsFiles.load(f));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
