package dev.hyperform.modules.kubernetes;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The line of every field of every document of a YAML text ({@code /spec/template/spec/domain/cpu/cores} -> 14), so
 * that a schema error points at file:line. Documents are numbered from 0 in the order they appear.
 */
final class YamlLines {
    private final List<Map<String, Integer>> docs = new ArrayList<>();

    static YamlLines of(String text) {
        YamlLines y = new YamlLines();
        try (YAMLParser p = new YAMLFactory().createParser(text)) {
            Deque<Object> path = new ArrayDeque<>(); // field names (String) and list indexes (int[])
            Map<String, Integer> cur = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                int line = p.getTokenLocation().getLineNr();
                if (path.isEmpty() && (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)) {
                    cur = new HashMap<>();
                    y.docs.add(cur);
                }
                if (!path.isEmpty() && path.peek() instanceof int[] idx && t != JsonToken.END_ARRAY) {
                    idx[0]++;
                    cur.put(pointer(path), line);
                }
                switch (t) {
                    case FIELD_NAME -> {
                        if (!path.isEmpty() && path.peek() instanceof String) {
                            path.pop();
                        }
                        path.push(p.currentName());
                        cur.put(pointer(path), line);
                    }
                    case START_OBJECT -> path.push(OBJECT);
                    case START_ARRAY -> path.push(new int[] {-1});
                    case END_OBJECT -> {
                        if (path.peek() instanceof String) {
                            path.pop();
                        }
                        path.pop();
                    }
                    case END_ARRAY -> path.pop();
                    default -> { }
                }
            }
        } catch (IOException e) {
            // the caller reports YAML errors; lines are best effort
        }
        return y;
    }

    private static final Object OBJECT = new Object();

    private static String pointer(Deque<Object> path) {
        StringBuilder s = new StringBuilder();
        var it = path.descendingIterator();
        while (it.hasNext()) {
            Object o = it.next();
            if (o instanceof String f) {
                s.append('/').append(f);
            } else if (o instanceof int[] i) {
                s.append('/').append(i[0]);
            }
        }
        return s.toString();
    }

    /** The line of {@code pointer} in document {@code doc}, or of its nearest written parent; 0 if unknown. */
    int line(int doc, String pointer) {
        if (doc < 0 || doc >= docs.size()) {
            return 0;
        }
        String p = pointer;
        while (true) {
            Integer l = docs.get(doc).get(p);
            if (l != null) {
                return l;
            }
            int slash = p.lastIndexOf('/');
            if (slash <= 0) {
                return docs.get(doc).values().stream().min(Integer::compare).orElse(0);
            }
            p = p.substring(0, slash);
        }
    }
}
