package dev.hyperform.modules.spdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyperform.module.Command;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import dev.hyperform.transport.ExecResult;
import dev.hyperform.vars.Secret;
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
 * this; no rpc.py, no Python). {@code socat -t N} waits up to N seconds for SPDK's answers after sending: every call
 * gets the task's {@code rpc_timeout}, which must exceed the slowest answer SPDK can give (registering an RBD cluster
 * against an unreachable monitor blocks for Ceph's {@code client_mount_timeout}).
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

    /** How a command was run: a probe (read-only, also in check mode) or a change. */
    @FunctionalInterface
    interface Runner {
        ExecResult run(Command command);
    }

    static byte[] requests(List<Call> calls) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < calls.size(); i++) {
            ObjectNode n = JSON.createObjectNode();
            n.put("jsonrpc", "2.0");
            n.put("method", calls.get(i).method());
            n.put("id", i + 1);
            if (calls.get(i).params() != null) {
                n.set("params", JSON.valueToTree(revealed(calls.get(i).params())));
            }
            s.append(n.toString());
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The command that sends these calls to the socket and prints the answers. */
    static Command command(String socket, List<Call> calls, long timeoutSeconds) {
        StringBuilder shown = new StringBuilder();
        for (Call c : calls) {
            shown.append(shown.length() == 0 ? "" : "; ").append("rpc ").append(c.method()).append(' ').append(describe(c.params()));
        }
        return Command.of("socat", "-t", Long.toString(timeoutSeconds), "-", "UNIX-CONNECT:" + socket).withStdin(requests(calls)).described(shown.toString());
    }

    /** The call a command of {@link #command} sends (read back from its stdin). */
    static Call callOf(Command command) {
        try {
            JsonNode n = JSON.readTree(command.stdin().orElseThrow());
            @SuppressWarnings("unchecked")
            Map<String, Object> params = n.has("params") ? JSON.convertValue(n.get("params"), Map.class) : null;
            return new Call(n.path("method").asText(), params);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not an SPDK RPC command: " + command.description(), e);
        }
    }

    /** Send calls in one round trip and read their answers; the elapsed time tells a timeout from a refusal. */
    static List<Answer> exchange(Runner runner, String socket, List<Call> calls, long timeoutSeconds) {
        return exchange(runner, command(socket, calls, timeoutSeconds), socket, calls, timeoutSeconds);
    }

    static List<Answer> exchange(Runner runner, Command command, String socket, List<Call> calls, long timeoutSeconds) {
        long start = System.nanoTime();
        ExecResult r = runner.run(command);
        double elapsed = (System.nanoTime() - start) / 1e9;
        return answers(calls, r, socket, elapsed >= timeoutSeconds ? timeoutSeconds : -1);
    }

    /**
     * Parse the answers of a batch, in order. A missing answer means SPDK closed the connection (it does that when
     * it cannot parse a request) or did not answer within {@code timedOutAfter} seconds (negative: it did not time out).
     */
    static List<Answer> answers(List<Call> calls, ExecResult r, String socket, long timedOutAfter) {
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
            if (n == null && timedOutAfter >= 0) {
                throw new ModuleException("SPDK gave no answer to " + calls.get(i).method() + " within " + timedOutAfter
                        + " s (socket " + socket + ")", calls.get(i).method().startsWith("bdev_rbd")
                        ? "SPDK blocks while Ceph connects (up to Ceph's client_mount_timeout): check that the monitors in "
                        + "the Ceph configuration are reachable from this node, or raise rpc_timeout"
                        : "the target may be stuck: see its log (journalctl -u spdk-vhost), or raise rpc_timeout");
            }
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
    static List<Answer> probe(Target target, String socket, List<Call> calls, long timeoutSeconds) {
        return exchange(target::probe, socket, calls, timeoutSeconds);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> describedMap(Map<?, ?> m) {
        Map<String, Object> shown = new LinkedHashMap<>();
        ((Map<String, Object>) m).forEach((k, v) -> shown.put(k, SECRET_KEYS.contains(k) || v instanceof Secret ? Secret.MASK : v));
        return shown;
    }

    private static Map<String, Object> revealed(Map<String, Object> params) {
        Map<String, Object> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v instanceof Secret s ? s.reveal() : v instanceof Map<?, ?> m ? revealedMap(m) : v));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> revealedMap(Map<?, ?> m) {
        return revealed((Map<String, Object>) m);
    }

    static String describe(Map<String, Object> params) {
        if (params == null) {
            return "{}";
        }
        Map<String, Object> shown = new LinkedHashMap<>();
        params.forEach((k, v) -> shown.put(k, SECRET_KEYS.contains(k) || v instanceof Secret ? Secret.MASK
                : v instanceof Map<?, ?> m ? describedMap(m) : v));
        try {
            return JSON.writeValueAsString(shown);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return shown.toString();
        }
    }
}
