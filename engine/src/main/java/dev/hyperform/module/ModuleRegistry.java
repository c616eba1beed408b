package dev.hyperform.module;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Every module on the class path, by name and alias, found through {@link ServiceLoader}. */
public final class ModuleRegistry {
    private final Map<String, Module> byName;

    private ModuleRegistry(Map<String, Module> byName) {
        this.byName = byName;
    }

    public static ModuleRegistry load() {
        Map<String, Module> map = new TreeMap<>();
        for (Module m : ServiceLoader.load(Module.class)) {
            register(map, m.name(), m);
            m.aliases().forEach(a -> register(map, a, m));
        }
        return new ModuleRegistry(map);
    }

    public static ModuleRegistry of(Module... modules) {
        Map<String, Module> map = new TreeMap<>();
        for (Module m : modules) {
            register(map, m.name(), m);
            m.aliases().forEach(a -> register(map, a, m));
        }
        return new ModuleRegistry(map);
    }

    private static void register(Map<String, Module> map, String name, Module m) {
        Module previous = map.putIfAbsent(name, m);
        if (previous != null && previous != m) {
            throw new IllegalStateException("two modules claim the name '" + name + "': "
                    + previous.getClass().getName() + " and " + m.getClass().getName());
        }
    }

    /** Also accepts {@code ansible.builtin.NAME} and {@code ansible.posix.NAME} so existing playbooks carry over. */
    public Optional<Module> find(String name) {
        String key = name;
        int dot = name.lastIndexOf('.');
        if (dot > 0 && (name.startsWith("ansible.") || name.startsWith("hyperform."))) {
            key = name.substring(dot + 1);
        }
        return Optional.ofNullable(byName.get(key));
    }

    public Collection<String> names() {
        return byName.keySet();
    }
}
