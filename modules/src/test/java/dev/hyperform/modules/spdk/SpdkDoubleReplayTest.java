package dev.hyperform.modules.spdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the raw requests of the real SPDK v23.09 target's recorded answers (test data
 * {@code spdk/observed-v23.09.json}, copied by hand from the project's spdk-rpc-observed.md: see its "about") against
 * the SPDK JSON-RPC TEST DOUBLE (lab/spdk-double), each case on a fresh double, and expects the real answers.
 */
class SpdkDoubleReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    static Stream<Arguments> cases() throws Exception {
        try (InputStream in = SpdkDoubleReplayTest.class.getResourceAsStream("/spdk/observed-v23.09.json")) {
            List<Arguments> out = new ArrayList<>();
            JSON.readTree(in).path("cases").forEach(c -> out.add(Arguments.of(c.path("row").asText(), c)));
            return out.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theDoubleAnswersAsTheRealTargetDid(String row, JsonNode c) throws Exception {
        Path conf = Files.writeString(dir.resolve("ceph.conf"), "[global]\n");
        String mask = c.path("core_mask").asText("0x1");
        try (SpdkDoubleProcess spdk = SpdkDoubleProcess.start(dir, mask)) {
            int id = 1;
            for (JsonNode setup : c.path("setup")) {
                JsonNode answer = call(spdk, setup, id++, conf);
                assertTrue(answer.has("result"), row + ": setup " + setup + " answered " + answer);
            }
            java.nio.channels.SocketChannel client = null;
            if (c.has("attach")) {
                client = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(dir.resolve(c.path("attach").asText())));
                Thread.sleep(300);
            }
            try {
                JsonNode expect = c.path("expect");
                if (expect.has("no_reply")) {
                    String got = spdk.send(c.path("raw").asText(), 1, 700);
                    assertEquals("", got, row + ": no bytes and the connection " + expect.path("no_reply").asText());
                    return;
                }
                JsonNode answer = call(spdk, c.path("request"), id++, conf);
                assertEquals(id - 1, answer.path("id").asInt(), row + ": the id is echoed");
                if (expect.has("error")) {
                    assertEquals(expect.path("error"), answer.path("error"), row + ": " + answer);
                } else if (expect.has("result")) {
                    assertEquals(expect.path("result"), answer.path("result"), row + ": " + answer);
                } else if (expect.has("keys")) {
                    JsonNode at = answer.path("result").at(expect.path("keys").path("pointer").asText());
                    TreeSet<String> keys = new TreeSet<>();
                    at.fieldNames().forEachRemaining(keys::add);
                    assertEquals(JSON.convertValue(expect.path("keys").path("equals"), List.class), new ArrayList<>(keys), row + ": " + answer);
                } else if (expect.has("has")) {
                    JsonNode at = answer.path("result").at(expect.path("has").path("pointer").asText());
                    for (JsonNode k : expect.path("has").path("keys")) {
                        assertTrue(at.has(k.asText()), row + ": no " + k + " in " + at);
                    }
                }
                if (c.has("then")) {
                    JsonNode after = call(spdk, c.path("then").path("request"), id, conf);
                    assertEquals(c.path("then").path("equals"), after.path("result").at(c.path("then").path("pointer").asText()),
                            row + ": " + after);
                }
                assertTrue(spdk.alive(), row + ": the double is still running");
            } finally {
                if (client != null) {
                    client.close();
                }
            }
        }
    }

    private JsonNode call(SpdkDoubleProcess spdk, JsonNode request, int id, Path conf) throws Exception {
        ObjectNode r = JSON.createObjectNode();
        r.put("jsonrpc", "2.0");
        r.put("method", request.path("method").asText());
        r.put("id", id);
        if (request.has("params")) {
            String params = request.path("params").toString().replace("<conf>", conf.toString())
                    .replace("<missing>", dir.resolve("missing/ceph.conf").toString());
            r.set("params", JSON.readTree(params));
        }
        String got = spdk.send(r.toString(), 1, 5000);
        assertTrue(got.endsWith("\n") && got.indexOf('\n') == got.length() - 1, "one line per answer, got: " + got);
        return JSON.readTree(got);
    }
}
