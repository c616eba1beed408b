package dev.hyperform.modules.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hyperform.module.ModuleException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The files of a {@code KUBECONFIG} list merged into one kubeconfig the way kubectl merges them: files that do not
 * exist are skipped; the first file to set a top-level value ({@code current-context}, {@code preferences}) wins;
 * {@code clusters}, {@code contexts} and {@code users} are joined, the first entry of each name winning; relative
 * paths of certificates, keys and token files are resolved against the directory of the file that names them.
 */
final class KubeconfigFiles {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> NAMED = Set.of("clusters", "contexts", "users");
    /** Keys under {@code cluster} and {@code user} that hold a file path. */
    private static final Set<String> PATHS = Set.of("certificate-authority", "client-certificate", "client-key", "tokenFile");

    private KubeconfigFiles() {
    }

    /** The non-empty entries of a {@code KUBECONFIG}-style list; empty for null or blank. */
    static List<String> split(String list, String separator) {
        if (list == null) {
            return List.of();
        }
        return java.util.Arrays.stream(list.split(java.util.regex.Pattern.quote(separator))).filter(s -> !s.isBlank()).toList();
    }

    /**
     * The merged kubeconfig as YAML text.
     *
     * @param bad makes the error for (what is wrong, key); messages never quote the files' contents
     */
    @SuppressWarnings("unchecked")
    static String merge(List<Path> files, BiFunction<String, String, ModuleException> bad) {
        Map<String, Object> merged = new LinkedHashMap<>();
        Map<String, Set<String>> seen = new LinkedHashMap<>();
        int read = 0;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                continue;
            }
            Map<String, Object> doc;
            try {
                doc = YAML.readValue(Files.readString(f, StandardCharsets.UTF_8), Map.class);
            } catch (IOException e) {
                throw bad.apply("has a file that cannot be read as YAML: " + f, "kubeconfig");
            }
            read++;
            if (doc == null) {
                continue;
            }
            for (Map.Entry<String, Object> e : doc.entrySet()) {
                if (NAMED.contains(e.getKey()) && e.getValue() instanceof List<?> entries) {
                    List<Object> into = (List<Object>) merged.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
                    Set<String> names = seen.computeIfAbsent(e.getKey(), k -> new HashSet<>());
                    for (Object entry : entries) {
                        if (entry instanceof Map<?, ?> m && names.add(String.valueOf(m.get("name")))) {
                            into.add(absolute((Map<String, Object>) m, f.toAbsolutePath().getParent()));
                        }
                    }
                } else {
                    merged.putIfAbsent(e.getKey(), e.getValue());
                }
            }
        }
        if (read == 0) {
            throw bad.apply("names no file that exists", "KUBECONFIG");
        }
        try {
            return YAML.writeValueAsString(merged);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy of a named entry whose relative file paths (one level down: cluster, user) are made absolute. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> absolute(Map<String, Object> entry, Path dir) {
        Map<String, Object> out = new LinkedHashMap<>(entry);
        for (String body : List.of("cluster", "user")) {
            if (out.get(body) instanceof Map<?, ?> m) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
                for (String k : PATHS) {
                    if (copy.get(k) instanceof String p && !p.isBlank() && !Path.of(p).isAbsolute()) {
                        copy.put(k, dir.resolve(p).normalize().toString());
                    }
                }
                out.put(body, copy);
            }
        }
        return out;
    }
}
