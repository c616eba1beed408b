package dev.hyperform.playbook;

import dev.hyperform.error.Location;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a variables file ({@code vars_files}, {@code group_vars/}, {@code host_vars/}, role defaults and vars). */
public final class VarsFiles {
    private VarsFiles() {
    }

    /**
     * A YAML map of variables; an empty file is an empty map.
     *
     * @throws PlaybookException with file:line:column if the file is missing, malformed or not a map
     */
    public static Map<String, Object> load(Path file) {
        return asVars(YamlReader.read(file));
    }

    static Map<String, Object> asVars(YamlDocument doc) {
        Object root = doc.root();
        if (root == null) {
            return new LinkedHashMap<>();
        }
        if (!(root instanceof Map<?, ?> m)) {
            throw new PlaybookException(doc.location(root).isKnown() && doc.location(root).line() > 0
                    ? doc.location(root) : Location.of(doc.file(), 1, 1),
                    "a variables file must be a map of 'name: value', not " + Values.describe(root),
                    "write one 'name: value' per line");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> vars = (Map<String, Object>) m;
        return vars;
    }
}
