package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wait_for, pause and fail through {@code hyperform play} over the local connection: what they wait for happens
 * (or never happens) while they wait, and they take the time they say. A wait_for or pause that returned at once
 * fails these tests.
 */
class WaitPauseFailLocalTest {

    /** One run on localhost: its result and how long it took in ms. */
    private record Timed(Lab.Run run, long ms) {
    }

    private static Timed play(Path dir, String tasks, String... more) throws Exception {
        Path inv = Lab.write(dir, "hosts", "localhost ansible_connection=local\n");
        Path pb = Lab.write(dir, "p.yaml", "- hosts: localhost\n  gather_facts: false\n  tasks:\n" + tasks);
        long t0 = System.nanoTime();
        Lab.Run r = Lab.play(dir, Lab.plus(new String[] {"-i", inv.toString(), pb.toString()}, more));
        return new Timed(r, (System.nanoTime() - t0) / 1_000_000);
    }

    private static CompletableFuture<Void> later(long ms, ThrowingRunnable action) {
        return CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(ms);
                action.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void waitForAPathThatNeverAppearsFailsAfterTheTimeout(@TempDir Path dir) throws Exception {
        Timed t = play(dir, "    - {name: w, wait_for: {path: %s/never, timeout: 2}}\n".formatted(dir));
        assertEquals(ExitCode.TASK_FAILED, t.run().exitCode(), t.run().console());
        assertEquals(1, t.run().results("w").size(), t.run().eventsText());
        String m = t.run().results("w").get(0).path("message").asText();
        assertTrue(m.contains("timed out after 2 s waiting for present " + dir + "/never"), m);
        assertTrue(t.ms() >= 2000, "waited the timeout: " + t.ms() + " ms");
    }

    @Test
    void waitForDelaysTheFirstCheck(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("there"), "x");
        Timed t = play(dir, "    - {name: w, wait_for: {path: %s/there, delay: 2, timeout: 5}}\n".formatted(dir));
        assertEquals(ExitCode.OK, t.run().exitCode(), t.run().console());
        assertTrue(t.ms() >= 2000, "delayed 2 s: " + t.ms() + " ms");
    }

    @Test
    void waitForAPortThatOpensLater(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ServerSocket[] server = new ServerSocket[1];
        long t0 = System.nanoTime();
        CompletableFuture<Void> opener = later(1500, () -> {
            server[0] = new ServerSocket();
            server[0].bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        });
        try {
            Timed t = play(dir, "    - {name: w, wait_for: {port: %d, timeout: 10}}\n".formatted(port));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(ExitCode.OK, t.run().exitCode(), t.run().console());
            assertTrue(ms >= 1500, "waited for the port to open: " + ms + " ms");
        } finally {
            opener.get(5, TimeUnit.SECONDS);
            server[0].close();
        }
    }

    @Test
    void waitForAbsentWaitsUntilThePathIsGone(@TempDir Path dir) throws Exception {
        Path lock = Files.writeString(dir.resolve("lock"), "x");
        long t0 = System.nanoTime();
        CompletableFuture<Void> remover = later(1500, () -> Files.delete(lock));
        Timed t = play(dir, "    - {name: w, wait_for: {path: %s, state: absent, timeout: 10}}\n".formatted(lock));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        remover.get(5, TimeUnit.SECONDS);
        assertEquals(ExitCode.OK, t.run().exitCode(), t.run().console());
        assertTrue(ms >= 1500, "waited for the removal: " + ms + " ms");

        Files.writeString(lock, "stays");
        Timed stays = play(dir, "    - {name: w, wait_for: {path: %s, state: absent, timeout: 1}}\n".formatted(lock));
        assertEquals(ExitCode.TASK_FAILED, stays.run().exitCode(), stays.run().console());
    }

    @Test
    void pauseWaitsAndShowsItsPromptButNotInCheckMode(@TempDir Path dir) throws Exception {
        String task = "    - {name: p, pause: {seconds: 2, prompt: \"check the console of node1\"}}\n";
        Timed t = play(dir, task);
        assertEquals(ExitCode.OK, t.run().exitCode(), t.run().console());
        assertTrue(t.ms() >= 2000, "paused 2 s: " + t.ms() + " ms");
        assertTrue(t.run().console().contains("ok: [localhost] => check the console of node1"), t.run().console());
        Timed check = play(dir, task, "--check");
        assertTrue(check.ms() < 2000, "check mode does not wait: " + check.ms() + " ms");
        assertTrue(check.run().console().contains("check the console of node1"), check.run().console());
    }

    @Test
    void failReportsItsMessage(@TempDir Path dir) throws Exception {
        Timed t = play(dir, "    - {name: f, fail: {msg: \"libvirt is too old on ${inventory_hostname}\"}}\n");
        assertEquals(ExitCode.TASK_FAILED, t.run().exitCode());
        assertEquals("libvirt is too old on localhost", t.run().results("f").get(0).path("message").asText());
        assertTrue(t.run().console().contains("fatal: [localhost]: FAILED! => libvirt is too old on localhost"), t.run().console());
    }
}
