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
 * One long-lived shell on a host through which every command runs, so that a command costs one round trip instead
 * of opening and closing an SSH channel. The controller writes a header line ({@code TOKEN LINES BYTES STDINLEN}), the
 * command line and its stdin bytes; the driver loop on the target runs the line in a process group of its own (so
 * that Ctrl-C and time limits end it as a whole), feeds it exactly its stdin bytes (and drains what it did not read,
 * so the stream stays in step), and frames stdout and stderr with start and end lines that carry the exit status.
 * The token is random per command and travels only on the driver's stdin, never in a command's arguments,
 * environment or shell variables, so output that looks like a marker cannot end a frame. A line that arrives cut
 * short (the session died while sending) is refused by the driver, not run.
 *
 * <p>Where the target has bash, the driver is bash in POSIX mode with job control on ({@code set -m}: without a
 * terminal each foreground job still gets its own process group) and runs a line in a forked subshell of itself:
 * one process per command and no program started for it. Elsewhere the driver is {@code sh} and runs a line with
 * {@code setsid sh -c}: two programs per command. A line sees the same thing in both, except {@code $$}: in bash's
 * subshell it names the driver. The lines the engine sends do not use it: a module's script is POSIX text that bash
 * in POSIX mode runs as {@code sh} does (it is bash's own {@code sh} mode, as on targets whose {@code /bin/sh} is
 * bash), and user text ({@code shell}, {@code script}) always runs in a {@code /bin/sh} of its own.
 */
public final class ShellSession implements AutoCloseable {
    /** Where the driver is: which shell runs it and how it runs one line. */
    enum Driver {
        /** bash in POSIX mode: a forked subshell per line (no program started). */
        BASH,
        /** Any POSIX sh: {@code setsid sh -c} per line. */
        SH
    }

    /**
     * The driver's own stderr (a shell's 'Killed' notices) goes nowhere; commands get the real one (fd 4), set
     * inside the command's shell: a redirection on the command would still be in force when dash reports.
     */
    private static final String STDERR = "exec 4>&2 2>/dev/null";

    /** The driver's start: its line separator and {@code setsid}, if the host has one. */
    private static final String PRELUDE = String.join("\n",
            "hf_ss=; command -v setsid >/dev/null 2>&1 && hf_ss=setsid",
            "hf_nl='",
            "'");

    /**
     * The header: token, number of script lines, number of script bytes (the last line is {@code : TOKEN}, proof
     * that the script arrived whole), stdin bytes. The script is read by the shell itself (no process per command).
     */
    private static final String HEADER = "while IFS=' ' read -r hf_t hf_n hf_b hf_m; do";

    /** sh reads the script line by line (its {@code read} takes one byte per system call, as on any pipe). */
    private static final String READ_LINES = String.join("\n",
            "  hf_s=; hf_i=1",
            "  while [ \"$hf_i\" -lt \"$hf_n\" ]; do IFS= read -r hf_x || exit 97; hf_s=$hf_s$hf_x$hf_nl; hf_i=$((hf_i + 1)); done",
            "  IFS= read -r hf_x || exit 97",
            "  [ \"$hf_x\" = \": $hf_t\" ] || exit 97",
            "  hf_s=${hf_s%\"$hf_nl\"}");

    /**
     * bash reads the script's bytes at once: {@code read -N} outside POSIX mode takes what the pipe holds in a few
     * system calls (in POSIX mode, and line by line, it takes one byte per call: ~1 ms of a host's CPU for a 1 KB
     * probe script). {@code LC_ALL=C} makes it count bytes, not characters, for this one {@code read} only.
     */
    private static final String READ_BYTES = String.join("\n",
            "  set +o posix",
            "  LC_ALL=C IFS= read -r -N \"$hf_b\" hf_s || exit 97",
            "  set -o posix",
            "  hf_x=${hf_s%\"$hf_nl: $hf_t$hf_nl\"}",
            "  [ \"$hf_x\" != \"$hf_s\" ] || exit 97",
            "  hf_s=$hf_x");

    /**
     * With the line in {@code hf_s}: a line with stdin runs in its own session (setsid), names its process id on the
     * first line of stdout and runs the line with no positional parameters; what it did not read is drained.
     */
    private static final String WITH_STDIN = String.join("\n",
            "  hf_run='exec 2>&4 4>&-; echo $$; eval \"set --",
            "$1\"'",
            "  if [ \"$hf_m\" -gt 0 ]; then",
            "    printf '%s S\\n' \"$hf_t\"; printf '%s S\\n' \"$hf_t\" >&4",
            "    head -c \"$hf_m\" | { $hf_ss sh -c \"$hf_run\" sh \"$hf_s\"; hf_r=$?; cat >/dev/null; exit $hf_r; }");

