package dev.hyperform.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.Failure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InventoryErrorsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown section suffix | [web]\\nw1\\n[web:foo]\\nw2          | 3 | unknown suffix ':foo'",
            "unclosed section       | [web\\nw1                              | 1 | missing its closing ']'",
            "vars line without =    | [web:vars]\\nport 80                   | 2 | is not key=value",
            "host var without =     | [web]\\nw1 port                        | 2 | expected key=value",
            "backwards range        | [web]\\nw[5:1]                         | 2 | is after end",
            "mixed range            | [web]\\nw[1:c]                         | 2 | not a range",
            "unclosed quote         | [web]\\nw1 a='x                        | 2 | unclosed quote",
            "children cycle         | [a:children]\\nb\\n[b:children]\\na  | 1 | cycle",
    })
    void malformedInventoryNamesFileAndLine(String name, String text, int line, String message, @TempDir Path dir)
            throws Exception {
        Path f = dir.resolve("hosts.ini");
        Files.writeString(f, text.replace("\\n", "\n"));
        InventoryException e = assertThrows(InventoryException.class, () -> InventoryLoader.load(List.of(f.toString())));
        assertEquals(Failure.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(f + ":" + line), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
