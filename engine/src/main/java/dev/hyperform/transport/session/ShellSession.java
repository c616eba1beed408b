package dev.hyperform.transport.session;

import dev.hyperform.transport.Shell;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * One long-lived POSIX shell on a host through which every command runs, so that a command costs one round trip
 * instead of opening and closing an SSH channel. The controller writes a header line ({@code TOKEN LINES
 * STDINLEN}), the command line and its stdin bytes; the driver loop on the target runs the line with {@code sh -c}
 * in its own session ({@code setsid}, so that it can be ended as a group), feeds it exactly its stdin bytes (and
 * drains what it did not read, so the stream stays in step), and frames stdout and stderr with start and end lines
 * that carry the exit status. The token is random per command and travels only on the driver's stdin, never in a
 * command's arguments or environment, so output that looks like a marker cannot end a frame. A line that arrives cut
 * short (the session died while sending) is refused by the driver, not run.
 */
public final class ShellSession implements AutoCloseable {
    /** The driver: read a header, the script (with the token as its last line, proving it arrived whole), run it. */
    static final String DRIVER = String.join("\n",
            // the driver's own stderr (a shell's 'Killed' notices) goes nowhere; commands get the real one (fd 4),
            // set inside the command's shell: a redirection on the command would still be in force when dash reports
            "exec 4>&2 2>/dev/null",
            "hf_ss=; command -v setsid >/dev/null 2>&1 && hf_ss=setsid",
            "hf_nl='",
            "'",
            // header: token, number of script lines (the last one is ': TOKEN', proof that it arrived whole), stdin
            // bytes; the lines are read by the shell itself (no process per command for that)
            "while IFS=' ' read -r hf_t hf_n hf_m; do",
            "  hf_s=; hf_i=1",
            "  while [ \"$hf_i\" -lt \"$hf_n\" ]; do IFS= read -r hf_x || exit 97; hf_s=$hf_s$hf_x$hf_nl; hf_i=$((hf_i + 1)); done",
            "  IFS= read -r hf_x || exit 97",
            "  [ \"$hf_x\" = \": $hf_t\" ] || exit 97",
            "  hf_s=${hf_s%\"$hf_nl\"}",
            // start lines on both streams (the token stays in this shell: not in any argument or environment); the
            // command's shell has its own session (setsid) so that it can be ended as a group, names its process id
            // on the first line of stdout, then runs the line with no positional parameters
            "  printf '%s S\\n' \"$hf_t\"; printf '%s S\\n' \"$hf_t\" >&4",
            "  hf_run='exec 2>&4 4>&-; echo $$; eval \"set --",
            "$1\"'",
            "  if [ \"$hf_m\" -gt 0 ]; then",
            "    head -c \"$hf_m\" | { $hf_ss sh -c \"$hf_run\" sh \"$hf_s\"; hf_r=$?; cat >/dev/null; exit $hf_r; }",
            "  else",
            "    $hf_ss sh -c \"$hf_run\" sh \"$hf_s\" </dev/null",
            "  fi",
            "  hf_r=$?",
            "  printf '\\n%s %s\\n' \"$hf_t\" \"$hf_r\"",
            "  printf '\\n%s %s\\n' \"$hf_t\" \"$hf_r\" >&4",
            "done");

    private static final SecureRandom RANDOM = new SecureRandom();
    private final SessionPipe pipe;
    private final String prefix;
    private final Object lock = new Object();
    private long seq;
    private FrameReader[] frames;
    private volatile boolean broken;
    private volatile String brokenReason = "";
    private volatile IOException brokenBy;

    private ShellSession(SessionPipe pipe) {
        this.pipe = pipe;
        byte[] r = new byte[16];
        RANDOM.nextBytes(r);
        this.prefix = "HF" + HexFormat.of().formatHex(r);
    }

    /** The command that starts the driver (what an SSH exec channel runs, or {@code sh -c} locally). */
    public static String command() {
        return "exec sh -c " + Shell.quote(DRIVER);
    }

    /** Start reading the pipe's stdout and stderr on two daemon threads named after the host. */
    public static ShellSession start(SessionPipe pipe, String host) {
        ShellSession s = new ShellSession(pipe);
        s.reader(pipe.stdout(), 0, host + "-out").start();
        s.reader(pipe.stderr(), 1, host + "-err").start();
        return s;
    }

