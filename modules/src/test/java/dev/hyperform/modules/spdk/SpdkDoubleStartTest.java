package dev.hyperform.modules.spdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the SPDK JSON-RPC TEST DOUBLE says about its data path when it starts: without a qemu-storage-daemon it runs
 * in no-I/O mode and says so (its controllers then move no data), and a qemu-storage-daemon that does not start stops
 * the double with a message saying what to install. Its real I/O is tested on the lab (SpdkDoubleDataPathLabTest).
 */
class SpdkDoubleStartTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "--qsd {0}")
    @CsvSource(delimiter = '|', value = {
        "none                               | NO-I/O MODE: --qsd none: vhost-blk controllers are plain sockets that move no data",
        "/nonexistent/qemu-storage-daemon   | NO-I/O MODE: no executable /nonexistent/qemu-storage-daemon",
        "no-such-qemu-storage-daemon        | NO-I/O MODE: no no-such-qemu-storage-daemon on PATH"})
    void withoutQemuStorageDaemonTheDoubleDeclaresItsNoIoMode(String qsd, String declared) throws Exception {
        try (SpdkDoubleProcess spdk = SpdkDoubleProcess.start(dir, "0x1", "--qsd", qsd)) {
            assertTrue(spdk.log().contains(declared), spdk.log());
            assertTrue(spdk.send("{\"jsonrpc\":\"2.0\",\"method\":\"spdk_get_version\",\"id\":1}", 1, 5000).contains("SPDK v23.09"));
        }
    }

    @Test
    void aQemuStorageDaemonThatDoesNotStartStopsTheDoubleSayingWhatToInstall() throws Exception {
        Process p = new ProcessBuilder("python3", SpdkDoubleProcess.script().toString(), "-S", dir.toString(),
                "-r", dir.resolve("spdk.sock").toString(), "--qsd", "/bin/false").redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the double stopped");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.contains("/bin/false did not start") && out.contains("install QEMU's qemu-system-common"), out);
    }
}
