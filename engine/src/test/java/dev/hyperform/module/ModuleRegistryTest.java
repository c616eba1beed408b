package dev.hyperform.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run makes only the modules a playbook names; the index gives the names, a class it does not list is asked. */
class ModuleRegistryTest {
    static final AtomicInteger MADE_INDEXED = new AtomicInteger();
    static final AtomicInteger MADE_ALIASED = new AtomicInteger();
    static final AtomicInteger MADE_UNLISTED = new AtomicInteger();

    /** A module that counts how often it is made. */
    abstract static class Counted implements Module {
        private final String name;
        private final List<String> aliases;

        Counted(String name, List<String> aliases, AtomicInteger made) {
            this.name = name;
            this.aliases = aliases;
            made.incrementAndGet();
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<String> aliases() {
            return aliases;
        }

        @Override
        public ArgSpec spec() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Change plan(Target target, Args args) {
            throw new UnsupportedOperationException();
        }
    }

    public static final class Indexed extends Counted {
        public Indexed() {
            super("indexed", List.of(), MADE_INDEXED);
        }
    }

    public static final class Aliased extends Counted {
        public Aliased() {
            super("aliased", List.of("other_name"), MADE_ALIASED);
        }
    }

    public static final class Unlisted extends Counted {
        public Unlisted() {
            super("unlisted", List.of(), MADE_UNLISTED);
        }
    }

    @BeforeEach
    void reset() {
        MADE_INDEXED.set(0);
        MADE_ALIASED.set(0);
        MADE_UNLISTED.set(0);
    }

    /** A class path entry with the services file and an index, over this test's classes. */
    private static ClassLoader jar(Path dir, String index) throws Exception {
        Path services = dir.resolve("META-INF/services/" + Module.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, Indexed.class.getName() + "\n" + Aliased.class.getName() + "\n"
                + Unlisted.class.getName() + "\n");
        Path idx = dir.resolve(ModuleRegistry.INDEX);
        Files.createDirectories(idx.getParent());
        Files.writeString(idx, index);
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, ModuleRegistryTest.class.getClassLoader());
    }

    @Test
    void onlyTheModulesAPlaybookNamesAreMade(@TempDir Path dir) throws Exception {
        ClassLoader loader = jar(dir, "# test modules\n" + Indexed.class.getName() + " indexed\n"
                + Aliased.class.getName() + " aliased other_name\n");

        ModuleRegistry r = ModuleRegistry.load(loader);

        assertEquals(List.of("aliased", "indexed", "other_name", "unlisted"), List.copyOf(r.names()));
        assertEquals(0, MADE_INDEXED.get() + MADE_ALIASED.get(), "an indexed module is made only when named");
        assertEquals(1, MADE_UNLISTED.get(), "a class the index does not list is made to learn its names");
        assertTrue(r.find("nonexistent").isEmpty());
        assertEquals(0, MADE_INDEXED.get() + MADE_ALIASED.get(), "looking up a name that is not a module makes nothing");

        Module aliased = r.find("other_name").orElseThrow();
        assertSame(aliased, r.find("ansible.builtin.aliased").orElseThrow(), "one instance per module, under every name");
        assertEquals(1, MADE_ALIASED.get());
        assertEquals(0, MADE_INDEXED.get());
    }

    @Test
    void twoClassesClaimingOneNameAreRefusedAtLoad(@TempDir Path dir) throws Exception {
        ClassLoader loader = jar(dir, Indexed.class.getName() + " indexed\n" + Aliased.class.getName() + " indexed\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ModuleRegistry.load(loader));
        assertTrue(e.getMessage().contains("'indexed'") && e.getMessage().contains("Aliased"), e.getMessage());
    }
}
