package dev.hyperform.vars;

import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.error.Location;
import freemarker.cache.FileTemplateLoader;
import freemarker.core.Environment;
import freemarker.core.InvalidReferenceException;
import freemarker.core.ParseException;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import freemarker.template.utility.DeepUnwrap;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;

/**
 * FreeMarker, hyperform's one expression language: {@code ${...}} in values, boolean expressions in {@code when},
 * {@code .ftl} templates. Thread-safe; parsed expressions are cached. An undefined variable is always an error
 * naming the variable, the host, the task and the place — never an empty string.
 */
public final class Expressions {
    private static final String RESULT = "hf__result";
    private final Configuration cfg;
    private final Map<String, Template> cache = new ConcurrentHashMap<>();
    private final Map<Path, Configuration> templateConfigs = new ConcurrentHashMap<>();

    public Expressions() {
        this.cfg = newConfiguration();
    }

    /**
     * Set FreeMarker up once on a daemon thread of its own and return at once: its first configuration costs ~40 ms
     * (its classes' initialisation and its default object wrapper), which a run otherwise pays on its main thread
     * before the first play's hosts are known. Started at the beginning of a run, on the core the main thread leaves
     * free while it reads the command line and the playbook; the later configurations cost ~1 ms.
     */
    public static void warmUp() {
        Thread t = new Thread(() -> {
            try {
                new Expressions().evaluate("x!''", Map.of("x", "warm"),
                        new Origin("warm-up", "warm-up", dev.hyperform.error.Location.UNKNOWN));
            } catch (RuntimeException e) {
                // the run sets FreeMarker up itself, and reports what fails with the task that hit it
            }
        }, "hyperform-freemarker-warmup");
        t.setDaemon(true);
        t.start();
    }

