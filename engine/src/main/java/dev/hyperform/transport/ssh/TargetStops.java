package dev.hyperform.transport.ssh;

import dev.hyperform.transport.ExecRequest;
import java.time.Duration;

/**
 * Ending a command's process group on its target (Ctrl-C, a time limit): TERM, then KILL a second later unless the
 * group is gone before. The ends under way are counted, so that an interrupted run can wait for them before it
 * closes its connections: a connection closed under an end cuts it short (the KILL is never sent) and reports a
 * failure to end a process that TERM had already ended.
 */
public final class TargetStops {
    private final Object lock = new Object();
    private int underWay;

    /**
     * The script that ends {@code pid}'s process group (or the process alone, when it leads none): TERM, then up to
     * a second for the group to go (polled every 0.1 s where {@code sleep} takes fractions), then KILL.
     */
    public static String script(long pid) {
        String p = Long.toString(pid);
        return "kill -TERM -" + p + " 2>/dev/null || kill -TERM " + p + " 2>/dev/null; i=0; "
                + "while [ $i -lt 10 ]; do kill -0 -" + p + " 2>/dev/null || kill -0 " + p + " 2>/dev/null || exit 0; "
                + "sleep 0.1 2>/dev/null || { sleep 1; break; }; i=$((i + 1)); done; "
                + "kill -KILL -" + p + " 2>/dev/null; true";
    }

    /** The end of {@code pid} as a command, with the become of the command it ends (a root command needs root). */
    public static ExecRequest request(long pid, ExecRequest of) {
        return ExecRequest.of("sh", "-c", script(pid)).withBecome(of.become()).withTimeout(Duration.ofSeconds(10));
    }

    /** Run {@code end}, counted as under way until it returns. */
    public void run(Runnable end) {
        synchronized (lock) {
            underWay++;
        }
        try {
            end.run();
        } finally {
            synchronized (lock) {
                underWay--;
                lock.notifyAll();
            }
        }
    }

    /** Wait until no end is under way, at most {@code max}; whether none is. */
    public boolean await(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (lock) {
            while (underWay > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return underWay == 0;
                }
            }
            return true;
        }
    }
}
