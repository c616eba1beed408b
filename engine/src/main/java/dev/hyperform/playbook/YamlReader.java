package dev.hyperform.playbook;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.hyperform.error.HyperformException;
import dev.hyperform.error.Location;
import dev.hyperform.vars.Secret;
import dev.hyperform.vars.Vault;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Reads one YAML file with Jackson's streaming parser into a {@link YamlDocument}. Scalars are resolved as
 * Ansible reads them (see {@link ScalarResolver}); anchors, aliases and {@code <<} merge keys work; a key given
 * twice in one map and a second document in one file are errors.
 */
public final class YamlReader {
    private static final YAMLFactory FACTORY = new LocatingFactory();

    private final Path file;
    private final LocatingParser parser;
    private final IdentityHashMap<Object, Location> containers = new IdentityHashMap<>();
    private final IdentityHashMap<Object, Map<String, Location>> keys = new IdentityHashMap<>();
    private final IdentityHashMap<Object, Map<String, Location>> values = new IdentityHashMap<>();
    private final IdentityHashMap<Object, List<Location>> items = new IdentityHashMap<>();
    private final Map<String, Object> anchors = new HashMap<>();

    private YamlReader(Path file, LocatingParser parser) {
        this.file = file;
        this.parser = parser;
    }

    /** Read a file. Missing, unreadable or malformed files are {@link PlaybookException}s with file:line:column. */
    public static YamlDocument read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new PlaybookException(Location.of(file), "file not found", "check the path (relative paths are "
                    + "resolved against the directory of the file that names them)");
        } catch (MalformedInputException e) {
            throw new PlaybookException(Location.of(file), "file is not UTF-8 text", "save it as UTF-8");
        } catch (IOException e) {
            throw new PlaybookException(Location.of(file), "cannot read file: " + e.getMessage(),
                    "check that the file exists and is readable", e);
        }
        return parse(file, text);
    }

    /** Parse YAML text; {@code file} is only used for locations. */
    public static YamlDocument parse(Path file, String text) {
        try (LocatingParser p = (LocatingParser) FACTORY.createParser(new StringReader(text))) {
            YamlReader r = new YamlReader(file, p);
            JsonToken first = p.nextToken();
            Object root = first == null ? null : r.value(first);
            if (p.nextToken() != null) {
                throw new PlaybookException(r.here(), "a second YAML document ('---') in one file",
                        "hyperform reads one document per file: remove the extra '---' or split the file");
            }
            return new YamlDocument(file, root, r.containers, r.keys, r.values, r.items);
        } catch (JsonProcessingException e) {
            throw malformed(file, e);
        } catch (IOException e) {
            throw new PlaybookException(Location.of(file), "cannot read YAML: " + e.getMessage(), null, e);
        }
    }

    private Object value(JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> map();
            case START_ARRAY -> list();
            default -> scalar();
        };
    }

    private Map<String, Object> map() throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        Map<String, Location> keyLocs = new HashMap<>();
        Map<String, Location> valueLocs = new HashMap<>();
        containers.put(map, here());
        keys.put(map, keyLocs);
        values.put(map, valueLocs);
        remember(map);
        Set<String> explicit = new HashSet<>();
        JsonToken t;
        while ((t = parser.nextToken()) != JsonToken.END_OBJECT) {
            if (t != JsonToken.FIELD_NAME) {
                throw new PlaybookException(here(), "unexpected " + t + " where a key was expected", null);
            }
            String key = parser.currentName();
            boolean plainKey = parser.lastEvent() instanceof ScalarEvent s && s.isPlain();
            Location keyLoc = here();
            JsonToken vt = parser.nextToken();
            Location valueLoc = here();
            Object v = value(vt);
            if (plainKey && key.equals("<<")) {
                merge(map, keyLocs, valueLocs, explicit, v, keyLoc);
                continue;
            }
            if (!explicit.add(key)) {
                throw new PlaybookException(keyLoc, "duplicate key '" + key + "' (first at line "
                        + keyLocs.get(key).line() + ", again at line " + keyLoc.line() + ")",
                        "remove one of them: YAML keeps only the last, which hides mistakes");
            }
            map.put(key, v);
            keyLocs.put(key, keyLoc);
            valueLocs.put(key, valueLoc);
        }
        return map;
    }

    private void merge(Map<String, Object> map, Map<String, Location> keyLocs, Map<String, Location> valueLocs,
                       Set<String> explicit, Object source, Location where) {
        List<?> sources = source instanceof List<?> l ? l : List.of(source == null ? "" : source);
        for (Object s : sources) {
            if (!(s instanceof Map<?, ?> m)) {
                throw new PlaybookException(where, "'<<' (merge key) needs a map or a list of maps, e.g. '<<: *defaults'",
                        null);
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = String.valueOf(e.getKey());
                if (!explicit.contains(k) && !map.containsKey(k)) {
                    map.put(k, e.getValue());
                    keyLocs.put(k, where);
                    valueLocs.put(k, where);
                }
            }
        }
    }

    private List<Object> list() throws IOException {
        List<Object> list = new ArrayList<>();
        List<Location> locs = new ArrayList<>();
        containers.put(list, here());
        items.put(list, locs);
        remember(list);
        JsonToken t;
        while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
            locs.add(here());
            list.add(value(t));
        }
        return list;
    }

    private Object scalar() throws IOException {
        Event event = parser.lastEvent();
        if (event instanceof AliasEvent alias) {
            if (!anchors.containsKey(alias.getAnchor())) {
                throw new PlaybookException(here(), "alias '*" + alias.getAnchor() + "' names no anchor defined above",
                        "define '&" + alias.getAnchor() + "' on a value before using '*" + alias.getAnchor() + "'");
            }
            return anchors.get(alias.getAnchor());
        }
        if (!(event instanceof ScalarEvent s)) {
            throw new PlaybookException(here(), "unexpected YAML event " + event, null);
        }
        Object v = resolve(s);
        remember(v);
        return v;
    }

    private Object resolve(ScalarEvent s) {
        String tag = s.getTag();
        String text = s.getValue();
        if (tag == null || tag.equals("!")) {
            return s.isPlain() && tag == null ? ScalarResolver.resolvePlain(text) : text;
        }
        return switch (tag) {
            case "tag:yaml.org,2002:str" -> text;
            case "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
                 "tag:yaml.org,2002:null" -> ScalarResolver.resolvePlain(text);
            case "!vault" -> {
                // ansible-vault encrypt_string: decrypted with the run's vault password, kept as a secret
                String plain;
                try {
                    plain = Vault.decrypt(text, here().file() == null ? Path.of("<yaml>") : here().file());
                } catch (HyperformException e) {
                    throw new PlaybookException(here(), "cannot open this '!vault' value: " + e.detail(), e.hint());
                }
                Vault.remember(plain);
                yield new Secret(plain);
            }
            default -> throw new PlaybookException(here(), "unsupported YAML tag '" + tag + "'",
                    "remove the tag; quote the value if it must stay text");
        };
    }

    private void remember(Object value) throws IOException {
        String anchor = parser.getCurrentAnchor();
        if (anchor != null) {
            anchors.put(anchor, value);
        }
    }

    private Location here() {
        return at(file, parser.currentTokenLocation());
    }

    private static Location at(Path file, JsonLocation l) {
        return l == null ? Location.of(file) : Location.of(file, Math.max(0, l.getLineNr()), Math.max(0, l.getColumnNr()));
    }

    private static PlaybookException malformed(Path file, JsonProcessingException e) {
        Location where = at(file, e.getLocation());
        String reason = e.getOriginalMessage();
        if (e.getCause() instanceof MarkedYAMLException m) {
            if (m.getProblemMark() != null) {
                where = Location.of(file, m.getProblemMark().getLine() + 1, m.getProblemMark().getColumn() + 1);
            }
            reason = m.getProblem();
            if (m.getContext() != null) {
                reason = m.getContext() + (m.getContextMark() != null ? " (line " + (m.getContextMark().getLine() + 1)
                        + ")" : "") + ": " + reason;
            }
        }
        return new PlaybookException(where, "malformed YAML: " + plain(reason),
                "check indentation and quoting at this line; values starting with '${', '{', '[', '*', '&' or "
                        + "containing ': ' must be quoted", e);
    }

    /** SnakeYAML's reason, with what it usually means in a playbook. */
    private static String plain(String reason) {
        if (reason == null) {
            return "unreadable";
        }
        if (reason.contains("expected <block end>")) {
            return "this line does not line up with the entries above it (" + reason + ")";
        }
        if (reason.contains("mapping values are not allowed here")) {
            return "a ': ' inside a plain value (" + reason + "); quote the value";
        }
        if (reason.contains("'\\t'") || reason.contains("\\t(TAB)")) {
            return "a tab character; YAML indents with spaces only (" + reason + ")";
        }
        return reason;
    }

    /** A parser that shows the SnakeYAML event behind the current token (scalar style, tag, alias). */
    private static final class LocatingParser extends YAMLParser {
        LocatingParser(IOContext ctxt, int parserFeatures, int yamlFeatures, LoaderOptions options, ObjectCodec codec,
                       Reader reader) {
            super(ctxt, parserFeatures, yamlFeatures, options, codec, reader);
        }

        Event lastEvent() {
            return _lastEvent;
        }
    }

    private static final class LocatingFactory extends YAMLFactory {
        private static final long serialVersionUID = 1L;

        @Override
        protected YAMLParser _createParser(Reader r, IOContext ctxt) {
            return new LocatingParser(ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, r);
        }
    }
}
