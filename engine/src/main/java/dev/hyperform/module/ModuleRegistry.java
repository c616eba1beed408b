package dev.hyperform.module;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Every module on the class path, by name and alias, found through {@link ServiceLoader}. A module is made when a
 * playbook first names it, not at start-up: the names of a jar's modules are read from its index
 * ({@value #INDEX}: one line per module class, the class then its name and aliases), so a run makes only the
 * modules it uses. A module class the index does not list is made at once to learn its names, as before.
 */
public final class ModuleRegistry {
    /** Where a jar lists its module classes and their names. */
    public static final String INDEX = "META-INF/hyperform/modules.index";

    private final Map<String, Entry> byName;

    private ModuleRegistry(Map<String, Entry> byName) {
        this.byName = byName;
    }

    /** A module's class and how to get the one instance of it. */
    private record Entry(String type, Supplier<Module> module) {
    }

    public static ModuleRegistry load() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return load(context == null ? ClassLoader.getSystemClassLoader() : context);
    }

    /** The modules the given class loader sees. */
    public static ModuleRegistry load(ClassLoader loader) {
        Map<String, List<String>> indexed = index(loader);
        Map<String, Entry> map = new TreeMap<>();
        for (ServiceLoader.Provider<Module> p : ServiceLoader.load(Module.class, loader).stream().toList()) {
            Entry once = new Entry(p.type().getName(), new Once(p));
            List<String> names = indexed.get(p.type().getName());
            if (names == null) {
                Module m = once.module().get();
                names = new ArrayList<>();
                names.add(m.name());
                names.addAll(m.aliases());
            }
            for (String n : names) {
                register(map, n, once);
            }
        }
        return new ModuleRegistry(map);
    }

    public static ModuleRegistry of(Module... modules) {
        Map<String, Entry> map = new TreeMap<>();
        for (Module m : modules) {
            Entry it = new Entry(m.getClass().getName(), () -> m);
            register(map, m.name(), it);
            m.aliases().forEach(a -> register(map, a, it));
        }
        return new ModuleRegistry(map);
    }

    private static void register(Map<String, Entry> map, String name, Entry m) {
        Entry previous = map.putIfAbsent(name, m);
        if (previous != null && previous != m) {
            throw new IllegalStateException("two modules claim the name '" + name + "': " + previous.type() + " and "
                    + m.type());
        }
    }

    /** Module class name to its names, from every index on the class path. */
    private static Map<String, List<String>> index(ClassLoader loader) {
        Map<String, List<String>> names = new HashMap<>();
        try {
            Enumeration<URL> all = loader.getResources(INDEX);
            while (all.hasMoreElements()) {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(all.nextElement().openStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        String[] words = line.strip().split("\\s+");
                        if (words.length >= 2 && !words[0].startsWith("#")) {
                            names.put(words[0], List.copyOf(Arrays.asList(words).subList(1, words.length)));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the module index " + INDEX, e);
        }
        return names;
    }

    /** Also accepts {@code ansible.builtin.NAME} and {@code ansible.posix.NAME} so existing playbooks carry over. */
    public Optional<Module> find(String name) {
        String key = name;
        int dot = name.lastIndexOf('.');
        if (dot > 0 && (name.startsWith("ansible.") || name.startsWith("hyperform."))) {
            key = name.substring(dot + 1);
        }
        Entry m = byName.get(key);
        return m == null ? Optional.empty() : Optional.of(m.module().get());
    }

    public Collection<String> names() {
        return byName.keySet();
    }

    /** A module made the first time it is asked for, once, whichever thread asks. */
    private static final class Once implements Supplier<Module> {
        private final ServiceLoader.Provider<Module> provider;
        private volatile Module made;

        Once(ServiceLoader.Provider<Module> provider) {
            this.provider = provider;
        }

        @Override
        public Module get() {
            Module m = made;
            if (m == null) {
                synchronized (this) {
                    m = made;
                    if (m == null) {
                        m = provider.get();
                        made = m;
                    }
                }
            }
            return m;
        }
    }
}
