package dev.hyperform.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SSH connection's socket acknowledges at once during the handshake; what users rely on is that it is an
 * ordinary TCP connection otherwise: every byte arrives unchanged and in order, by single bytes or by blocks, before
 * and after it settles, and the end of the stream is the end. Over loopback.
 */
class QuickAckSocketTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("blocks, acknowledging at once", false, false),
                Arguments.of("single bytes, acknowledging at once", true, false),
                Arguments.of("blocks, settled", false, true),
                Arguments.of("single bytes, settled", true, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bytesArriveUnchangedAndTheEndIsTheEnd(String what, boolean byByte, boolean settled) throws Exception {
        byte[] sent = new byte[200_000];
        new Random(42).nextBytes(sent);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> peer = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    for (int off = 0; off < sent.length; off += 997) { // many small writes, as SSH packets come
                        out.write(sent, off, Math.min(997, sent.length - off));
                        out.flush();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket s = QuickAckSocket.factory().createSocket()) {
                assertTrue(s instanceof QuickAckSocket);
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5000);
                if (settled) {
                    ((QuickAckSocket) s).settle();
                }
                InputStream in = s.getInputStream();
                assertTrue(in == s.getInputStream(), "one stream per socket, as sshj reads it");
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                if (byByte) {
                    for (int b; (b = in.read()) >= 0; ) {
                        got.write(b);
                    }
                } else {
                    byte[] buf = new byte[4096];
                    for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
                        got.write(buf, 0, n);
                    }
                }
                assertArrayEquals(sent, got.toByteArray());
                assertEquals(-1, in.read());
            }
            peer.get(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void whatItWritesArrivesUnchanged(String what, boolean byByte, boolean settled) throws Exception {
        byte[] sent = new byte[50_000];
        new Random(7).nextBytes(sent);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> peer = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    return s.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket s = QuickAckSocket.factory().createSocket(InetAddress.getLoopbackAddress(),
                    server.getLocalPort())) {
                if (settled) {
                    ((QuickAckSocket) s).settle();
                }
                OutputStream out = s.getOutputStream();
                if (byByte) {
                    for (byte b : sent) {
                        out.write(b);
                    }
                } else {
                    out.write(sent);
                }
                s.shutdownOutput();
                assertArrayEquals(sent, peer.get(10, TimeUnit.SECONDS));
            }
        }
    }
}
