package dev.hyperform.transport.openssh;

import dev.hyperform.transport.session.SessionPipe;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One {@code ssh} client process, seen as the three streams a shell session drives. The last few KiB of its stderr are
 * kept as well: that is where ssh says why it could not connect, or why the connection ended.
 */
final class SshProcess implements SessionPipe {
    private static final int KEPT = 4096;
    private final Process process;
    private final ByteArrayOutputStream tail = new ByteArrayOutputStream();
    private final InputStream stderr;

    SshProcess(Process process) {
        this.process = process;
        this.stderr = new FilterInputStream(process.getErrorStream()) {
            @Override
            public int read() throws IOException {
                int c = super.read();
                if (c >= 0) {
                    keep(new byte[] {(byte) c}, 0, 1);
                }
                return c;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    keep(b, off, n);
                }
                return n;
            }
        };
    }

    private void keep(byte[] b, int off, int n) {
        synchronized (tail) {
            if (tail.size() + n > KEPT) {
                byte[] all = tail.toByteArray();
                int drop = Math.min(all.length, tail.size() + n - KEPT);
                tail.reset();
                tail.write(all, drop, all.length - drop);
                if (n > KEPT) {
                    off += n - KEPT;
                    n = KEPT;
                }
            }
            tail.write(b, off, n);
        }
    }

    @Override
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    @Override
    public InputStream stdout() {
        return process.getInputStream();
    }

    @Override
    public InputStream stderr() {
        return stderr;
    }

    /**
     * ssh's exit code once it has ended (waiting at most {@code millis} for that), or -1 while it runs: 255 is ssh's own
     * failure (could not connect, host key refused, login refused).
     */
    int exitCode(long millis) {
        try {
            return process.waitFor(millis, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** What ssh wrote on stderr last, without the frames of '@' around its warnings and without blank lines. */
    String said() {
        String text;
        synchronized (tail) {
            text = tail.toString(StandardCharsets.UTF_8);
        }
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\r?\n")) {
            String l = line.replaceAll("^[@\\s]+|[@\\s]+$", "");
            if (!l.isEmpty()) {
                b.append(b.length() == 0 ? "" : "\n").append(l);
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close(); // the driver reads the end of its input and ends
        } catch (IOException ignored) {
            // already closed
        }
        process.destroy();
    }
}
