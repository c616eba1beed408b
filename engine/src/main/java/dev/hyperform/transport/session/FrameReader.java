package dev.hyperform.transport.session;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Cuts one command's output out of one stream of a {@link ShellSession}: bytes before the command's start line
 * ({@code TOKEN S}) are strays (a background process of an earlier command) and are dropped; on stdout the line after
 * it is the command's process id (written by the command's shell before the command); the output ends at
 * the driver's end line ({@code \nTOKEN RC\n}, the newline before it is the driver's own). The token is random per
 * command and never appears in any process's arguments, so output that merely looks like a marker is output.
 */
final class FrameReader {
    private final byte[] start;
    private final byte[] end;
    private byte[] body = new byte[8192];
    private int size;
    private byte[] pending = new byte[0];
    private boolean started;
    private long pid = -1;
    private Integer exitCode;
    private int scanned;

    private final boolean pidLine;
    private boolean pidRead;

    FrameReader(String token, boolean pidLine) {
        this.pidLine = pidLine;
        this.pidRead = !pidLine;
        this.start = (token + " S").getBytes(StandardCharsets.US_ASCII);
        this.end = ("\n" + token + " ").getBytes(StandardCharsets.US_ASCII);
    }

    /** Take the next bytes of the stream; true once the frame is complete. */
    boolean feed(byte[] b, int off, int len) {
        if (exitCode != null) {
            return true;
        }
        if (!started) {
            pending = concat(pending, b, off, len);
            int at = indexOf(pending, start, 0);
            if (at < 0) {
                // keep only what could still be the beginning of the start line
                if (pending.length > start.length) {
                    pending = Arrays.copyOfRange(pending, pending.length - start.length, pending.length);
                }
                return false;
            }
            int nl = indexOf(pending, new byte[] {'\n'}, at);
            if (nl < 0) {
                return false;
            }
            started = true;
            byte[] after = Arrays.copyOfRange(pending, nl + 1, pending.length);
            pending = new byte[0];
            return after.length > 0 && feed(after, 0, after.length);
        }
        if (!pidRead) {
            pending = concat(pending, b, off, len);
            int nl = indexOf(pending, new byte[] {'\n'}, 0);
            if (nl < 0) {
                return false;
            }
            String line = new String(pending, 0, nl, StandardCharsets.US_ASCII);
            pidRead = true;
            byte[] after;
            if (digits(line, 10)) {
                pid = parse(line);
                after = Arrays.copyOfRange(pending, nl + 1, pending.length);
            } else {
                after = pending; // the command's shell did not start: what came is the frame's end
            }
            pending = new byte[0];
            return after.length > 0 && feed(after, 0, after.length);
        }
        if (size + len > body.length) {
            body = Arrays.copyOf(body, Math.max(body.length * 2, size + len));
        }
        System.arraycopy(b, off, body, size, len);
        size += len;
        byte[] all = body;
        int from = Math.max(0, scanned - end.length);
        int at = indexOf(all, size, end, from);
        while (at >= 0) {
            int nl = indexOf(all, size, new byte[] {'\n'}, at + end.length);
            if (nl < 0) {
                scanned = at; // the end line is not complete yet
                return false;
            }
            String code = new String(all, at + end.length, nl - at - end.length, StandardCharsets.US_ASCII);
            if (digits(code, 3)) {
                exitCode = Integer.parseInt(code);
                size = at;
                return true;
            }
            at = indexOf(all, size, end, at + 1);
        }
        scanned = size;
        return false;
    }

    boolean started() {
        return started;
    }

    /** The command's process (its own session on the target when setsid exists), or -1 before it started. */
    long pid() {
        return pid;
    }

    Integer exitCode() {
        return exitCode;
    }

    byte[] output() {
        return Arrays.copyOf(body, size);
    }

    /** 1 to {@code max} ASCII digits (what String.matches("[0-9]{1,max}") says, without compiling a pattern per command). */
    static boolean digits(String s, int max) {
        if (s.isEmpty() || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static byte[] concat(byte[] a, byte[] b, int off, int len) {
        byte[] r = Arrays.copyOf(a, a.length + len);
        System.arraycopy(b, off, r, a.length, len);
        return r;
    }

    static int indexOf(byte[] hay, byte[] needle, int from) {
        return indexOf(hay, hay.length, needle, from);
    }

    static int indexOf(byte[] hay, int length, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
