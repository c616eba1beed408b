package dev.hyperform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code hyperform doc meta}: the unknown-module hint lists meta, so doc must document it too. */
class DocCommandTest {

    static String[] run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            code = Main.run(args);
        } finally {
            System.setOut(old);
        }
        return new String[] {Integer.toString(code), buf.toString(StandardCharsets.UTF_8)};
    }

    @ParameterizedTest
    @ValueSource(strings = {"meta", "ansible.builtin.meta"})
    void metaIsDocumentedWithEveryAction(String name) {
        String[] r = run("doc", name);
        assertEquals("0", r[0], r[1]);
        for (String action : new String[] {"flush_handlers", "end_play", "end_host", "clear_host_errors",
                "reset_connection", "noop"}) {
            assertTrue(r[1].contains(action), action + " in: " + r[1]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"meta"})
    void theListNamesMeta(String name) {
        String[] r = run("doc");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].lines().anyMatch(l -> l.startsWith(name + " ")), r[1]);
    }
}
