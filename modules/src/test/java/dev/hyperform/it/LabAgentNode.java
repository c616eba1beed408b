package dev.hyperform.it;

import java.io.IOException;
import java.util.Base64;

/**
 * A lab host where the spdk role runs the SPDK JSON-RPC test double as spdk-vhost.service (its controllers served by
 * qemu-storage-daemon) and the spdk_vhost_agent role runs spdk-vhost-agent.service with the real rbd CLI against the
 * lab's Ceph; files, RPCs and images are reached through the lab's ssh.
 */
final class LabAgentNode implements AgentNode {
    static final String MESSAGE = "/var/tmp/vhost.message";
    private final String node;

    LabAgentNode(String node) {
        this.node = node;
    }

    String ssh(String command) {
        try {
            return Lab.ssh(node, command);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String bytesTo(byte[] bytes, String redirect) {
        return ssh("printf %s " + Base64.getEncoder().encodeToString(bytes) + " | base64 -d " + redirect);
    }

    @Override
    public VirtLauncherSide.MessageFile messageFile() {
        return new VirtLauncherSide.MessageFile() {
            public boolean exists() {
                return ssh("test -e " + MESSAGE + " && echo yes || echo no").equals("yes");
            }

            public byte[] read() {
                return Base64.getDecoder().decode(ssh("base64 -w0 " + MESSAGE));
            }

            public void writeAtStart(byte[] bytes) {
                bytesTo(bytes, "| dd of=" + MESSAGE + " conv=notrunc status=none");
            }

            public void append(byte[] bytes) {
                bytesTo(bytes, ">> " + MESSAGE);
            }

            public void create(byte[] bytes) {
                bytesTo(bytes, "> " + MESSAGE);
            }

            public void delete() {
                ssh("rm -f " + MESSAGE);
            }
        };
    }

    @Override
    public boolean socket(String name) {
        return ssh("test -S /var/tmp/" + name + " && echo yes || echo no").equals("yes");
    }

    @Override
    public boolean marker() {
        return ssh("test -e /var/tmp/vhost.tag && echo yes || echo no").equals("yes");
    }

    @Override
    public String rpc(String method, String params) {
        String req = "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"id\":1" + (params == null ? "" : ",\"params\":" + params) + "}";
        return ssh("printf %s " + Base64.getEncoder().encodeToString(req.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + " | base64 -d | socat -t 5 - UNIX-CONNECT:/var/tmp/spdk.sock 2>&1 || true");
    }

    @Override
    public long imageMib(String name) {
        String size = ssh("rbd --id spdk info --format json replicapool/" + name + " 2>/dev/null | grep -o '\"size\":[0-9]*' | cut -d: -f2");
        return size.isEmpty() ? -1 : Long.parseLong(size) >> 20;
    }

    @Override
    public String agentLog() {
        return ssh("journalctl -u spdk-vhost-agent -o cat --no-pager");
    }

    @Override
    public void stopAgent() {
        ssh("systemctl stop spdk-vhost-agent");
    }

    @Override
    public void startAgent() {
        ssh("systemctl start spdk-vhost-agent");
    }

    @Override
    public void killAndRestartSpdk() {
        // Restart=on-failure brings the target back by itself, empty, as a killed SPDK comes back
        ssh("systemctl kill -s KILL spdk-vhost");
    }

    @Override
    public void stopSpdk() {
        ssh("systemctl stop spdk-vhost");
    }

    @Override
    public void startSpdk() {
        ssh("systemctl start spdk-vhost");
    }
}
