package dev.hyperform.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An Ansible playbook carried over unchanged keeps its Jinja2 expressions; hyperform would use them as literal text.
 * Each is reported with the line of the task (or play) that holds it and, for the simple cases, the FreeMarker form.
 */
class JinjaLookalikesTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a variable in a module argument", "{name: t, debug: {msg: \"port {{ app_port }}\"}}",
                        List.of("{{ app_port }} -> ${app_port}")),
                Arguments.of("a dotted path, no spaces", "{name: t, debug: {msg: \"{{ansible_facts.hostname}}\"}}",
                        List.of("{{ansible_facts.hostname}} -> ${ansible_facts.hostname}")),
                Arguments.of("a default filter", "{name: t, debug: {msg: \"{{ x | default('a') }}\"}}",
                        List.of("{{ x | default('a') }} -> ${x!'a'}")),
                Arguments.of("a filter without a simple form", "{name: t, debug: {msg: \"{{ l | join(',') }}\"}}",
                        List.of("{{ l | join(',') }} -> null")),
                Arguments.of("in conditions", "{name: t, debug: {msg: hi}, changed_when: \"{{ c }}\", when: \"{{ ok }}\"}",
                        List.of("{{ ok }} -> ${ok}", "{{ c }} -> ${c}")),
                Arguments.of("in task vars", "{name: t, debug: {msg: hi}, vars: {a: \"{{ b }}\"}}",
                        List.of("{{ b }} -> ${b}")),
                Arguments.of("a Go template is not Jinja", "{name: t, debug: {msg: \"{{.Status}} {{ .Values.x }}\"}}",
                        List.of()),
                Arguments.of("FreeMarker and plain braces are not Jinja", "{name: t, debug: {msg: \"${x} {a: 1} {{}}\"}}",
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void jinjaIsReportedWithWhereAndWhatToWrite(String what, String task, List<String> expected, @TempDir Path dir)
            throws Exception {
        Path pb = dir.resolve("p.yaml");
        Files.writeString(pb, "- hosts: all\n  gather_facts: false\n  tasks:\n    - " + task + "\n");
        List<JinjaLookalikes.Finding> found = JinjaLookalikes.in(
                new PlaybookLoader(TestModules.registry()).load(pb));
        assertEquals(expected.stream().sorted().toList(),
                found.stream().map(f -> f.text() + " -> " + f.instead()).sorted().toList());
        for (JinjaLookalikes.Finding f : found) {
            assertEquals(4, f.where().line(), "the task's line");
            assertTrue(f.message().contains("docs/expressions.md"), f.message());
        }
    }
}
