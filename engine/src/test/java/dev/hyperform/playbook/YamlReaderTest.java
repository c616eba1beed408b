package dev.hyperform.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.Failure;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class YamlReaderTest {
    private static final Path FILE = Path.of("t.yml");

    static Stream<Arguments> scalars() {
        return Stream.of(
                Arguments.of("yes", true), Arguments.of("No", false), Arguments.of("ON", true),
                Arguments.of("off", false), Arguments.of("True", true), Arguments.of("fAlSe", false),
                Arguments.of("'yes'", "yes"), Arguments.of("\"off\"", "off"), Arguments.of("y", "y"),
                Arguments.of("42", 42), Arguments.of("-7", -7), Arguments.of("1_000", 1000),
                Arguments.of("0644", 420), Arguments.of("'0644'", "0644"), Arguments.of("0x1F", 31),
                Arguments.of("09", "09"), Arguments.of("12345678901", 12345678901L),
                Arguments.of("1.5", 1.5), Arguments.of("1.10", 1.1), Arguments.of("1.2.3", "1.2.3"),
                Arguments.of("1e3", "1e3"), Arguments.of("~", null), Arguments.of("null", null),
                Arguments.of("", null), Arguments.of("'~'", "~"), Arguments.of("!!str 12", "12"),
                Arguments.of("${x}", "${x}"), Arguments.of("{a: b}", Map.of("a", "b")), Arguments.of("[on, 'on']", List.of(true, "on")));
    }

    @ParameterizedTest(name = "value: {0}")
    @MethodSource("scalars")
    void resolvesScalarsAsAnsibleDoes(String yaml, Object expected) {
        Map<?, ?> root = (Map<?, ?>) YamlReader.parse(FILE, "k: " + yaml + "\n").root();
        assertEquals(expected, root.get("k"));
    }

    @Test
    void locatesKeysValuesAndItems() {
        String yaml = "---\n- name: one\n  tasks:\n    - debug: msg=hi\n    -   copy: {}\n";
        YamlDocument doc = YamlReader.parse(FILE, yaml);
        List<?> plays = (List<?>) doc.root();
        Map<?, ?> play = (Map<?, ?>) plays.get(0);
        assertEquals("t.yml:2:3", doc.location(play).toString());
        assertEquals("t.yml:3:3", doc.keyLocation(play, "tasks").toString());
        assertEquals("t.yml:2:9", doc.valueLocation(play, "name").toString());
        List<?> tasks = (List<?>) play.get("tasks");
        assertEquals("t.yml:5:9", doc.itemLocation(tasks, 1).toString());
    }

    @Test
    void anchorsAliasesAndMergeKeys() {
        String yaml = "base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\nlist: [*b]\n";
        Map<?, ?> root = (Map<?, ?>) YamlReader.parse(FILE, yaml).root();
        assertEquals(Map.of("x", 1, "y", 3), root.get("use"));
        assertEquals(List.of(Map.of("x", 1, "y", 2)), root.get("list"));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("a: 1\nb: 2\na: 3\n", "t.yml:3:1", "duplicate key 'a' (first at line 1, again at line 3)"),
                Arguments.of("a:\n  - x\n  y: 1\n", "t.yml:3:3", "malformed YAML"),
                Arguments.of("a: \"open\nb: 1\n", "t.yml:", "malformed YAML"),
                Arguments.of("a: *nope\n", "t.yml:1:4", "names no anchor"),
                Arguments.of("a:\n\t- x\n", "t.yml:2:1", "a tab character"),
                Arguments.of("a: 1\n---\nb: 2\n", "t.yml:3", "second YAML document"),
                Arguments.of("a: !vault |\n  $ANSIBLE_VAULT\n", "t.yml:1:4", "'!vault' value"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("malformed")
    void malformedInputNamesTheSpot(String yaml, String location, String fragment) {
        PlaybookException e = assertThrows(PlaybookException.class, () -> YamlReader.parse(FILE, yaml));
        assertEquals(Failure.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(location), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void varsFilesMustBeMaps() {
        PlaybookException e = assertThrows(PlaybookException.class,
                () -> VarsFiles.asVars(YamlReader.parse(FILE, "- a\n- b\n")));
        assertTrue(e.getMessage().contains("must be a map"), e.getMessage());
        assertEquals(Map.of(), VarsFiles.asVars(YamlReader.parse(FILE, "")));
    }
}
