package dev.hyperform.vars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.HyperformException;
import dev.hyperform.error.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExpressionsTest {
    private static final Expressions EX = new Expressions();
    private static final Origin ORIGIN = new Origin("node1", "write config", Location.of(Path.of("site.yaml"), 12, 7));

    static Map<String, Object> scope() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("port", 8080);
        m.put("name", "spdk");
        m.put("nodes", List.of("node1", "node2"));
        m.put("cfg", Map.of("mem", 1024, "sock", "/var/tmp/spdk.sock"));
        m.put("enabled", true);
        m.put("ratio", 0.5);
        m.put("password", new Secret("s3cr3t"));
        m.put("qemu_version", "7.2.22+dfsg-1");
        return m;
    }

    static Stream<Arguments> interpolations() {
        return Stream.of(
                Arguments.of("plain text", "plain text"),
                Arguments.of("${port}", 8080L),
                Arguments.of("port ${port}", "port 8080"),
                Arguments.of("${nodes}", List.of("node1", "node2")),
                Arguments.of("${cfg}", Map.of("mem", 1024L, "sock", "/var/tmp/spdk.sock")),
                Arguments.of("${cfg.mem * 2}", 2048L),
                Arguments.of("${enabled}", true),
                Arguments.of("on=${enabled}", "on=true"),
                Arguments.of("${ratio}", 0.5),
                Arguments.of("${nodes?join(',')}", "node1,node2"),
                Arguments.of("${missing!'fallback'}", "fallback"),
                Arguments.of("${missing??}", false),
                Arguments.of("echo $${HOME}", "echo ${HOME}"),
                Arguments.of("${name}: $${HOME}", "spdk: ${HOME}"),
                Arguments.of("${password}", "s3cr3t"),
                Arguments.of("${quote(\"it's; rm -rf /\")}", "'it'\"'\"'s; rm -rf /'"),
                Arguments.of("${path_join('/etc', name, 'x.conf')}", "/etc/spdk/x.conf"),
                Arguments.of("${size_bytes('2Mi')}", 2097152L),
                Arguments.of("${size_bytes('1G')}", 1073741824L),
                Arguments.of("${version_compare(qemu_version, '>=', '7.1')}", true),
                Arguments.of("${version_compare('6.2.0', '>=', '7.1')}", false),
                Arguments.of("${to_json(nodes)}", "[\"node1\",\"node2\"]"),
                Arguments.of("${closest('nod1', nodes)}", "node1"),
                Arguments.of("${closest('CPUManagr', ['LiveMigration', 'CPUManager'])}", "CPUManager"),
                Arguments.of("${closest('cpumanager', ['LiveMigration', 'CPUManager'])}", "CPUManager"),
                Arguments.of("${closest('Vhost', ['LiveMigration', 'CPUManager'])}", ""),
                Arguments.of("#{not an expression}", "#{not an expression}"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("interpolations")
    void interpolatesAndKeepsTypeOfASingleExpression(String text, Object expected) {
        assertEquals(expected, EX.interpolate(text, scope(), ORIGIN));
    }

    @Test
    void interpolatesDeeplyInMapsAndLists() {
        Object v = EX.interpolate(Map.of("a", List.of("${port}", "x${name}"), "${name}_key", "v"), scope(), ORIGIN);
        assertEquals(Map.of("a", List.of(8080L, "xspdk"), "spdk_key", "v"), v);
    }

    static Stream<Arguments> conditions() {
        return Stream.of(
                Arguments.of("port == 8080", true),
                Arguments.of("port > 9000", false),
                Arguments.of("name == 'spdk' && enabled", true),
                Arguments.of("nodes?seq_contains('node2')", true),
                Arguments.of("missing??", false),
                Arguments.of("(missing!0) < 1", true),
                Arguments.of("enabled", true),
                Arguments.of("${enabled}", true),
                Arguments.of("'yes'", true),
                Arguments.of("nodes?size == 2", true));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("conditions")
    void conditionsAreFreeMarkerBooleans(String condition, boolean expected) {
        assertEquals(expected, EX.test(condition, scope(), ORIGIN));
    }

    @Test
    void undefinedVariableNamesVariableTaskHostAndPlace() {
        UndefinedVariableException e = assertThrows(UndefinedVariableException.class,
                () -> EX.interpolate("http://${nmae}:${port}", scope(), ORIGIN));
        assertEquals("nmae", e.variable());
        String msg = e.getMessage();
        assertTrue(msg.contains("undefined variable 'nmae'"), msg);
        assertTrue(msg.contains("task 'write config'"), msg);
        assertTrue(msg.contains("node1"), msg);
        assertTrue(msg.contains("site.yaml:12:7"), msg);
        assertTrue(msg.contains("did you mean 'name'"), msg);
    }

    @Test
    void undefinedNestedPathIsNamedWhole() {
        UndefinedVariableException e = assertThrows(UndefinedVariableException.class,
                () -> EX.interpolate("${cfg.memory}", scope(), ORIGIN));
        assertEquals("cfg.memory", e.variable());
    }

    @Test
    void undefinedInConditionIsAnErrorNotFalse() {
        assertThrows(UndefinedVariableException.class, () -> EX.test("nope == 1", scope(), ORIGIN));
    }

    @Test
    void nonBooleanConditionIsAnErrorNamingTheCondition() {
        HyperformException e = assertThrows(HyperformException.class, () -> EX.test("port", scope(), ORIGIN));
        assertTrue(e.getMessage().contains("condition 'port' must be true or false"), e.getMessage());
    }

    @Test
    void syntaxErrorNamesTheExpression() {
        HyperformException e = assertThrows(HyperformException.class, () -> EX.interpolate("${port +}", scope(), ORIGIN));
        assertTrue(e.getMessage().contains("expression syntax error in '${port +}'"), e.getMessage());
    }

    @Test
    void templateErrorsNameTheTemplateFileAndLine(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("unit.ftl");
        Files.writeString(t, "[Service]\nExecStart=/usr/bin/vhost -S ${sock_dir}\n");
        UndefinedVariableException e = assertThrows(UndefinedVariableException.class,
                () -> EX.renderTemplate(t, scope(), ORIGIN));
        assertTrue(e.getMessage().contains("unit.ftl:2"), e.getMessage());
        assertTrue(e.getMessage().contains("sock_dir"), e.getMessage());
    }

    @Test
    void templatesRenderWithTheWholeScope(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("unit.ftl");
        Files.writeString(t, "<#list nodes as n>${n}:${port}\n</#list>mem=${cfg.mem}\n");
        assertEquals("node1:8080\nnode2:8080\nmem=1024\n", EX.renderTemplate(t, scope(), ORIGIN));
    }

    @Test
    void userVariableShadowsHelperOfTheSameName() {
        Map<String, Object> s = scope();
        s.put("quote", "mine");
        assertEquals("mine", EX.interpolate("${quote}", s, ORIGIN));
    }
}
