package dev.hyperform.modules.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.hyperform.module.Args;
import dev.hyperform.module.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects a task declares: {@code definition} (one object or a list, or a multi-document YAML string),
 * {@code src} (a multi-document YAML file on the controller) or {@code template} (a FreeMarker {@code .ftl}
 * rendered with the task's variables, multi-document). Every document is checked before anything is applied;
 * the order is CustomResourceDefinitions, then Namespaces, then the rest as written.
 */
final class Manifests {
    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private Manifests() {
    }

    /** The task's manifests as YAML text and the file it came from (for errors); definitions are dumped. */
    record Source(String text, String file) {
    }

    static Source source(Target target, Args args) {
        if (args.has("src")) {
            Path p = target.controllerFile("files", args.string("src"));
            try {
                return new Source(Files.readString(p, StandardCharsets.UTF_8), p.toString());
            } catch (IOException e) {
                throw KubeErrors.invalid("cannot read " + p + ": " + e.getMessage(), "check the file");
            }
        }
        if (args.has("template")) {
            Path p = target.controllerFile("templates", args.string("template"));
            return new Source(target.renderTemplate(p), p + " (rendered)");
        }
        return null;
    }

    static List<Manifest> load(Target target, Args args) {
        return load(target, args, source(target, args));
    }

    static List<Manifest> load(Target target, Args args, Source source) {
        List<Manifest> out = new ArrayList<>();
        int sources = (args.has("definition") ? 1 : 0) + (args.has("src") ? 1 : 0) + (args.has("template") ? 1 : 0);
        if (sources != 1) {
            throw KubeErrors.invalid("give exactly one of definition, src, template (got " + sources + ")",
                    "definition: an object or a list; src: a YAML file; template: a .ftl file");
        }
        if (args.has("definition")) {
            Object d = args.raw("definition");
            if (d instanceof String s) {
                out.addAll(parse(s, "definition"));
            } else if (d instanceof List<?> l) {
                int i = 0;
                for (Object o : l) {
                    out.add(object(o, "definition[" + i++ + "]"));
                }
            } else {
                out.add(object(d, "definition"));
            }
        } else {
            out.addAll(parse(source.text(), source.file()));
        }
        if (out.isEmpty()) {
            throw KubeErrors.invalid("no Kubernetes objects in the task's " + (args.has("src") ? "src" : args.has("template")
                    ? "template" : "definition"), "give at least one object");
        }
        return out;
    }

    /** Documents of a multi-document YAML text, each with the line it starts on. Empty documents are skipped. */
    static List<Manifest> parse(String text, String file) {
        List<Manifest> out = new ArrayList<>();
        try (YAMLParser p = FACTORY.createParser(text)) {
            while (p.nextToken() != null) {
                int line = p.getTokenLocation().getLineNr();
                Object doc = MAPPER.readValue(p, Object.class);
                if (doc != null) {
                    out.add(object(doc, file + ":" + line));
                }
            }
        } catch (IOException e) {
            String where = e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                    ? file + ":" + j.getLocation().getLineNr() : file;
            throw KubeErrors.invalid(where + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""),
                    "fix the document; nothing was applied");
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Manifest object(Object o, String origin) {
        if (!(o instanceof Map<?, ?> m)) {
            throw KubeErrors.invalid(origin + ": a Kubernetes object must be a map, got "
                    + (o == null ? "nothing" : o.getClass().getSimpleName()), "nothing was applied");
        }
        Manifest man = new Manifest(new LinkedHashMap<>((Map<String, Object>) m), origin);
        for (String key : List.of("apiVersion", "kind")) {
            if (!(m.get(key) instanceof String s) || s.isBlank()) {
                throw KubeErrors.invalid(origin + ": the object has no " + key, "every document needs apiVersion, kind and "
                        + "metadata.name; nothing was applied");
            }
        }
        if (man.name() == null || man.name().isBlank()) {
            throw KubeErrors.invalid(origin + ": " + man.kind() + " has no metadata.name",
                    "every document needs apiVersion, kind and metadata.name; nothing was applied");
        }
        return man;
    }

    /** CustomResourceDefinitions first, then Namespaces, then everything else in the order written. */
    static List<Manifest> ordered(List<Manifest> in) {
        List<Manifest> out = new ArrayList<>(in);
        out.sort(Comparator.comparingInt(m -> m.isCrd() ? 0 : m.isNamespace() ? 1 : 2));
        return out;
    }
}
