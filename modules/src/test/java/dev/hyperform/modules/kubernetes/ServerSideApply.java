package dev.hyperform.modules.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import okhttp3.mockwebserver.MockResponse;

/**
 * The test double's server-side apply (part of {@link KubeApiDouble}, DECLARED DOUBLE): field ownership per field
 * manager, conflicts, removal of fields a manager no longer applies, dry runs, no-op applies that store nothing.
 * Simplification (listed in docs): lists are atomic fields (the real API merges lists with merge keys).
 */
final class ServerSideApply {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerSideApply() {
    }

    @SuppressWarnings("unchecked")
    static MockResponse apply(KubeApiDouble.Crud crud, String path, Map<String, String> q, String body) throws IOException {
        Map<String, Object> applied = YAML.readValue(body, Map.class);
        String manager = q.getOrDefault("fieldManager", "");
        if (manager.isEmpty()) {
            return error(400, "BadRequest", "PATCH with apply-patch requires a fieldManager");
        }
        boolean force = "true".equals(q.get("force"));
        boolean dry = "All".equals(q.get("dryRun"));
        Map<String, Object> live = read(crud, path);
        Map<String, Set<List<String>>> owners = owners(live);
        Set<List<String>> mine = new LinkedHashSet<>();
        leaves(applied, new ArrayList<>(), mine);
        List<String> conflicts = new ArrayList<>();
        List<Map<String, Object>> causes = new ArrayList<>();
        for (List<String> p : mine) {
            for (Map.Entry<String, Set<List<String>>> o : owners.entrySet()) {
                if (!o.getKey().equals(manager) && o.getValue().contains(p) && !Objects.equals(get(live, p), get(applied, p))) {
                    String field = "." + String.join(".", p);
                    conflicts.add("conflict with \"" + o.getKey() + "\": " + field);
                    causes.add(Map.of("reason", "FieldManagerConflict", "message", "conflict with \"" + o.getKey() + "\"",
                            "field", field));
                }
            }
        }
        if (!conflicts.isEmpty() && !force) {
            Map<String, Object> status = new LinkedHashMap<>(Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure",
                    "code", 409, "reason", "Conflict", "message", "Apply failed with " + conflicts.size() + " conflict"
                            + (conflicts.size() == 1 ? "" : "s") + ": " + String.join("; ", conflicts)));
            status.put("details", Map.of("causes", causes));
            return new MockResponse().setResponseCode(409).setBody(JSON.writeValueAsString(status));
        }
        Map<String, Object> result = live == null ? new LinkedHashMap<>() : deepCopy(live);
        for (List<String> p : owners.getOrDefault(manager, Set.of())) {
            boolean other = owners.entrySet().stream().anyMatch(o -> !o.getKey().equals(manager) && o.getValue().contains(p));
            if (!mine.contains(p) && !other) {
                remove(result, p);
            }
        }
        for (List<String> p : mine) {
            set(result, p, get(applied, p));
        }
        result.put("apiVersion", applied.get("apiVersion"));
        result.put("kind", applied.get("kind"));
        owners.put(manager, mine);
        if (force) {
            owners.forEach((m, fields) -> {
                if (!m.equals(manager)) {
                    fields.removeAll(mine);
                }
            });
        }
        Map<String, Object> meta = (Map<String, Object>) result.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
        Map<String, Object> appliedMeta = (Map<String, Object>) applied.getOrDefault("metadata", Map.of());
        meta.put("name", appliedMeta.get("name"));
        if (appliedMeta.get("namespace") != null) {
            meta.put("namespace", appliedMeta.get("namespace"));
        }
        meta.put("managedFields", managedFields(owners, String.valueOf(applied.get("apiVersion"))));
        if ("CustomResourceDefinition".equals(result.get("kind"))) {
            // the double plays the apiextensions controller: names accepted, established at once
            result.put("status", Map.of("conditions", List.of(
                    Map.of("type", "NamesAccepted", "status", "True", "reason", "NoConflicts"),
                    Map.of("type", "Established", "status", "True", "reason", "InitialNamesAccepted")),
                    "acceptedNames", ((Map<String, Object>) applied.get("spec")).get("names")));
        }
        if (live != null && withoutVolatile(result).equals(withoutVolatile(live))) {
            return new MockResponse().setResponseCode(200).setBody(JSON.writeValueAsString(live));
        }
        if (dry) {
            return new MockResponse().setResponseCode(live == null ? 201 : 200).setBody(JSON.writeValueAsString(result));
        }
        if (live == null) {
            return crud.crud("POST", path.substring(0, path.lastIndexOf('/')), JSON.writeValueAsString(result));
        }
        return crud.crud("PUT", path, JSON.writeValueAsString(result));
    }

    @SuppressWarnings("unchecked")
    static MockResponse dryMergePatch(KubeApiDouble.Crud crud, String path, String body) throws IOException {
        Map<String, Object> live = read(crud, path);
        if (live == null) {
            return error(404, "NotFound", path + " not found");
        }
        Map<String, Object> patch = JSON.readValue(body, Map.class);
        return new MockResponse().setResponseCode(200).setBody(JSON.writeValueAsString(merge(deepCopy(live), patch)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, Object> target, Map<String, Object> patch) {
        patch.forEach((k, v) -> {
            if (v == null) {
                target.remove(k);
            } else if (v instanceof Map<?, ?> pm && target.get(k) instanceof Map<?, ?> tm) {
                target.put(k, merge(new LinkedHashMap<>((Map<String, Object>) tm), (Map<String, Object>) pm));
            } else {
                target.put(k, v);
            }
        });
        return target;
    }

    /** The stored object at {@code path} as a map, or null when there is none. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> read(KubeApiDouble.Crud crud, String path) throws IOException {
        MockResponse r = crud.handleGet(path);
        String text = r.getBody() == null ? "" : r.getBody().clone().readUtf8();
        if (!r.getStatus().contains(" 200") || text.isBlank()) {
            return null;
        }
        return JSON.readValue(text, Map.class);
    }

    /** Field paths: leaves of maps (lists and scalars are atomic). Identity and server fields are not owned. */
    @SuppressWarnings("unchecked")
    private static void leaves(Map<String, Object> m, List<String> at, Set<List<String>> out) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            List<String> p = new ArrayList<>(at);
            p.add(e.getKey());
            if (at.isEmpty() && List.of("apiVersion", "kind", "status").contains(e.getKey())) {
                continue;
            }
            if (at.equals(List.of("metadata")) && List.of("name", "namespace", "managedFields", "resourceVersion", "uid",
                    "generation", "creationTimestamp").contains(e.getKey())) {
                continue;
            }
            if (e.getValue() instanceof Map<?, ?> sub && !sub.isEmpty()) {
                leaves((Map<String, Object>) sub, p, out);
            } else {
                out.add(p);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Set<List<String>>> owners(Map<String, Object> live) {
        Map<String, Set<List<String>>> out = new LinkedHashMap<>();
        if (live == null || !(live.get("metadata") instanceof Map<?, ?> meta) || !(meta.get("managedFields") instanceof List<?> l)) {
            return out;
        }
        for (Object o : l) {
            Map<String, Object> entry = (Map<String, Object>) o;
            Set<List<String>> fields = new LinkedHashSet<>();
            fieldsV1((Map<String, Object>) entry.getOrDefault("fieldsV1", Map.of()), new ArrayList<>(), fields);
            out.computeIfAbsent(String.valueOf(entry.get("manager")), k -> new LinkedHashSet<>()).addAll(fields);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void fieldsV1(Map<String, Object> f, List<String> at, Set<List<String>> out) {
        for (Map.Entry<String, Object> e : f.entrySet()) {
            List<String> p = new ArrayList<>(at);
            p.add(e.getKey().substring(2));
            Map<String, Object> sub = (Map<String, Object>) e.getValue();
            if (sub.isEmpty()) {
                out.add(p);
            } else {
                fieldsV1(sub, p, out);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> managedFields(Map<String, Set<List<String>>> owners, String apiVersion) {
        List<Map<String, Object>> out = new ArrayList<>();
        owners.forEach((manager, fields) -> {
            if (fields.isEmpty()) {
                return;
            }
            Map<String, Object> f = new LinkedHashMap<>();
            for (List<String> p : fields) {
                Map<String, Object> cur = f;
                for (String part : p) {
                    cur = (Map<String, Object>) cur.computeIfAbsent("f:" + part, k -> new LinkedHashMap<>());
                }
            }
            out.add(new LinkedHashMap<>(Map.of("manager", manager, "operation", "Apply", "apiVersion", apiVersion,
                    "fieldsType", "FieldsV1", "fieldsV1", f)));
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutVolatile(Map<String, Object> o) {
        Map<String, Object> c = deepCopy(o);
        if (c.get("metadata") instanceof Map<?, ?> m) {
            Map<String, Object> meta = (Map<String, Object>) m;
            List.of("resourceVersion", "uid", "generation", "creationTimestamp").forEach(meta::remove);
        }
        return c;
    }

    @SuppressWarnings("unchecked")
    static Object get(Map<String, Object> o, List<String> p) {
        Object cur = o;
        for (String part : p) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(part);
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    private static void set(Map<String, Object> o, List<String> p, Object value) {
        Map<String, Object> cur = o;
        for (String part : p.subList(0, p.size() - 1)) {
            Object next = cur.get(part);
            if (!(next instanceof Map<?, ?>)) {
                next = new LinkedHashMap<String, Object>();
                cur.put(part, next);
            }
            cur = (Map<String, Object>) next;
        }
        cur.put(p.get(p.size() - 1), value);
    }

    @SuppressWarnings("unchecked")
    private static void remove(Map<String, Object> o, List<String> p) {
        Object parent = get(o, p.subList(0, p.size() - 1));
        if (parent instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).remove(p.get(p.size() - 1));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> o) {
        try {
            return JSON.readValue(JSON.writeValueAsBytes(o), Map.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MockResponse error(int code, String reason, String message) {
        return new MockResponse().setResponseCode(code).setBody(KubeApiDouble.status(code, reason, message));
    }
}
