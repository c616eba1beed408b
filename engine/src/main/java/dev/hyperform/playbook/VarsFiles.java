package dev.hyperform.playbook;

import dev.hyperform.error.Location;
import dev.hyperform.vars.Secret;
import dev.hyperform.vars.Vault;
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
        if (isVault(file)) {
            try {
                String plain = Vault.decrypt(java.nio.file.Files.readString(file), file);
                return secret(asVars(YamlReader.parse(file, plain)));
            } catch (java.io.IOException e) {
                throw new PlaybookException(Location.of(file), "cannot read file: " + e.getMessage(), "check permissions", e);
            }
        }
        return asVars(YamlReader.read(file));
    }

    private static boolean isVault(Path file) {
        try (var in = java.nio.file.Files.newInputStream(file)) {
            byte[] head = in.readNBytes(Vault.HEADER.length());
            return new String(head, java.nio.charset.StandardCharsets.US_ASCII).equals(Vault.HEADER);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Every text value of a vault file becomes a {@link Secret}: usable in expressions, never shown. */
    @SuppressWarnings("unchecked")
    private static <T> T secret(T value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), secret(v)));
            return (T) out;
        }
        if (value instanceof java.util.List<?> l) {
            return (T) l.stream().map(VarsFiles::secret).toList();
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            String text = String.valueOf(value);
            Vault.remember(text);
            return (T) new Secret(text);
        }
        return value;
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
