package dev.hyperform.playbook;

import dev.hyperform.error.Location;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One parsed YAML file: plain Java values (LinkedHashMap, ArrayList, String, Integer/Long, Double, Boolean, null)
 * and where each of them was written. Maps and lists are looked up by identity; scalars by their container and
 * key or index (equal scalars are not distinguishable by identity).
 */
public final class YamlDocument {
    private final Path file;
    private final Object root;
    private final Map<Object, Location> containers;
    private final Map<Object, Map<String, Location>> keys;
    private final Map<Object, Map<String, Location>> values;
    private final Map<Object, List<Location>> items;

    YamlDocument(Path file, Object root, IdentityHashMap<Object, Location> containers,
                 IdentityHashMap<Object, Map<String, Location>> keys,
                 IdentityHashMap<Object, Map<String, Location>> values,
                 IdentityHashMap<Object, List<Location>> items) {
        this.file = file;
        this.root = root;
        this.containers = containers;
        this.keys = keys;
        this.values = values;
        this.items = items;
    }

    public Path file() {
        return file;
    }

    /** The document's top-level value (null for an empty file). */
    public Object root() {
        return root;
    }

    /** Where a map or list starts; the file alone if it is not from this document. */
    public Location location(Object container) {
        Location l = container == null ? null : containers.get(container);
        return l == null ? Location.of(file) : l;
    }

    /** Where {@code key} is written in {@code map}; else where the map starts. */
    public Location keyLocation(Map<?, ?> map, String key) {
        Map<String, Location> m = keys.get(map);
        Location l = m == null ? null : m.get(key);
        return l == null ? location(map) : l;
    }

    /** Where the value of {@code key} in {@code map} is written; else where the key is. */
    public Location valueLocation(Map<?, ?> map, String key) {
        Map<String, Location> m = values.get(map);
        Location l = m == null ? null : m.get(key);
        return l == null ? keyLocation(map, key) : l;
    }

    /** Where item {@code index} of {@code list} is written; else where the list starts. */
    public Location itemLocation(List<?> list, int index) {
        List<Location> l = items.get(list);
        return l == null || index >= l.size() ? location(list) : l.get(index);
    }
}
