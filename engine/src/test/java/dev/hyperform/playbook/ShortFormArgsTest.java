package dev.hyperform.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.Location;
import dev.hyperform.module.ModuleRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ShortFormArgsTest {
    private static final ModuleRegistry MODULES = TestModules.registry();

    private static Map<String, Object> map(String... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("copy", "src=a dest=/tmp/b mode=0644", map("src", "a", "dest", "/tmp/b", "mode", "0644")),
                Arguments.of("debug", "msg=\"a b  c\"", map("msg", "a b  c")),
                Arguments.of("debug", "msg='it is' var=x", map("msg", "it is", "var", "x")),
                Arguments.of("debug", "msg=\"say \\\"hi\\\"\"", map("msg", "say \"hi\"")),
                Arguments.of("debug", "msg=${a + b}", map("msg", "${a + b}")),
                Arguments.of("debug", "msg=\"${ x } y\"", map("msg", "${ x } y")),
                Arguments.of("command", "ls -l /tmp", map("cmd", "ls -l /tmp")),
                Arguments.of("command", "chdir=/srv ls -l", map("chdir", "/srv", "cmd", "ls -l")),
                Arguments.of("command", "ls chdir=/srv -l", map("chdir", "/srv", "cmd", "ls -l")),
                Arguments.of("command", "echo FOO=bar 'a  b'", map("cmd", "echo FOO=bar 'a  b'")),
                Arguments.of("command", "echo ${ greeting } creates=/x", map("creates", "/x", "cmd", "echo ${ greeting }")),
                Arguments.of("command", "set -e\nfoo\n  bar\n", map("cmd", "set -e\nfoo\n  bar")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void splitsArgumentsAndFreeForm(String module, String text, Map<String, Object> expected) {
        assertEquals(expected, ShortFormArgs.parse(text, module, MODULES.find(module).orElseThrow().spec(),
                Location.UNKNOWN));
    }

    @Test
    void freeFormTextForAModuleWithoutOneIsAnError() {
        PlaybookException e = assertThrows(PlaybookException.class, () -> ShortFormArgs.parse("hello dest=/x", "copy",
                MODULES.find("copy").orElseThrow().spec(), Location.UNKNOWN));
        assertTrue(e.getMessage().contains("module 'copy' takes no free-form text, but got 'hello'"), e.getMessage());
    }

    @Test
    void unbalancedQuoteIsAnError() {
        PlaybookException e = assertThrows(PlaybookException.class, () -> ShortFormArgs.parse("msg=\"open", "debug",
                MODULES.find("debug").orElseThrow().spec(), Location.UNKNOWN));
        assertTrue(e.getMessage().contains("unbalanced quote"), e.getMessage());
    }
}
