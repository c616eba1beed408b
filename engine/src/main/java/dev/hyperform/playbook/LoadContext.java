package dev.hyperform.playbook;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a task list is being read: its file and parsed document, the playbook's directory (for role look-ups),
 * the role it belongs to (or null), the chain of files importing it (to report cycles) and where handlers of
 * statically imported roles are collected.
 */
record LoadContext(YamlDocument doc, Path playbookDir, RoleRef role, List<Path> chain, List<Handler> handlers) {

    Path file() {
        return doc.file();
    }

    Path dir() {
        Path parent = doc.file().getParent();
        return parent == null ? Path.of("") : parent;
    }

    /** The chain extended by {@code next}; a file already in it is an import cycle. */
    List<Path> enter(Path next, dev.hyperform.error.Location from) {
        Path n = next.toAbsolutePath().normalize();
        if (chain.contains(n)) {
            List<String> names = new ArrayList<>();
            chain.subList(chain.indexOf(n), chain.size()).forEach(p -> names.add(p.getFileName().toString()));
            names.add(n.getFileName().toString());
            throw new PlaybookException(from, "import cycle: " + String.join(" -> ", names),
                    "remove one of the imports (use include_tasks with a 'when:' for a deliberate recursion)");
        }
        List<Path> c = new ArrayList<>(chain);
        c.add(n);
        return c;
    }
}
