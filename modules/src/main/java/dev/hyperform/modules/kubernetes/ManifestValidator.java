package dev.hyperform.modules.kubernetes;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Offline validation of Kubernetes manifests for {@code syntax-check}. Kinds with a bundled upstream schema
 * (KubeVirt 0.58, rook 1.10.10) are validated against it with a JSON-schema library (strict: unknown fields are
 * errors); core kinds go through fabric8's typed model, where a value of the wrong type or a field the model does not
 * know is an error. Other kinds (CRDs of other projects) are not checked offline. Each problem names the document's
 * file:line, the object, the field's path, the value and what the schema wanted.
 */
final class ManifestValidator {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestValidator() {
    }

    /** One problem: where (file:line), which object, which field, what is wrong. */
    record Problem(String where, String object, String path, String message) {
        @Override
        public String toString() {
            return where + ": " + object + ": " + path + ": " + message;
        }
    }

    /** Every problem of every document of {@code text} (file names the source; rendered templates say so). */
    static List<Problem> validate(String text, String file) {
        List<Manifest> docs = Manifests.parse(text, file);
        YamlLines lines = YamlLines.of(text);
        List<Problem> out = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            Manifest m = docs.get(i);
            String object = m.kind() + " " + m.name();
            ManifestSchemas schemas = ManifestSchemas.get();
            if (schemas.knows(m.apiVersion(), m.kind())) {
                JsonNode node = JSON.valueToTree(m.body());
                List<ValidationMessage> messages = new ArrayList<>(schemas.schema(m.apiVersion(), m.kind()).orElseThrow().validate(node));
                messages.sort(Comparator.comparing(v -> v.getInstanceLocation().toString()));
                for (ValidationMessage v : messages) {
                    String pointer = pointer(v.getInstanceLocation().toString());
                    String field = v.getProperty() != null && v.getType().equals("additionalProperties")
                            ? pointer + "/" + v.getProperty() : pointer;
                    out.add(new Problem(file + ":" + lines.line(i, field), object, field.isEmpty() ? "/" : field,
                            v.getMessage() + value(node.at(field)) + " (schema: " + v.getSchemaLocation() + ")"));
                }
            } else if (m.apiVersion().contains("kubevirt.io") || m.apiVersion().contains("ceph.rook.io")) {
                out.add(new Problem(m.origin(), object, "/kind", "no " + m.kind() + " in " + m.apiVersion()
                        + " of the bundled KubeVirt 0.58 / rook 1.10.10 schemas"));
            } else {
                typed(m, i, file, lines, out);
            }
        }
        return out;
    }

    /** The offending value when it is a scalar (a string cut at 60 characters), for the message. */
    private static String value(JsonNode at) {
        if (at == null || at.isMissingNode() || !at.isValueNode()) {
            return "";
        }
        String v = at.toString();
        return "; value " + (v.length() > 60 ? v.substring(0, 57) + "...\"" : v);
    }

    private static void typed(Manifest m, int doc, String file, YamlLines lines, List<Problem> out) {
        String object = m.kind() + " " + m.name();
        Object typed;
        try {
            typed = Serialization.unmarshal(JSON.writeValueAsString(m.body()));
        } catch (RuntimeException e) {
            Throwable t = e;
            while (t != null && !(t instanceof JsonMappingException)) {
                t = t.getCause();
            }
            String pointer = t instanceof JsonMappingException j ? pointer(j.getPath()) : "";
            String why = t instanceof JsonMappingException j ? j.getOriginalMessage() : String.valueOf(e.getMessage());
            out.add(new Problem(file + ":" + lines.line(doc, pointer), object, pointer.isEmpty() ? "/" : pointer,
                    why.lines().findFirst().orElse("") + " (fabric8 typed model)"));
            return;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (typed instanceof GenericKubernetesResource) {
            return; // not a kind the typed model knows: nothing to check offline
        }
        unknownFields(typed, "", doc, file, lines, object, out);
    }

    /** Fields the typed model did not recognise land in additionalProperties: each is an unknown field. */
    @SuppressWarnings("unchecked")
    private static void unknownFields(Object o, String at, int doc, String file, YamlLines lines, String object,
                                      List<Problem> out) {
        if (o == null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, at + "/" + i++, doc, file, lines, object, out);
            }
            return;
        }
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, at + "/" + k, doc, file, lines, object, out));
            return;
        }
        if (!(o instanceof KubernetesResource)) {
            return;
        }
        try {
            Object extra = o.getClass().getMethod("getAdditionalProperties").invoke(o);
            if (extra instanceof Map<?, ?> m && !m.isEmpty() && !at.equals("/metadata/labels") && !at.equals("/metadata/annotations")) {
                for (Object k : m.keySet()) {
                    String path = at + "/" + k;
                    out.add(new Problem(file + ":" + lines.line(doc, path), object, path,
                            "unknown field \"" + k + "\" (fabric8 typed model of " + o.getClass().getSimpleName() + ")"));
                }
            }
        } catch (ReflectiveOperationException e) {
            // a model class without additional properties: nothing unknown can hide there
        }
        JavaType type = JSON.constructType(o.getClass());
        for (BeanPropertyDefinition p : JSON.getSerializationConfig().introspect(type).findProperties()) {
            if (p.getGetter() == null) {
                continue;
            }
            Object v;
            try {
                v = p.getGetter().getAnnotated().invoke(o);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (p.getGetter().getName().equals("getAdditionalProperties")) {
                continue;
            }
            unknownFields(v, at + "/" + p.getName(), doc, file, lines, object, out);
        }
    }

    private static String pointer(List<JsonMappingException.Reference> path) {
        StringBuilder s = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            s.append('/').append(r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()));
        }
        return s.toString();
    }

    /** networknt's {@code $.spec.volumes[0].name} as a JSON pointer {@code /spec/volumes/0/name}. */
    static String pointer(String location) {
        String p = location.startsWith("$") ? location.substring(1) : location;
        return p.replaceAll("\\[(\\d+)]", ".$1").replaceAll("\\['([^']*)']", ".$1").replace('.', '/');
    }
}
