package dev.hyperform.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The end of a command on its target, run here with the local sh against real process groups. */
class TargetStopsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // what the group does | its command | ended after at least, ms | at most, ms
            // (exec: one process, reaped by its parent at once, as the session's driver reaps a command; an unreaped
            // zombie would still answer kill -0)
            "dies on TERM: the end returns at once, not a second later | exec sleep 30 | 0 | 700",
            "ignores TERM: KILL a second later | trap '' TERM; sleep 30 | 900 | 5000"})
    void endsTheProcessGroupAndReturnsWhenItIsGone(String what, String command, long atLeast, long atMost)
            throws Exception {
        // setsid: the command leads a process group of its own, as a session command on a target does
        Process group = new ProcessBuilder("setsid", "sh", "-c", command).start();
        Thread.sleep(200); // the trap is in place
        long start = System.nanoTime();
        Process end = new ProcessBuilder("sh", "-c", TargetStops.script(group.pid())).start();
        assertTrue(end.waitFor(10, TimeUnit.SECONDS), what);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(0, end.exitValue(), what);
        assertTrue(group.waitFor(5, TimeUnit.SECONDS), what + ": the group is gone");
        assertTrue(took >= atLeast && took <= atMost, what + ": took " + took + " ms");
    }

    @Test
    void awaitReturnsWhenTheEndsUnderWayAreDoneOrTheTimeIsUp() throws Exception {
        TargetStops stops = new TargetStops();
        assertTrue(stops.await(Duration.ZERO), "nothing under way");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> stops.run(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        t.start();
        started.await();
        assertFalse(stops.await(Duration.ofMillis(100)), "an end under way: not done within 100 ms");
        release.countDown();
        assertTrue(stops.await(Duration.ofSeconds(5)), "done once the end returned");
        t.join();
    }
}
