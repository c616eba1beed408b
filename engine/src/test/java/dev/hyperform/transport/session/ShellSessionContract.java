package dev.hyperform.transport.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The framing of the persistent shell session against hostile output: what every driver must do, run locally by
 * {@link ShellSessionTest} (sh's driver) and {@link ShellSessionBashTest} (bash's).
 */
abstract class ShellSessionContract {

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private final ShellSession.Driver driver;
    private LocalPipe pipe;
    private ShellSession session;

    ShellSessionContract(ShellSession.Driver driver) {
        this.driver = driver;
    }

    @BeforeEach
    void start() throws Exception {
        pipe = LocalPipe.start(driver);
        session = ShellSession.start(pipe, "local");
    }

    @AfterEach
    void stop() {
        session.close();
    }

    private ShellSession.Output run(String line) throws Exception {
        return session.run(line, new byte[0], Duration.ofSeconds(30));
    }

    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of("plain output, both streams, status", "echo out; echo err >&2; exit 3", "out\n", "err\n", 3),
                Arguments.of("no trailing newline", "printf abc; printf def >&2", "abc", "def", 0),
                Arguments.of("only newlines", "printf '\\n\\n'", "\n\n", "", 0),
                Arguments.of("nothing at all", "true", "", "", 0),
                Arguments.of("exec replaces only the command's own shell", "exec echo replaced", "replaced\n", "", 0),
                Arguments.of("exit from the command", "exit 7", "", "", 7),
                Arguments.of("a marker-shaped line with a made-up token", "printf 'HF00 S 1\\n\\nHF00 0\\nafter\\n'",
                        "HF00 S 1\n\nHF00 0\nafter\n", "", 0),
                Arguments.of("killed by a signal", "me=${BASHPID:-$$}; kill -9 $me", "", "", 137),
                Arguments.of("reads no stdin: sees end of input", "cat; echo done", "done\n", "", 0),
                Arguments.of("several lines", "echo one\n\necho two\n", "one\ntwo\n", "", 0),
                Arguments.of("non-ASCII text: bytes, not characters, are counted",
                        "printf '%s\\n' 'h\u00e9llo w\u00f6rld \u2713 \uD83D\uDE00'", "h\u00e9llo w\u00f6rld \u2713 \uD83D\uDE00\n", "", 0),
                Arguments.of("a line ending in a backslash, a CR, a tab", "printf '%s\\n' 'a\\' 'b\r' 'c\td'",
                        "a\\\nb\r\nc\td\n", "", 0),
                Arguments.of("a NUL in the line is dropped, as a shell's read drops it", "echo a\0b", "ab\n", "", 0),
                Arguments.of("a line shaped like the script's last", "echo ': HF00'\n: HF00", ": HF00\n", "", 0),
                // more than a pipe holds at once; under the 128 KiB the kernel allows one argument (sh runs the line
                // as one, as sshd does on an exec channel)
                Arguments.of("a 100 KB line", "x=" + "a".repeat(100_000) + "; echo ${#x}", "100000\n", "", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void outputStreamsAndStatusAreExact(String what, String line, String out, String err, int rc) throws Exception {
        ShellSession.Output o = run(line);
        assertEquals(out, text(o.stdout()), what);
        assertEquals(err, text(o.stderr()), what);
        assertEquals(rc, o.exitCode(), what);
        assertEquals("still\n", text(run("echo still").stdout()), "the session stays in step after: " + what);
    }

    @Test
    void theTokenAppearsInNoProcessArgumentsOrEnvironment() throws Exception {
        // a command that prints everything it can see about its parents cannot print the token it is framed with
        String dump = "set; for p in $$ $PPID ${BASHPID:-}; do cat /proc/$p/cmdline /proc/$p/environ 2>/dev/null; done;"
                + " ps -ef 2>/dev/null; echo end";
        ShellSession.Output o = run(dump);
        assertTrue(text(o.stdout()).endsWith("end\n"), text(o.stdout()));
        assertFalse(text(o.stdout()).contains(session.prefix()), "a token leaked into a command's view");
    }

    @Test
    void printingAnEarlierCommandsMarkersDoesNotEndTheFrame() throws Exception {
        run("true");
        String earlier = session.prefix() + "-1";
        String line = "printf '" + earlier + " S 1\\n\\n" + earlier + " 0\\n'; echo tail";
        ShellSession.Output o = run(line);
        assertEquals(earlier + " S 1\n\n" + earlier + " 0\ntail\n", text(o.stdout()));
    }

    @Test
    void binaryStdinComesBackByteForByteOnBothStreams() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        ShellSession.Output o = session.run("cat; printf x >&2", data, Duration.ofSeconds(60));
        assertArrayEquals(data, o.stdout());
        assertEquals("x", text(o.stderr()));
        ShellSession.Output e = session.run("cat >&2", data, Duration.ofSeconds(60));
        assertArrayEquals(data, e.stderr());
        assertEquals(0, e.stdout().length);
    }

