package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hyperform.error.ExitCode;
import dev.hyperform.modules.kubernetes.KubeApiDouble;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A play reaches the Kubernetes API through a port forward over a lab host's SSH connection: the DECLARED API
 * double listens on the controller's loopback and is reachable only from node1 (at node1's own 127.0.0.1:16443, a
 * relay in node1's network namespace), as a bastion-style cluster's API is. hyperform reads node1's
 * /etc/kubernetes/admin.conf over its connection and forwards a local port over that same connection.
 */
@Tag("lab")
class K8sForwardLabTest {
    private static final int NODE_PORT = 16443;

    @Test
    void aPlayReachesTheApiThroughAPortForwardOverTheControlPlanesConnection(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("api.sock");
        try (KubeApiDouble api = new KubeApiDouble()) {
            Process toDouble = new ProcessBuilder("socat", "UNIX-LISTEN:" + sock + ",fork", "TCP:127.0.0.1:" + api.port())
                    .redirectErrorStream(true).start();
            Process inNode = null;
            try {
                while (!Files.exists(sock)) {
                    Thread.sleep(50);
                }
                inNode = new ProcessBuilder("ip", "netns", "exec", "hf-node1", "socat",
                        "TCP-LISTEN:" + NODE_PORT + ",bind=127.0.0.1,reuseaddr,fork", "UNIX-CONNECT:" + sock)
                        .redirectErrorStream(true).start();
                String adminConf = Files.readString(api.kubeconfig(dir)).replace(api.url(), "http://127.0.0.1:" + NODE_PORT);
                Lab.ssh("node1", "mkdir -p /etc/kubernetes && echo " + Base64.getEncoder().encodeToString(
                        adminConf.getBytes(StandardCharsets.UTF_8)) + " | base64 -d > /etc/kubernetes/admin.conf && chmod 600 /etc/kubernetes/admin.conf");
                assertEquals("ok", Lab.ssh("node1", "for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/" + NODE_PORT
                        + ") 2>/dev/null && echo ok && break; sleep 0.1; done"), "the relay in node1 is up");
                assertThrows(java.io.IOException.class, () -> new Socket("127.0.0.1", NODE_PORT).close(),
                        "the API address is not reachable from the controller itself");

                Path pb = Lab.write(dir, "p.yaml", """
                        - hosts: node1
                          gather_facts: false
                          vars: {k8s_control_plane: node1, k8s_via_ssh: true}
                          tasks:
                            - name: cm
                              k8s:
                                definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: through-ssh}, data: {hop: node1}}
                            - name: read
                              k8s_info: {kind: ConfigMap, name: through-ssh}
                              register: cm
                            - name: check
                              assert: {that: ["cm.resources[0].data.hop == 'node1'"]}
                        """);
                Map<String, String> before = api.snapshot();
                Lab.Run check = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString(), "--check", "--diff");
                assertEquals(before, api.snapshot(), "--check changed the API's objects");
                assertEquals("changed", check.results("cm").get(0).path("status").asText(), check.console());
                Lab.Run real = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString());
                assertEquals(ExitCode.OK, real.exitCode(), real.console());
                assertEquals("changed", real.results("cm").get(0).path("status").asText());
                try (KubernetesClient c = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(
                        Files.readString(api.kubeconfig(dir)))).build()) {
                    assertNotNull(c.configMaps().inNamespace("default").withName("through-ssh").get());
                }
                Lab.Run again = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString());
                assertEquals("ok", again.results("cm").get(0).path("status").asText(), again.console());
                for (Lab.Run r : new Lab.Run[] {check, real, again}) {
                    assertFalse(r.console().contains("s3cr3t-token") || r.eventsText().contains("s3cr3t-token"),
                            "the kubeconfig's token leaked into output or events");
                }
            } finally {
                if (inNode != null) {
                    inNode.destroy();
                }
                toDouble.destroy();
                Lab.ssh("node1", "rm -f /etc/kubernetes/admin.conf");
            }
        }
    }
}