    /** The driver's end of one command: the exit status on both streams. */
    private static final String END_LINE = String.join("\n",
            "  fi",
            "  hf_r=$?",
            "  printf '\\n%s %s\\n' \"$hf_t\" \"$hf_r\"",
            "  printf '\\n%s %s\\n' \"$hf_t\" \"$hf_r\" >&4",
            "done");

    /** sh: a line without stdin runs in {@code setsid sh -c}, whose first stdout line is its process id. */
    static final String SH_DRIVER = String.join("\n", STDERR, PRELUDE, HEADER, READ_LINES, WITH_STDIN,
            "  else",
            "    printf '%s S\\n' \"$hf_t\"; printf '%s S\\n' \"$hf_t\" >&4",
            "    $hf_ss sh -c \"$hf_run\" sh \"$hf_s\" </dev/null",
            END_LINE);

    /**
     * bash: a line without stdin runs in a subshell, a job of its own and so its own process group: it writes the
     * start lines and its process id, forgets the driver's variables (the token among them), then evaluates the
     * line with no positional parameters.
     */
    static final String BASH_DRIVER = String.join("\n",
            // a bash before 4.1 has neither read -N nor BASHPID: it runs sh's driver, which comes as $1
            "case ${BASH_VERSION-} in [5-9].*|[1-9][0-9]*|4.[1-9]*) ;; *) exec sh -c \"$1\" sh ;; esac",
            STDERR, "set -m", PRELUDE, HEADER, READ_BYTES, WITH_STDIN,
            "  else",
            "    ( set +m; printf '%s S\\n%s\\n' \"$hf_t\" \"$BASHPID\"; printf '%s S\\n' \"$hf_t\" >&4",
            "      set -- \"set --$hf_nl$hf_s\"; unset hf_t hf_n hf_b hf_m hf_s hf_x hf_i hf_r hf_nl hf_ss hf_run",
            "      exec 2>&4 4>&- </dev/null; eval \"$1\" )",
            END_LINE);

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

    /**
     * The command that starts the driver (what an SSH exec channel runs): bash's where the target has bash, else
     * sh's. It is itself run by sh, whatever the login shell is.
     */
    public static String command() {
        return "exec sh -c " + Shell.quote("command -v bash >/dev/null 2>&1 && exec bash --posix -c \"$1\" sh \"$2\"; exec sh -c \"$2\" sh")
                + " sh " + Shell.quote(BASH_DRIVER) + " " + Shell.quote(SH_DRIVER);
    }

    /** The command that starts the given driver (tests run both, whichever the machine would pick). */
    static String command(Driver d) {
        return d == Driver.BASH ? "exec bash --posix -c " + Shell.quote(BASH_DRIVER) + " sh " + Shell.quote(SH_DRIVER)
                : "exec sh -c " + Shell.quote(SH_DRIVER) + " sh";
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
                            FrameReader f = frames[stream];
                            long pidBefore = f.pid();
                            // the waiting command wakes only for what it acts on: the end of a frame, or the command's
                            // process id (a stop asked for before it can now be carried out); not for every packet
                            if (f.feed(buf, 0, n) || f.pid() != pidBefore) {
                                lock.notifyAll();
                            }
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
                    if (!stopSent && out.pid() > 0 && stopper.stopping()) {
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
        // a shell's read drops NUL bytes, so they are never part of a line that runs; counted, they would put the
        // byte count out of step with what bash reads
        String text = (line.indexOf('\0') < 0 ? line : line.replace("\0", "")) + "\n: " + token + "\n";
        byte[] script = text.getBytes(StandardCharsets.UTF_8);
        int lines = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines++; // a plain loop: the stream version ran interpreted for most of a short run
            }
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(script.length + stdin.length + 80);
        b.writeBytes((token + " " + lines + " " + script.length + " " + stdin.length + "\n")
                .getBytes(StandardCharsets.US_ASCII));
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

        /** Stop when {@code stopping} says so, by {@code stop} with the command's process id. */
        static Stopper of(java.util.function.BooleanSupplier stopping, java.util.function.LongConsumer stop) {
            return new Stopper() {
                @Override
                public boolean stopping() {
                    return stopping.getAsBoolean();
                }

                @Override
                public void stop(long pid) {
                    stop.accept(pid);
                }
            };
        }
    }

    /**
     * How long to wait for a command with time limit {@code limit} ({@link Duration#ZERO}: none): the target ends a
     * command one second after its limit (see CommandLine), and its frame comes a little later.
     */
    public static Duration frameWait(Duration limit) {
        return limit.isZero() ? Duration.ZERO : limit.plusMillis(2500);
    }

    /** What one command wrote and how it ended. */
    public record Output(int exitCode, byte[] stdout, byte[] stderr) {
        /** Whether the target killed the command at its time limit (KILL, and at least {@code limit} went by). */
        public boolean killedAtLimit(Duration took, Duration limit) {
            return !limit.isZero() && exitCode == 128 + 9 && took.compareTo(limit) >= 0;
        }
    }

    @Override
    public void close() {
        broken = true;
        pipe.close();
    }
}