    private static Configuration newConfiguration() {
        Configuration c = new Configuration(Configuration.VERSION_2_3_33);
        c.setObjectWrapper(new ValueWrapper());
        c.setNumberFormat("computer");
        c.setBooleanFormat("c");
        c.setLocale(Locale.ROOT);
        c.setTimeZone(TimeZone.getTimeZone("UTC"));
        c.setDefaultEncoding("UTF-8");
        c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        c.setLogTemplateExceptions(false);
        c.setWrapUncheckedExceptions(true);
        c.setAPIBuiltinEnabled(false);
        c.setInterpolationSyntax(Configuration.DOLLAR_INTERPOLATION_SYNTAX);
        c.setNewBuiltinClassResolver(freemarker.core.TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        Helpers.install(c);
        return c;
    }

    /**
     * Interpolate {@code ${...}} in every string inside {@code value} (maps and lists deeply). A string that is
     * exactly one {@code ${expr}} keeps the expression's type; {@code $${} writes a literal {@code ${}.
     */
    public Object interpolate(Object value, Map<String, Object> scope, Origin origin) {
        if (value instanceof String s) {
            return interpolateString(s, scope, origin);
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(interpolate(String.valueOf(e.getKey()), scope, origin)),
                        interpolate(e.getValue(), scope, origin));
            }
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(interpolate(o, scope, origin));
            }
            return out;
        }
        return value;
    }

    private Object interpolateString(String s, Map<String, Object> scope, Origin origin) {
        if (!ExpressionText.hasExpression(s)) {
            return s.contains("$${") ? s.replace("$${", "${") : s;
        }
        String single = ExpressionText.single(s);
        if (single != null) {
            return evaluate(single, scope, origin, s);
        }
        return render(s, scope, origin);
    }

    private String render(String text, Map<String, Object> scope, Origin origin) {
        Template t = template("t:" + text, ExpressionText.escapeLiterals(text), origin, text);
        StringWriter out = new StringWriter();
        process(t, scope, out, origin, text);
        return out.toString();
    }

    /** Evaluate a FreeMarker boolean expression ({@code when}, {@code changed_when}, {@code until}, {@code that}). */
    public boolean test(String condition, Map<String, Object> scope, Origin origin) {
        String expr = condition.strip();
        String single = ExpressionText.single(expr);
        Object v = evaluate(single != null ? single : expr, scope, origin);
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> {
                    return true;
                }
                case "false", "no", "off", "0", "" -> {
                    return false;
                }
                default -> {
                }
            }
        }
        throw new HyperformException(Failure.INVALID_INPUT, where(origin), "condition '" + condition
                + "' must be true or false, but it is " + describe(v) + where(origin, true),
                "write a comparison such as x == \"a\", x > 3, x?? (is defined) or x?has_content");
    }

    /** Evaluate a FreeMarker expression (without {@code ${}}) to a Java value. */
    public Object evaluate(String expression, Map<String, Object> scope, Origin origin) {
        return evaluate(expression, scope, origin, expression.strip());
    }

    private Object evaluate(String expression, Map<String, Object> scope, Origin origin, String shown) {
        String expr = expression.strip();
        Template t = template("e:" + expr, "<#assign " + RESULT + " = (" + expr + "\n)>", origin, shown);
        try {
            Environment env = t.createProcessingEnvironment(scope, new StringWriter());
            env.process();
            TemplateModel m = env.getVariable(RESULT);
            return m == null ? null : normalise(DeepUnwrap.unwrap(m));
        } catch (TemplateException e) {
            throw translate(e, origin, shown, scope);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Render a {@code .ftl} file with the whole scope; errors name the template file and line. */
    public String renderTemplate(Path template, Map<String, Object> scope, Origin origin) {
        Path file = template.toAbsolutePath().normalize();
        Configuration c = templateConfig(file.getParent());
        Template t;
        try {
            t = c.getTemplate(file.getFileName().toString());
        } catch (ParseException e) {
            throw new HyperformException(Failure.INVALID_INPUT, Location.of(file, e.getLineNumber(), e.getColumnNumber()),
                    "template syntax error: " + e.getEditorMessage(), "see docs/expressions.md for FreeMarker syntax");
        } catch (IOException e) {
            throw new HyperformException(Failure.INVALID_INPUT, where(origin), "cannot read template " + file + ": " + e.getMessage(),
                    "check that the file exists and is readable");
        }
        StringWriter out = new StringWriter();
        try {
            t.process(scope, out);
        } catch (TemplateException e) {
            Location at = Location.of(file, e.getLineNumber() == null ? 0 : e.getLineNumber(),
                    e.getColumnNumber() == null ? 0 : e.getColumnNumber());
            throw translate(e, new Origin(origin == null ? null : origin.host(), origin == null ? null : origin.task(), at), null, scope);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Parse a template without rendering it (for syntax-check). */
    public void parseTemplate(Path template) {
        Path file = template.toAbsolutePath().normalize();
        try {
            templateConfig(file.getParent()).getTemplate(file.getFileName().toString());
        } catch (ParseException e) {
            throw new HyperformException(Failure.INVALID_INPUT, Location.of(file, e.getLineNumber(), e.getColumnNumber()),
                    "template syntax error: " + e.getEditorMessage(), "see docs/expressions.md for FreeMarker syntax");
        } catch (IOException e) {
            throw new HyperformException(Failure.INVALID_INPUT, Location.of(file), "cannot read template: " + e.getMessage(),
                    "check that the file exists");
        }
    }

    private Configuration templateConfig(Path dir) {
        return templateConfigs.computeIfAbsent(dir, d -> {
            Configuration c = newConfiguration();
            try {
                c.setTemplateLoader(new FileTemplateLoader(d.toFile()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return c;
        });
    }

    private Template template(String key, String source, Origin origin, String shown) {
        Template cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        try {
            Template t = new Template(shown.length() > 60 ? shown.substring(0, 57) + "..." : shown,
                    new StringReader(source), cfg);
            if (cache.size() < 50_000) {
                cache.put(key, t);
            }
            return t;
        } catch (ParseException e) {
            throw new HyperformException(Failure.INVALID_INPUT, where(origin), "expression syntax error in '" + shown
                    + "': " + e.getEditorMessage() + where(origin, true),
                    "FreeMarker syntax: ${name}, ${a + 1}, ${list?join(',')}, ${x!'default'}; a literal ${ is written $${");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void process(Template t, Map<String, Object> scope, StringWriter out, Origin origin, String shown) {
        try {
            t.process(scope, out);
        } catch (TemplateException e) {
            throw translate(e, origin, shown, scope);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HyperformException translate(TemplateException e, Origin origin, String shown, Map<String, Object> scope) {
        Throwable cause = e.getCause();
        if (cause instanceof HyperformException he) {
            return he;
        }
        if (e instanceof InvalidReferenceException) {
            String blamed = e.getBlamedExpressionString();
            String variable = blamed == null ? "?" : unparen(blamed.strip());
            return new UndefinedVariableException(variable, origin, Suggestions.hint(variable, scope.keySet()));
        }
        if (cause instanceof TemplateModelException tme && tme.getCause() instanceof HyperformException he) {
            return he;
        }
        String first = firstLine(e.getMessageWithoutStackTop());
        return new HyperformException(Failure.INVALID_INPUT, where(origin), (shown == null ? "template error: "
                : "cannot evaluate '" + shown + "': ") + first + where(origin, true),
                "see docs/expressions.md");
    }

    private static String unparen(String s) {
        while (s.startsWith("(") && s.endsWith(")") && ExpressionText.closingParen(s) == s.length() - 1) {
            s = s.substring(1, s.length() - 1).strip();
        }
        return s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    private static Location where(Origin origin) {
        return origin == null ? Location.UNKNOWN : origin.location();
    }

    private static String where(Origin origin, boolean text) {
        if (origin == null) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        if (origin.task() != null) {
            s.append(" (task '").append(origin.task()).append('\'');
            if (origin.host() != null) {
                s.append(", host ").append(origin.host());
            }
            s.append(')');
        } else if (origin.host() != null) {
            s.append(" (host ").append(origin.host()).append(')');
        }
        return s.toString();
    }

    private static String describe(Object v) {
        if (v == null) {
            return "nothing";
        }
        String type = v instanceof Map<?, ?> ? "a map" : v instanceof List<?> ? "a list"
                : v instanceof Number ? "a number" : "the text";
        return type + " " + (v instanceof String s ? "\"" + s + "\"" : String.valueOf(v));
    }

    /** FreeMarker numbers to Long when integral, Double otherwise; deeply. */
    static Object normalise(Object v) {
        if (v instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                return d.doubleValue();
            }
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof BigInteger) {
            return ((Number) v).longValue();
        }
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return d.longValue();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), normalise(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(normalise(x)));
            return out;
        }
        return v;
    }
}