    private Thread reader(InputStream in, int stream, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[32768];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (lock) {
                        if (frames != null) {
                            frames[stream].feed(buf, 0, n);
                            lock.notifyAll(); // also the start line: a stop asked for before it can now be carried out
                        }
                    }
                }
                breakWith("the shell ended", null);
            } catch (IOException e) {
                breakWith("reading its output failed: " + e.getMessage(), e);
            }
        }, "hyperform-session-" + name);
        t.setDaemon(true);
        return t;
    }

    private void breakWith(String reason, IOException cause) {
        synchronized (lock) {
            if (!broken) {
                brokenReason = reason;
                brokenBy = cause;
            }
            broken = true;
            lock.notifyAll();
        }
    }

    /** This session's token prefix (tests show that output naming it does not confuse the framing). */
    String prefix() {
        return prefix;
    }

    /** False once the shell ended, a frame was lost or a command was abandoned: the owner opens a new session. */
    public boolean usable() {
        return !broken;
    }

    /** The process of the command running now (its session id when the target has setsid), or -1. */
    public long runningPid() {
        synchronized (lock) {
            return frames == null ? -1 : frames[0].pid();
        }
    }

    /**
     * Run one shell line with its stdin bytes and wait for it; {@code limit} is how long to wait at most
     * ({@link Duration#ZERO} = no limit).
     *
     * @throws SessionBrokenException the session cannot carry this command (it says whether the command started)
     * @throws SessionTimeoutException the command did not end within {@code limit}; the session is given up
     */
    public Output run(String line, byte[] stdin, Duration limit) throws InterruptedException {
        return run(line, stdin, limit, Stopper.NEVER);
    }

    /**
     * As {@link #run(String, byte[], Duration)}; once {@code stopper} says stop (Ctrl-C) and the command has started,
     * {@link Stopper#stop} is called once with its process id, on a thread of its own; the command's end (by the
     * signal) is then its result.
     */
    public Output run(String line, byte[] stdin, Duration limit, Stopper stopper) throws InterruptedException {
        FrameReader out;
        FrameReader err;
        String token;
        synchronized (lock) {
            if (broken) {
                throw new SessionBrokenException(false, brokenReason, brokenBy);
            }
            token = prefix + "-" + (++seq);
            out = new FrameReader(token, true);
            err = new FrameReader(token, false);
            frames = new FrameReader[] {out, err};
        }
        send(token, line, stdin); // outside the lock: the readers must keep draining while a large stdin goes out
        long deadline = limit.isZero() ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
        boolean stopSent = false;
        synchronized (lock) {
            try {
                while (!(out.exitCode() != null && err.exitCode() != null)) {
                    if (!stopSent && out.started() && stopper.stopping()) {
                        stopSent = true;
                        long pid = out.pid();
                        Thread t = new Thread(() -> stopper.stop(pid), "hyperform-stop");
                        t.setDaemon(true);
                        t.start();
                    }
                    if (broken) {
                        throw new SessionBrokenException(out.started(), brokenReason, brokenBy);
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        broken = true;
                        brokenReason = "a command was abandoned after its time limit";
                        throw new SessionTimeoutException(out.pid());
                    }
                    lock.wait(Math.min(Math.max(1, left / 1_000_000), 60_000));
                }
            } catch (InterruptedException e) {
                broken = true;
                brokenReason = "a command was interrupted";
                throw e;
            }
            frames = null;
            return new Output(out.exitCode(), out.output(), err.output());
        }
    }

    private void send(String token, String line, byte[] stdin) {
        String text = line + "\n: " + token + "\n";
        byte[] script = text.getBytes(StandardCharsets.UTF_8);
        long lines = text.chars().filter(c -> c == '\n').count();
        ByteArrayOutputStream b = new ByteArrayOutputStream(script.length + stdin.length + 64);
        b.writeBytes((token + " " + lines + " " + stdin.length + "\n").getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(script);
        b.writeBytes(stdin);
        try {
            OutputStream o = pipe.stdin();
            o.write(b.toByteArray());
            o.flush();
        } catch (IOException e) {
            broken = true;
            brokenReason = "sending the command failed: " + e.getMessage();
            brokenBy = e;
            throw new SessionBrokenException(false, brokenReason, e);
        }
    }

    /** Wake the thread waiting in {@link #run} so that it asks its {@link Stopper} again. */
    public void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** Ctrl-C for a running command: whether to stop it, and how (given its process id on the target). */
    public interface Stopper {
        Stopper NEVER = new Stopper() {
            @Override
            public boolean stopping() {
                return false;
            }

            @Override
            public void stop(long pid) {
            }
        };

        boolean stopping();

        void stop(long pid);
    }

    /** What one command wrote and how it ended. */
    public record Output(int exitCode, byte[] stdout, byte[] stderr) {
    }

    @Override
    public void close() {
        broken = true;
        pipe.close();
    }
}
