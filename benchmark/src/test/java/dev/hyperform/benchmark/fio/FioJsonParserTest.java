package dev.hyperform.benchmark.fio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The parser on real fio 3.33 JSON (src/test/resources/fio, see generate.sh there for how it was produced). */
final class FioJsonParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FioJsonParser parser = new FioJsonParser();

    static Path fixture(String name) {
        return Path.of("src/test/resources/fio", name);
    }

    static Stream<Arguments> documents() {
        return Stream.of(
                // file, job entries fio wrote, their names, the failed entry's index (-1 none)
                Arguments.of("multi.json", List.of("randread-4k", "randread-4k", "seqread-1m", "seqread-1m"), -1),
                Arguments.of("grouped.json", List.of("randread-4k", "seqread-1m"), -1),
                Arguments.of("grouped-jsonplus.json", List.of("randread-4k", "seqread-1m"), -1),
                Arguments.of("error.json", List.of("good", "bad"), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void everyJobEntryIsReadWithFiosOwnFigures(String file, List<String> names, int failed) throws Exception {
        FioRun run = parser.parse(fixture(file));
        JsonNode raw = rawDocument(fixture(file));
        assertEquals("fio-3.33", run.fioVersion());
        assertEquals(names, run.jobs().stream().map(FioJob::name).toList());
        for (int i = 0; i < names.size(); i++) {
            FioJob job = run.jobs().get(i);
            JsonNode read = raw.path("jobs").get(i).path("read");
            assertEquals(read.path("iops").asDouble(), job.iops(), 1e-9, file + " job " + i + " iops");
            assertEquals(read.path("bw_bytes").asDouble(), job.bandwidthBytesPerSec(), 1e-9, file + " job " + i + " bw");
            if (i == failed) {
                assertTrue(job.failed());
                assertEquals(22, job.error());
                assertTrue(job.reason().contains("Invalid argument"), job.reason());
            } else {
                assertTrue(job.iops() > 0, "a job that ran did I/O");
                JsonNode pct = read.path("clat_ns").path("percentile");
                assertEquals(pct.path("50.000000").asDouble(), job.latency().p50Ns(), 1e-9);
                assertEquals(pct.path("99.000000").asDouble(), job.latency().p99Ns(), 1e-9);
                assertEquals(pct.path("99.900000").asDouble(), job.latency().p999Ns(), 1e-9);
            }
        }
        assertEquals(failed >= 0, run.failure().isPresent(), "a run with a failed job is failed, never 0");
    }

    @Test
    void aFailedJobCarriesFiosReasonNotZero() {
        FioRun run = parser.parse(fixture("error.json"));
        assertEquals("fio job 'bad' failed: error 22: Invalid argument (io_u error at file:io_u.c:1876)",
                run.failure().orElseThrow());
    }

    @Test
    void groupReportingGivesOneEntryPerGroupAndTheRunSumsThem() throws Exception {
        // the same job file with and without group_reporting: one entry per group vs one per clone
        FioRun grouped = parser.parse(fixture("grouped.json"));
        assertEquals(List.of(0, 1), grouped.jobs().stream().map(FioJob::groupId).toList());
        JsonNode raw = rawDocument(fixture("grouped.json"));
        assertEquals(raw.path("jobs").get(0).path("read").path("iops").asDouble()
                        + raw.path("jobs").get(1).path("read").path("iops").asDouble(), grouped.iops(), 1e-6);
    }

    /** fio 2's unit forms, derived from the real fio 3 document: clat in microseconds, bw in KiB/s, no *_ns/bw_bytes. */
    @Test
    void olderUnitFormsAreConvertedToNanosecondsAndBytes() throws Exception {
        JsonNode doc = rawDocument(fixture("grouped.json"));
        FioRun current = parser.parse(fixture("grouped.json"));
        for (JsonNode job : doc.path("jobs")) {
            for (String d : List.of("read", "write", "trim")) {
                ObjectNode dir = (ObjectNode) job.path(d);
                JsonNode pct = dir.remove("clat_ns").path("percentile");
                ObjectNode usec = JSON.createObjectNode();
                pct.fields().forEachRemaining(e -> usec.put(e.getKey(), e.getValue().asDouble() / 1000));
                dir.set("clat", JSON.createObjectNode().set("percentile", usec));
                dir.remove("lat_ns");
                dir.put("bw", dir.remove("bw_bytes").asDouble() / 1024);
            }
        }
        FioRun legacy = parser.parse(JSON.writeValueAsString(doc), null);
        for (int i = 0; i < current.jobs().size(); i++) {
            assertEquals(current.jobs().get(i).bandwidthBytesPerSec(), legacy.jobs().get(i).bandwidthBytesPerSec(), 1e-6);
            assertEquals(current.jobs().get(i).latency().p99Ns(), legacy.jobs().get(i).latency().p99Ns(), 1e-6);
            assertEquals(current.jobs().get(i).latency().p50Ns(), legacy.jobs().get(i).latency().p50Ns(), 1e-6);
        }
    }

    @Test
    void textOutputIsRefusedWithTheFileNamed() {
        FioOutputException e = assertThrows(FioOutputException.class, () -> parser.parse(
                "randread-4k: (g=0): rw=randread, bs=(R) 4096B-4096B\n", Path.of("vm-1.json")));
        assertTrue(e.getMessage().contains("vm-1.json") || e.location().file().toString().contains("vm-1.json"));
        assertTrue(e.getMessage().contains("no JSON document"), e.getMessage());
    }

    private static JsonNode rawDocument(Path p) throws Exception {
        String s = Files.readString(p);
        return JSON.readTree(s.substring(s.startsWith("{") ? 0 : s.indexOf("\n{") + 1));
    }
}
