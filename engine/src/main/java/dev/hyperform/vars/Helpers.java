package dev.hyperform.vars;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.hyperform.module.EditDistance;
import dev.hyperform.transport.Shell;
import freemarker.template.Configuration;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModelException;
import freemarker.template.utility.DeepUnwrap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The helper functions every expression can call (documented in docs/expressions.md): {@code to_json},
 * {@code to_yaml}, {@code quote}, {@code path_join}, {@code basename}, {@code dirname}, {@code version_compare},
 * {@code size_bytes}, {@code closest}. A variable of the same name in the scope wins.
 */
final class Helpers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)).disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private static final Pattern SIZE = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([a-zA-Z]*)\\s*");

    private Helpers() {
    }

    static void install(Configuration c) {
        c.setSharedVariable("to_json", fn(1, 1, a -> write(JSON, a.get(0))));
        c.setSharedVariable("to_yaml", fn(1, 1, a -> write(YAML, a.get(0)).stripTrailing()));
        c.setSharedVariable("quote", fn(1, 1, a -> Shell.quote(String.valueOf(a.get(0)))));
        c.setSharedVariable("path_join", fn(1, 99, a -> {
            Path p = Path.of(String.valueOf(a.get(0)));
            for (Object part : a.subList(1, a.size())) {
                p = p.resolve(String.valueOf(part));
            }
            return p.toString();
        }));
        c.setSharedVariable("basename", fn(1, 1, a -> {
            Path f = Path.of(String.valueOf(a.get(0))).getFileName();
            return f == null ? "" : f.toString();
        }));
        c.setSharedVariable("dirname", fn(1, 1, a -> {
            Path p = Path.of(String.valueOf(a.get(0))).getParent();
            return p == null ? "" : p.toString();
        }));
        c.setSharedVariable("version_compare", fn(3, 3, a -> versionCompare(String.valueOf(a.get(0)),
                String.valueOf(a.get(1)), String.valueOf(a.get(2)))));
        c.setSharedVariable("size_bytes", fn(1, 1, a -> sizeBytes(String.valueOf(a.get(0)))));
        c.setSharedVariable("closest", fn(2, 2, a -> closest(String.valueOf(a.get(0)), a.get(1))));
    }

    private static TemplateMethodModelEx fn(int min, int max, Function<List<Object>, Object> body) {
        return args -> {
            if (args.size() < min || args.size() > max) {
                throw new TemplateModelException("expects " + (min == max ? min : min + " to " + max)
                        + " arguments, got " + args.size());
            }
            List<Object> plain = new ArrayList<>();
            for (Object o : args) {
                plain.add(Expressions.normalise(DeepUnwrap.unwrap((freemarker.template.TemplateModel) o)));
            }
            try {
                return body.apply(plain);
            } catch (IllegalArgumentException e) {
                throw new TemplateModelException(e.getMessage());
            }
        };
    }

    private static String write(ObjectMapper m, Object v) {
        try {
            return m.writeValueAsString(v instanceof dev.hyperform.vars.Secret s ? s.reveal() : v);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cannot render " + v + ": " + e.getOriginalMessage());
        }
    }

    /** Compare dotted versions numerically, component by component; suffixes such as "+dfsg-7" are ignored. */
    static boolean versionCompare(String a, String op, String b) {
        int c = compareVersions(a, b);
        return switch (op.strip()) {
            case ">=", "ge" -> c >= 0;
            case ">", "gt" -> c > 0;
            case "<=", "le" -> c <= 0;
            case "<", "lt" -> c < 0;
            case "==", "=", "eq" -> c == 0;
            case "!=", "ne" -> c != 0;
            default -> throw new IllegalArgumentException("version_compare: unknown operator '" + op
                    + "' (use >=, >, <=, <, ==, !=)");
        };
    }

    static int compareVersions(String a, String b) {
        List<Long> x = components(a);
        List<Long> y = components(b);
        for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
            long p = i < x.size() ? x.get(i) : 0;
            long q = i < y.size() ? y.get(i) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }

    private static List<Long> components(String v) {
        String s = v.strip();
        int colon = s.indexOf(':');
        if (colon > 0 && s.substring(0, colon).matches("\\d+")) {
            s = s.substring(colon + 1); // Debian epoch
        }
        Matcher m = Pattern.compile("^v?(\\d+(?:\\.\\d+)*)").matcher(s);
        if (!m.find()) {
            throw new IllegalArgumentException("'" + v + "' is not a version (expected digits like 7.2.1)");
        }
        List<Long> out = new ArrayList<>();
        for (String part : m.group(1).split("\\.")) {
            out.add(Long.parseLong(part));
        }
        return out;
    }

    /** The candidate a misspelt word most likely meant (case ignored), or "" when none is close: did-you-mean hints. */
    static String closest(String word, Object candidates) {
        if (!(candidates instanceof List<?> list)) {
            throw new IllegalArgumentException("closest: the candidates must be a list, not " + candidates);
        }
        List<String> names = list.stream().map(String::valueOf).toList();
        return EditDistance.closest(word, names, s -> s.toLowerCase(Locale.ROOT)).orElse("");
    }

    /**
     * Bytes in a size. Units are binary, as the kernel and Ansible's human_to_bytes read them: K, M, G, T and
     * Ki, Mi, Gi, Ti and KB, MB, KiB ... all mean powers of 1024 ("2M" hugepages = "2Mi" = 2097152). Plain numbers
     * are bytes.
     */
    static long sizeBytes(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 512, 2Mi, 1Gi, 4G)");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        long factor = switch (unit) {
            case "", "b" -> 1L;
            case "k", "ki", "kb", "kib" -> 1024L;
            case "m", "mi", "mb", "mib" -> 1024L * 1024;
            case "g", "gi", "gb", "gib" -> 1024L * 1024 * 1024;
            case "t", "ti", "tb", "tib" -> 1024L * 1024 * 1024 * 1024;
            default -> throw new IllegalArgumentException("'" + text + "': unknown unit '" + m.group(2)
                    + "' (use K, M, G, T, optionally with i or B)");
        };
        return Math.round(n * factor);
    }
}
