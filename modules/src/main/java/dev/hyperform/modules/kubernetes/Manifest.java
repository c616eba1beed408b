package dev.hyperform.modules.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Kubernetes object a task declares, with where it came from ({@code file:line}, or the task) for errors.
 *
 * @param body   the object as written (apiVersion, kind, metadata, ...)
 * @param origin where it was written, for error messages
 */
record Manifest(Map<String, Object> body, String origin) {

    String apiVersion() {
        return String.valueOf(body.get("apiVersion"));
    }

    String kind() {
        return String.valueOf(body.get("kind"));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> metadata() {
        return body.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    String name() {
        Object n = metadata().get("name");
        return n == null ? null : String.valueOf(n);
    }

    String namespace() {
        Object n = metadata().get("namespace");
        return n == null ? null : String.valueOf(n);
    }

    boolean isCrd() {
        return kind().equals("CustomResourceDefinition") && apiVersion().startsWith("apiextensions.k8s.io/");
    }

    boolean isNamespace() {
        return kind().equals("Namespace") && apiVersion().equals("v1");
    }

    /** The same object in a namespace (namespace defaulting). */
    @SuppressWarnings("unchecked")
    Manifest inNamespace(String ns) {
        Map<String, Object> b = new LinkedHashMap<>(body);
        Map<String, Object> meta = new LinkedHashMap<>(metadata());
        meta.put("namespace", ns);
        b.put("metadata", meta);
        return new Manifest(b, origin);
    }

    /** {@code Kind namespace/name}, as output shows it. */
    String ref() {
        String ns = namespace();
        return kind() + " " + (ns == null ? "" : ns + "/") + name();
    }
}
