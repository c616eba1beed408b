package dev.hyperform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh run opens its first play's SSH connections while it sets up (journal, output, runner); a resumed run does not
 * connect at all to a host that already finished that play. h1's "sshd" is a loopback socket that counts connections.
 */
class ResumeConnectsOnlyUnfinishedHostsTest {
    @TempDir
    Path dir;

    private static String run(String... args) {
        PrintStream old = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            Main.run(args);
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aResumedRunLeavesAHostThatFinishedTheFirstPlayAlone() throws Exception {
        try (ServerSocket sshd = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger accepted = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        sshd.accept().close();
                        accepted.incrementAndGet();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            // the built-in client, which connects while the run sets up (an ssh process may not have yet when this
            // short run ends)
            Path inventory = Files.writeString(dir.resolve("hosts.ini"), "[g]\nh1 ansible_host=127.0.0.1 ansible_port="
                    + sshd.getLocalPort() + " ansible_connection=ssh\nh2 ansible_connection=local\n");
            Path playbook = Files.writeString(dir.resolve("play.yaml"), """
                    - hosts: g
                      gather_facts: false
                      tasks:
                        - fail: {msg: h2 fails}
                          when: inventory_hostname == 'h2'
                    """);
            Path journal = dir.resolve("run.jsonl");

            String first = run("play", "-i", inventory.toString(), playbook.toString(), "--journal", journal.toString(),
                    "-T", "1");

            assertTrue(first.matches("(?s).*h1 +: ok=0 .*skipped=1.*"), first);
            assertTrue(first.matches("(?s).*h2 +: ok=0 .*failed=1.*"), first);
            for (long end = System.nanoTime() + 5_000_000_000L; accepted.get() == 0 && System.nanoTime() < end; ) {
                Thread.sleep(10);
            }
            assertEquals(1, accepted.get(), "the fresh run connects to h1 once, while it sets up");

            String again = run("play", "--resume", journal.toString(), "-T", "1");

            assertTrue(again.matches("(?s).*h2 +: ok=0 .*failed=1.*"), again);
            assertTrue(!again.matches("(?s).*h1 +: .*"), "h1 finished the play: not in the resumed run: " + again);
            Thread.sleep(300);
            assertEquals(1, accepted.get(), "the resumed run did not connect to h1: " + again);
        }
    }
}
