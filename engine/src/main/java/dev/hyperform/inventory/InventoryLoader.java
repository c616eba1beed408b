package dev.hyperform.inventory;

import dev.hyperform.error.HyperformException;
import dev.hyperform.error.Location;
import dev.hyperform.playbook.YamlReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads {@code -i} sources into one inventory: INI or YAML files (told apart by content), directories of sources
 * (files ending in .ini, .cfg, .retry, .orig, .bak, ~, .md, .txt are ignored there, like Ansible), comma lists of
 * hosts ({@code "a,b,"}); {@code group_vars/} and {@code host_vars/} beside each source.
 */
public final class InventoryLoader {
    private static final Set<String> IGNORED_IN_DIRS = Set.of(".ini", ".cfg", ".retry", ".orig", ".bak", ".md", ".txt",
            ".pyc", ".pyo", ".swp", ".rpm");

    private InventoryLoader() {
    }

    public static Inventory load(List<String> sources) {
        InventoryBuilder b = new InventoryBuilder();
        for (String source : sources) {
            loadSource(source, b);
        }
        return b.build();
    }

    private static void loadSource(String source, InventoryBuilder b) {
        Path p = Path.of(source);
        if (Files.isDirectory(p)) {
            b.varsDirs.add(p);
            try (Stream<Path> files = Files.list(p)) {
                for (Path f : files.sorted().toList()) {
                    String name = f.getFileName().toString();
                    if (Files.isDirectory(f) || name.startsWith(".") || name.endsWith("~") || ignored(name)) {
                        continue;
                    }
                    loadFile(f, b);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        if (Files.isRegularFile(p)) {
            b.varsDirs.add(p.toAbsolutePath().getParent());
            loadFile(p, b);
            return;
        }
        if (source.contains(",")) {
            for (String h : source.split(",")) {
                if (!h.isBlank()) {
                    b.addHost("ungrouped", h.strip(), java.util.Map.of(), Location.UNKNOWN);
                }
            }
            return;
        }
        throw new InventoryException(Location.UNKNOWN, "inventory source '" + source + "' does not exist",
                "give a file, a directory, or a comma list of hosts such as 'node1,node2,'");
    }

    private static boolean ignored(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && IGNORED_IN_DIRS.contains(name.substring(dot));
    }

    private static void loadFile(Path f, InventoryBuilder b) {
        String text;
        try {
            text = Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InventoryException(Location.of(f), "cannot read inventory: " + e.getMessage(), "check permissions");
        }
        if (looksLikeYaml(f, text)) {
            Object root;
            try {
                root = YamlReader.parse(f, text).root();
            } catch (HyperformException e) {
                throw new InventoryException(e.location(), e.detail(), e.hint());
            }
            YamlInventoryReader.read(f, root, b);
        } else {
            IniInventoryReader.read(f, text.lines().toList(), b);
        }
    }

    private static boolean looksLikeYaml(Path f, String text) {
        String name = f.getFileName().toString();
        if (name.endsWith(".yml") || name.endsWith(".yaml") || name.endsWith(".json")) {
            return true;
        }
        for (String line : text.lines().toList()) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith(";") || t.equals("---")) {
                continue;
            }
            return t.endsWith(":") && !t.startsWith("[") || t.startsWith("{");
        }
        return false;
    }
}
