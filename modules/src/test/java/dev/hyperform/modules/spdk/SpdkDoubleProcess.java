package dev.hyperform.modules.spdk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The SPDK JSON-RPC TEST DOUBLE (lab/spdk-double/spdk-rpc-double, a declared double of the v23.09 vhost target) run
 * as a local process for a test: started with the real target's options, stopped with SIGTERM like the real one. It
 * runs in its no-I/O mode ({@code --qsd none}: JSON-RPC only, whether or not this machine has qemu-storage-daemon);
 * its real data path is tested on the lab (SpdkDoubleDataPathLabTest).
 */
final class SpdkDoubleProcess implements AutoCloseable {
    final Path dir;
    final Path socket;
    private final Process process;

    private SpdkDoubleProcess(Path dir, Process process) {
        this.dir = dir;
        this.socket = dir.resolve("spdk.sock");
        this.process = process;
    }

    /** Start the double with sockets in {@code dir}, core mask {@code mask} and any extra double options. */
    static SpdkDoubleProcess start(Path dir, String mask, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3", script().toString(), "-S", dir.toString(),
                "-r", dir.resolve("spdk.sock").toString(), "-m", mask, "--qsd", "none"));
        cmd.addAll(List.of(extra));
        Files.deleteIfExists(dir.resolve("spdk.sock"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("double.log").toFile()).start();
        SpdkDoubleProcess d = new SpdkDoubleProcess(dir, p);
        for (int i = 0; i < 400 && !Files.exists(d.socket) && p.isAlive(); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(d.socket), "the double did not open its RPC socket within 20 s (alive: " + p.isAlive() + ")");
        return d;
    }

    static Path home() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("lab/spdk-double/spdk-rpc-double"))) {
                return p;
            }
        }
        throw new IllegalStateException("no checkout");
    }

    static Path script() {
        return home().resolve("lab/spdk-double/spdk-rpc-double");
    }

    /** Send raw bytes on one connection and read until {@code lines} newline-terminated answers or the timeout. */
    String send(String request, int lines, long timeoutMillis) throws IOException, InterruptedException {
        try (SocketChannel ch = SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            ch.configureBlocking(false);
            StringBuilder got = new StringBuilder();
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            long end = System.currentTimeMillis() + timeoutMillis;
            while (System.currentTimeMillis() < end && got.chars().filter(c -> c == '\n').count() < lines) {
                int n = ch.read(buf);
                if (n < 0) {
                    got.append("<closed>");
                    break;
                }
                if (n > 0) {
                    got.append(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
                    buf.clear();
                } else {
                    Thread.sleep(10);
                }
            }
            return got.toString();
        }
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("double.log"));
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            try {
                throw new AssertionError("the double died during the test (exit " + process.exitValue() + "): " + log());
            } catch (IOException e) {
                throw new AssertionError("the double died during the test (exit " + process.exitValue() + ")", e);
            }
        }
        process.destroy();
        process.waitFor();
    }
}