    @Test
    void stdinACommandDoesNotReadIsDrainedSoTheNextCommandIsIntact() throws Exception {
        byte[] data = "echo this must never run as a command\n".repeat(20000).getBytes(StandardCharsets.UTF_8);
        assertEquals(0, session.run("true", data, Duration.ofSeconds(30)).exitCode());
        assertEquals("first line only\n", text(session.run("head -n 1", "first line only\nsecond\n".getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(30)).stdout()));
        assertEquals("next\n", text(run("echo next").stdout()));
    }

    @Test
    void hugeOutputOnBothStreamsAtOnce() throws Exception {
        ShellSession.Output o = session.run("head -c 30000000 /dev/zero; yes err | head -c 8000000 >&2", new byte[0],
                Duration.ofSeconds(120));
        assertEquals(30_000_000, o.stdout().length);
        assertEquals(8_000_000, o.stderr().length);
        assertEquals(0, o.exitCode());
    }

    @Test
    void binaryOutputWithNulsAndNoNewline() throws Exception {
        ShellSession.Output o = run("printf '\\000\\001\\377\\n\\000'");
        assertArrayEquals(new byte[] {0, 1, (byte) 0xff, '\n', 0}, o.stdout());
    }

    @Test
    void aShellThatDiedBetweenCommandsIsReportedAsNotStarted() throws Exception {
        run("true");
        pipe.process().destroyForcibly().waitFor();
        SessionBrokenException e = assertThrows(SessionBrokenException.class, () -> run("echo never"));
        assertFalse(e.started(), "nothing ran, so the command may go out again on a new session");
        assertFalse(session.usable());
    }

    @Test
    void aShellKilledUnderARunningCommandSaysTheCommandStarted() throws Exception {
        SessionBrokenException e = assertThrows(SessionBrokenException.class, () -> run("me=${BASHPID:-$$}; kill -9 $(ps -o ppid= -p $me); sleep 5"));
        assertTrue(e.started());
        assertNull(e.getCause(), "the shell ended; its output stream did not fail");
    }

    @Test
    void anOutputStreamFailingUnderARunningCommandIsTheCauseTheOwnerSees() throws Exception {
        session.close();
        IOException lost = new IOException("the connection under the session failed");
        LocalPipe local = LocalPipe.start();
        SessionPipe failing = new SessionPipe() {
            @Override
            public OutputStream stdin() {
                return local.stdin();
            }

            @Override
            public InputStream stdout() {
                return new FilterInputStream(local.stdout()) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        if (n > 0 && new String(b, off, n, StandardCharsets.ISO_8859_1).contains("after-start")) {
                            throw lost;
                        }
                        return n;
                    }
                };
            }

            @Override
            public InputStream stderr() {
                return local.stderr();
            }

            @Override
            public void close() {
                local.close();
            }
        };
        session = ShellSession.start(failing, "local");
        SessionBrokenException e = assertThrows(SessionBrokenException.class,
                () -> run("sleep 0.5; echo after-start; sleep 5"));
        assertTrue(e.started(), "the command had begun when the stream failed");
        assertSame(lost, e.getCause(), "the owner tells a lost connection from a dead shell by this");
    }

    @Test
    void aCommandPastItsLimitGivesUpTheSessionAndNamesItsProcess() throws Exception {
        SessionTimeoutException e = assertThrows(SessionTimeoutException.class,
                () -> session.run("sleep 20", new byte[0], Duration.ofMillis(500)));
        assertTrue(e.pid() > 1, "the command's process id, to end it on the target");
        assertFalse(session.usable());
        Process pgid = new ProcessBuilder("ps", "-o", "pgid=", "-p", Long.toString(e.pid())).start();
        assertEquals(Long.toString(e.pid()), new String(pgid.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip(),
                "the command leads its own process group, which Ctrl-C and time limits end as a whole");
        new ProcessBuilder("kill", "-TERM", "--", "-" + e.pid()).start().waitFor();
    }

    @Test
    void aLineCutShortIsNotRun() throws Exception {
        // a header that promises more script than arrives before the input ends: the driver must not run the part
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("HFcut 100 4000 0\ntouch /nonexistent-dir/should-not-run".getBytes(StandardCharsets.UTF_8));
        pipe.stdin().write(b.toByteArray());
        pipe.stdin().close();
        assertEquals(97, pipe.process().waitFor());
    }
}
