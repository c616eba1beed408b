package dev.hyperform.modules.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The upstream CRD schemas bundled with hyperform (KubeVirt 0.58 kubevirt.io/v1 kinds, rook v1.10.10; see
 * {@code schemas/PROVENANCE.md}), as JSON schemas by {@code apiVersion/kind}. Validation is strict like
 * {@code kubectl --validate=strict}: where a schema lists properties and does not preserve unknown fields, an
 * unknown field is an error. The patched KubeVirt's {@code spdkVhostBlkDisk} volume source is added under every
 * volumes list.
 */
final class ManifestSchemas {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String BASE = "/dev/hyperform/modules/kubernetes/schemas/";
    private static final Map<String, String> KUBEVIRT = Map.of(
            "KubeVirt", "kubevirt", "VirtualMachine", "virtualmachine", "VirtualMachineInstance", "virtualmachineinstance",
            "VirtualMachineInstanceMigration", "virtualmachineinstancemigration",
            "VirtualMachineInstanceReplicaSet", "virtualmachineinstancereplicaset",
            "VirtualMachineInstancePreset", "virtualmachineinstancepreset");
    private static volatile ManifestSchemas loaded;
    private final Map<String, JsonNode> raw = new HashMap<>();
    private final Map<String, JsonSchema> compiled = new HashMap<>();
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);

    static ManifestSchemas get() {
        if (loaded == null) {
            synchronized (ManifestSchemas.class) {
                if (loaded == null) {
                    loaded = new ManifestSchemas();
                }
            }
        }
        return loaded;
    }

    private ManifestSchemas() {
        KUBEVIRT.forEach((kind, file) -> {
            JsonNode doc = read(BASE + "kubevirt-v0.58/" + file + ".openapi-v3-schema.yaml");
            raw.put("kubevirt.io/v1/" + kind, doc.get("openAPIV3Schema"));
        });
        try (InputStream in = stream(BASE + "rook-v1.10.10/crds.yaml"); YAMLParser p = new YAMLFactory().createParser(in)) {
            while (p.nextToken() != null) {
                JsonNode crd = YAML.readTree(p);
                if (crd == null || !"CustomResourceDefinition".equals(crd.path("kind").asText())) {
                    continue;
                }
                String group = crd.path("spec").path("group").asText();
                String kind = crd.path("spec").path("names").path("kind").asText();
                for (JsonNode v : crd.path("spec").path("versions")) {
                    raw.put(group + "/" + v.path("name").asText() + "/" + kind, v.path("schema").path("openAPIV3Schema"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a schema is bundled for this kind. */
    boolean knows(String apiVersion, String kind) {
        return raw.containsKey(apiVersion + "/" + kind);
    }

    synchronized Optional<JsonSchema> schema(String apiVersion, String kind) {
        String key = apiVersion + "/" + kind;
        JsonNode r = raw.get(key);
        if (r == null) {
            return Optional.empty();
        }
        return Optional.of(compiled.computeIfAbsent(key, k -> {
            ObjectNode s = r.deepCopy();
            if (k.startsWith("kubevirt.io/")) {
                addSpdkVhostBlkDisk(s);
            }
            strict(s, true);
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().build();
            return factory.getSchema(s, config);
        }));
    }

    /** additionalProperties: false where properties are listed and unknown fields are not preserved (metadata aside). */
    private static void strict(JsonNode node, boolean root) {
        if (node instanceof ObjectNode o) {
            if (o.has("properties") && !o.has("additionalProperties")
                    && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                o.put("additionalProperties", false);
            }
            if (root && o.path("properties").has("metadata")) {
                ((ObjectNode) o.path("properties")).set("metadata", YAML.createObjectNode().put("type", "object"));
            }
            Iterator<JsonNode> it = o.elements();
            while (it.hasNext()) {
                strict(it.next(), false);
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(n -> strict(n, false));
        }
    }

    /** The patched KubeVirt's volume source (stack.md 1.2): spdkVhostBlkDisk: {capacity: QUANTITY}, capacity required. */
    private static void addSpdkVhostBlkDisk(JsonNode node) {
        if (node instanceof ObjectNode o) {
            JsonNode empty = o.path("properties").path("emptyDisk");
            if (empty.isObject() && o.path("properties").has("containerDisk")) {
                ObjectNode spdk = YAML.createObjectNode();
                spdk.put("description", "SpdkVhostBlkDisk: a vhost-user-blk disk served by the node's SPDK target "
                        + "(patched KubeVirt, WSF v23.4 patch 0011)");
                spdk.put("type", "object");
                spdk.set("required", YAML.createArrayNode().add("capacity"));
                ObjectNode props = spdk.putObject("properties");
                props.set("capacity", empty.path("properties").path("capacity").deepCopy());
                ((ObjectNode) o.path("properties")).set("spdkVhostBlkDisk", spdk);
            }
            o.elements().forEachRemaining(ManifestSchemas::addSpdkVhostBlkDisk);
        } else if (node instanceof ArrayNode a) {
            a.forEach(ManifestSchemas::addSpdkVhostBlkDisk);
        }
    }

    private static JsonNode read(String resource) {
        try (InputStream in = stream(resource)) {
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream stream(String resource) {
        InputStream in = ManifestSchemas.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("bundled schema missing: " + resource);
        }
        return in;
    }
}
