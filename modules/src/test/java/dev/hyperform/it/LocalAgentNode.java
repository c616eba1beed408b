package dev.hyperform.it;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * spdk-vhost-agent and the SPDK JSON-RPC test double as local processes in a temp directory (its t/ stands for
 * the node's /var/tmp), with the rbd test double for the image step. Needs sh, awk, socat and python3 (.ci/run).
 */
final class LocalAgentNode implements AgentNode, AutoCloseable {
    private final Path home = Lab.home();
    private final Path tmp;
    private final Path dir;
    private final Map<String, String> settings;
    private Process spdk;
    private Process agent;

    LocalAgentNode(Path dir) throws IOException {
        this(dir, Map.of());
    }

    /** With more agent settings (AGENT_* variables, as the role's settings file gives them). */
    LocalAgentNode(Path dir, Map<String, String> settings) throws IOException {
        this.dir = dir;
        this.settings = settings;
        this.tmp = Files.createDirectories(dir.resolve("t"));
        startSpdk();
        startAgent();
    }

    private Path message() {
        return tmp.resolve("vhost.message");
    }

    @Override
    public VirtLauncherSide.MessageFile messageFile() {
        return new VirtLauncherSide.MessageFile() {
            public boolean exists() {
                return Files.exists(message());
            }

            public byte[] read() {
                return io(() -> Files.readAllBytes(message()));
            }

            public void writeAtStart(byte[] bytes) {
                io(() -> {
                    try (RandomAccessFile f = new RandomAccessFile(message().toFile(), "rw")) {
                        f.write(bytes);
                    }
                    return null;
                });
            }

            public void append(byte[] bytes) {
                io(() -> Files.write(message(), bytes, StandardOpenOption.APPEND));
            }

            public void create(byte[] bytes) {
                io(() -> Files.write(message(), bytes));
            }

            public void delete() {
                io(() -> Files.deleteIfExists(message()));
            }
        };
    }

    @Override
    public boolean socket(String name) {
        Path p = tmp.resolve(name);
        return io(() -> Files.exists(p, LinkOption.NOFOLLOW_LINKS)
                && Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther());
    }

    @Override
    public boolean marker() {
        return Files.exists(tmp.resolve("vhost.tag"));
    }

    @Override
    public String rpc(String method, String params) {
        String req = "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"id\":1" + (params == null ? "" : ",\"params\":" + params) + "}";
        return io(() -> {
            Process p = new ProcessBuilder("socat", "-t", "5", "-", "UNIX-CONNECT:" + tmp.resolve("spdk.sock")).redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                in.write(req.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // socat is gone already: no target listening; its message follows on stdout
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        });
    }

    @Override
    public long imageMib(String name) {
        Path image = dir.resolve("rbd/images/replicapool").resolve(name);
        return io(() -> Files.exists(image) ? Long.parseLong(Files.readString(image).strip()) : -1L);
    }

    @Override
    public String agentLog() {
        Path log = dir.resolve("agent.log");
        return io(() -> Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "");
    }

    @Override
    public void stopAgent() {
        stop(agent, false);
    }

    @Override
    public void startAgent() {
        ProcessBuilder pb = new ProcessBuilder("sh", home.resolve("playbooks/roles/spdk_vhost_agent/files/spdk-vhost-agent").toString());
        Map<String, String> env = pb.environment();
        env.put("AGENT_MESSAGE_FILE", message().toString());
        env.put("AGENT_MARKER", tmp.resolve("vhost.tag").toString());
        env.put("AGENT_RPC_SOCKET", tmp.resolve("spdk.sock").toString());
        env.put("AGENT_STATE_DIR", dir.resolve("state").toString());
        env.put("AGENT_RBD", gate().toString());
        env.put("RBD_DOUBLE_DIR", dir.resolve("rbd").toString());
        env.put("AGENT_INTERVAL", "0.2");
        env.putAll(settings);
        agent = io(() -> pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("agent.log").toFile())).start());
    }

    /**
     * The rbd double behind a gate: once armed, the next image creation waits (up to 10 s) until {@link #resume()},
     * so a test can write into the message file while the agent is in the middle of a request.
     */
    private Path gate() {
        Path gate = dir.resolve("rbd-gate");
        io(() -> Files.writeString(gate, "#!/bin/sh\n"
                + "case \" $* \" in *\" create \"*) if [ -e " + dir.resolve("armed") + " ]; then rm -f " + dir.resolve("armed")
                + "; : > " + dir.resolve("paused") + "; i=0; while [ ! -e " + dir.resolve("resume") + " ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; fi;; esac\n"
                + "exec " + home.resolve("lab/rbd-double/rbd-double") + " \"$@\"\n"));
        gate.toFile().setExecutable(true);
        return gate;
    }

    void armGate() {
        io(() -> Files.writeString(dir.resolve("armed"), ""));
    }

    boolean paused() {
        return Files.exists(dir.resolve("paused"));
    }

    void resume() {
        io(() -> Files.writeString(dir.resolve("resume"), ""));
    }

    @Override
    public void killAndRestartSpdk() {
        stop(spdk, true);
        startSpdk();
    }

    @Override
    public void stopSpdk() {
        stop(spdk, false);
    }

    @Override
    public void startSpdk() {
        spdk = io(() -> new ProcessBuilder("python3", home.resolve("lab/spdk-double/spdk-rpc-double").toString(),
                "-S", tmp.toString(), "-r", tmp.resolve("spdk.sock").toString(), "-m", "0x3", "--qsd", "none")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("spdk.log").toFile())).start());
        VhostAgentScenarios.await(this, () -> rpc("spdk_get_version", null).contains("\"result\""), "the SPDK double answers");
    }

    @Override
    public void close() {
        stop(agent, false);
        stop(spdk, false);
    }

    private static void stop(Process p, boolean kill) {
        if (p == null || !p.isAlive()) {
            return;
        }
        // python3 may be a wrapper (pyenv shims): signal the real program too
        java.util.List<ProcessHandle> tree = new java.util.ArrayList<>(p.descendants().toList());
        tree.add(p.toHandle());
        for (ProcessHandle h : tree) {
            if (kill) {
                h.destroyForcibly();
            } else {
                h.destroy();
            }
        }
        io(() -> p.waitFor(20, TimeUnit.SECONDS));
        tree.forEach(h -> h.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> null).join());
    }

    interface Io<T> {
        T run() throws IOException, InterruptedException;
    }

    static <T> T io(Io<T> action) {
        try {
            return action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
