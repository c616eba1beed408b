package dev.hyperform.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperform.error.Location;
import dev.hyperform.module.Diff;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;

class OutputSinksTest {
    private static final Instant T = Instant.parse("2026-11-25T00:00:00Z");
    private static final Location L = Location.of(Path.of("site.yaml"), 7, 3);

    static List<Event> run() {
        Map<String, Event.Recap> recap = new LinkedHashMap<>();
        recap.put("node1", new Event.Recap(2, 1, 0, 0, 0, 0, 0));
        recap.put("a-much-longer-host-name", new Event.Recap(1, 0, 0, 1, 1, 0, 0));
        recap.put("a-host-no-task-reached-in-this-run", new Event.Recap(0, 0, 0, 0, 0, 0, 0));
        return List.of(
                new Event.RunStarted(T, List.of("site.yaml"), false, true, 50),
                new Event.PlayStarted(T, "nodes", L, List.of("node1", "a-much-longer-host-name"), 1, 1),
                new Event.TaskStarted(T, "write <config> & \"more\"", L, false, List.of("node1", "a-much-longer-host-name")),
                new Event.HostResult(T, "node1", "write <config> & \"more\"", L, Event.Status.CHANGED, "update file /etc/x", null, null,
                        Map.of("changed", true), List.of(), List.of(Diff.content("/etc/x", "a\nb\n", "a\nc\n")), Duration.ofMillis(12)),
                new Event.HostResult(T, "a-much-longer-host-name", "write <config> & \"more\"", L, Event.Status.FAILED,
                        "'false' failed with exit code 1", null, null, Map.of("failed", true),
                        List.of(new Event.CommandLog("false", 1, "", "boom\u0001", Duration.ofMillis(3), Event.CommandKind.RUN)), List.of(), Duration.ofMillis(5)),
                new Event.TaskStarted(T, "skip", L, false, List.of("a-much-longer-host-name")),
                new Event.HostResult(T, "a-much-longer-host-name", "skip", L, Event.Status.SKIPPED, "conditional result was false", null,
                        null, Map.of(), List.of(), List.of(), Duration.ZERO),
                new Event.RunFinished(T, recap, Duration.ofMillis(1234), 2, false));
    }

    @Test
    void consoleLooksLikeAnsibleWithDiffFailureDetailsAndAlignedRecap() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConsoleSink c = new ConsoleSink(new PrintStream(buf, true, StandardCharsets.UTF_8), false, 0);
        run().forEach(c::accept);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("PLAY [nodes] ****"), out);
        assertTrue(out.contains("TASK [write <config> & \"more\"] ****"), out);
        assertTrue(out.contains("changed: [node1]"), out);
        assertTrue(out.contains("--- before: /etc/x\n+++ after: /etc/x\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"), out);
        assertTrue(out.contains("fatal: [a-much-longer-host-name]: FAILED! => 'false' failed with exit code 1"), out);
        assertTrue(out.contains("  task: write <config> & \"more\" at site.yaml:7:3"), out);
        assertTrue(out.contains("  exit code: 1"), out);
        assertTrue(out.contains("skipping: [a-much-longer-host-name]"), out);
        assertTrue(out.contains("node1                   : ok=2    changed=1    unreachable=0    failed=0"), out);
        assertTrue(out.contains("a-much-longer-host-name : ok=1    changed=0    unreachable=0    failed=1"), out);
        assertFalse(out.contains("a-host-no-task-reached"), "as ansible-playbook, a host no task reached is not listed");
        assertFalse(out.contains("\033["), "no colour when not asked for");
    }

    @Test
    void jsonLinesCarryEveryEventAndParseBack() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        JsonLinesSink s = new JsonLinesSink(buf, false);
        run().forEach(s::accept);
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(run().size(), lines.size());
        ObjectMapper m = new ObjectMapper();
        JsonNode failed = m.readTree(lines.get(4));
        assertEquals("host_result", failed.path("event").asText());
        assertEquals("failed", failed.path("status").asText());
        assertEquals("site.yaml:7:3", failed.path("location").asText());
        assertEquals(1, failed.path("commands").get(0).path("rc").asInt());
        JsonNode fin = m.readTree(lines.get(lines.size() - 1));
        assertEquals(2, fin.path("exit_code").asInt());
        assertEquals(1, fin.path("recap").path("a-much-longer-host-name").path("failed").asInt());
        assertEquals("2026-11-25T00:00:00Z", fin.path("at").asText());
    }

    @Test
    void aValueThatCannotBeSerialisedCostsOnlyItsOwnEventsDetailsThroughTheBus() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Map<String, Object> cyclic = new LinkedHashMap<>();
        cyclic.put("self", cyclic);
        List<Event> events = new java.util.ArrayList<>(run());
        events.add(4, new Event.HostResult(T, "node1", "odd", L, Event.Status.OK, "ok", null, null, cyclic, List.of(), List.of(),
                Duration.ZERO));
        try (EventBus bus = new EventBus(List.of(new JsonLinesSink(buf, false)))) {
            events.forEach(bus::accept);
        }
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(events.size(), lines.size(), "every event has its line: " + lines);
        ObjectMapper m = new ObjectMapper();
        JsonNode odd = m.readTree(lines.get(4));
        assertEquals("host_result", odd.path("event").asText());
        assertFalse(odd.path("serialization_error").asText().isEmpty(), odd.toString());
        assertEquals("run_finished", m.readTree(lines.get(lines.size() - 1)).path("event").asText());
    }

    @Test
    void junitXmlIsValidAndCountsTestcases(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("r.xml");
        JUnitSink s = new JUnitSink(f);
        run().forEach(s::accept);
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(f.toFile());
        var suite = d.getElementsByTagName("testsuite").item(0).getAttributes();
        assertEquals("3", suite.getNamedItem("tests").getNodeValue());
        assertEquals("1", suite.getNamedItem("failures").getNodeValue());
        assertEquals("1", suite.getNamedItem("skipped").getNodeValue());
        assertEquals(3, d.getElementsByTagName("testcase").getLength());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "add line       | a\\n         | a\\nb\\n  | @@ -1,1 +1,2 @@\\n a\\n+b\\n",
            "remove line    | a\\nb\\n     | a\\n      | @@ -1,2 +1,1 @@\\n a\\n-b\\n",
            "new file       | NULL         | x\\n      | @@ -0,0 +1,1 @@\\n+x\\n",
            "no final nl    | a\\n         | a        | \\\\ No newline at end of file\\n",
    })
    void unifiedDiff(String name, String before, String after, String expectedPart) {
        String b = before.equals("NULL") ? null : before.replace("\\n", "\n");
        String d = UnifiedDiff.of("/f", b, after.replace("\\n", "\n"));
        assertTrue(d.contains(expectedPart.replace("\\n", "\n").replace("\\\\", "\\")), d);
    }
}
