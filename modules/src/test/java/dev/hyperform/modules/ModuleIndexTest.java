package dev.hyperform.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The module index (which names each module class answers to, read at start-up instead of making every module) says
 * what the modules themselves say: a module added, renamed or given an alias without its index line fails here.
 */
class ModuleIndexTest {
    private static final Path FILE = Path.of("src/main/resources", ModuleRegistry.INDEX);

    /** The index as the module classes of this jar would write it. */
    static String expected() {
        StringBuilder b = new StringBuilder("# the module classes of this jar and the names a task uses for them (name, then aliases):\n"
                + "# read at start-up instead of making every module; ModuleIndexTest checks it against the modules\n");
        for (ServiceLoader.Provider<Module> p : ServiceLoader.load(Module.class).stream().toList()) {
            if (!p.type().getName().startsWith("dev.hyperform.modules.")) {
                continue; // a test's own modules
            }
            Module m = p.get();
            b.append(p.type().getName()).append(' ').append(m.name());
            m.aliases().forEach(a -> b.append(' ').append(a));
            b.append('\n');
        }
        return b.toString();
    }

    @Test
    void theIndexNamesEveryModuleAsTheModuleNamesItself() throws IOException {
        String wanted = expected();
        if (Boolean.getBoolean("hyperform.writeModuleIndex")) {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, wanted);
        }
        String shipped;
        try (InputStream in = ModuleIndexTest.class.getClassLoader().getResourceAsStream(ModuleRegistry.INDEX)) {
            shipped = in == null ? "(none)" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(wanted, shipped, "modules/" + FILE + " is stale: rewrite it with "
                + "mvn -pl modules test -Dtest=ModuleIndexTest -Dhyperform.writeModuleIndex=true");
    }
}
