package dev.hyperform.modules.spdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperform.module.Command;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import dev.hyperform.transport.ExecResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON-RPC 2.0 to the SPDK target, the way the real v23.09 target speaks it: compact requests with an integer id
 * (never id-less: SPDK answers those with a truncated fragment), several requests back to back in one write, one
 * response line each, any {@code error} object is a failure. The bytes travel through the target's shell:
 * {@code socat - UNIX-CONNECT:SOCKET} with the requests on stdin (socat is the one tool the spdk role installs for
 * this; no rpc.py, no Python).
 */
public final class SpdkRpc {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SECRET_KEYS = Set.of("key", "secret", "key_file_content");

    /** One call: method and params (null = none). */
    public record Call(String method, Map<String, Object> params) {
    }

    /** One answer: the result node, or the error code and message. */
    public record Answer(Call call, JsonNode result, Integer code, String message) {
        boolean ok() {
            return code == null;
        }
    }

    private SpdkRpc() {
    }

    static byte[] requests(List<Call> calls) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < calls.size(); i++) {
            ObjectNode n = JSON.createObjectNode();
            n.put("jsonrpc", "2.0");
            n.put("method", calls.get(i).method());
            n.put("id", i + 1);
            if (calls.get(i).params() != null) {
                n.set("params", JSON.valueToTree(calls.get(i).params()));
            }
            s.append(n.toString());
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The command that sends these calls to the socket and prints the answers. */
    static Command command(String socket, List<Call> calls) {
        StringBuilder shown = new StringBuilder();
        for (Call c : calls) {
            shown.append(shown.length() == 0 ? "" : "; ").append("rpc ").append(c.method()).append(' ').append(describe(c.params()));
        }
        return Command.of("socat", "-t", "10", "-", "UNIX-CONNECT:" + socket).withStdin(requests(calls)).described(shown.toString());
    }

    /** Parse the answers of a batch, in order; a missing answer means SPDK closed the connection. */
    static List<Answer> answers(List<Call> calls, ExecResult r, String socket) {
        if (!r.ok()) {
            String err = r.err().strip();
            throw new ModuleException("cannot reach the SPDK RPC socket " + socket + ": " + err,
                    err.contains("No such file") ? "is spdk-vhost.service running? (systemctl status spdk-vhost)"
                            : "check the socket path (spdk_rpc_socket) and that socat is installed");
        }
        Map<Integer, JsonNode> byId = new LinkedHashMap<>();
        for (String line : r.out().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line);
                byId.put(n.path("id").asInt(), n);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ModuleException("SPDK sent a reply that is not JSON: " + line, "is this an SPDK target?");
            }
        }
        List<Answer> out = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            JsonNode n = byId.get(i + 1);
            if (n == null) {
                throw new ModuleException("SPDK closed the connection without answering " + calls.get(i).method()
                        + " (it does that when it cannot parse a request)", "report this as a hyperform bug");
            }
            if (n.has("error")) {
                out.add(new Answer(calls.get(i), null, n.path("error").path("code").asInt(), n.path("error").path("message").asText()));
            } else {
                out.add(new Answer(calls.get(i), n.path("result"), null, null));
            }
        }
        return out;
    }

    /** Run calls now (probes: read-only RPCs), all in one round trip. */
    static List<Answer> probe(Target target, String socket, List<Call> calls) {
        return answers(calls, target.probe(command(socket, calls)), socket);
    }

    static String describe(Map<String, Object> params) {
        if (params == null) {
            return "{}";
        }
        Map<String, Object> shown = new LinkedHashMap<>();
        params.forEach((k, v) -> shown.put(k, SECRET_KEYS.contains(k) ? "********" : v));
        try {
            return JSON.writeValueAsString(shown);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return shown.toString();
        }
    }
}
