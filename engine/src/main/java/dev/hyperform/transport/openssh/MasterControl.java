package dev.hyperform.transport.openssh;

import dev.hyperform.transport.PortForward;
import dev.hyperform.transport.TransportException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Requests to a host's OpenSSH master ({@code ssh -O check}, {@code -O forward}, {@code -O cancel}), each an ssh process
 * of its own that talks to the master over its control socket: nothing goes through the host's shell session, which
 * belongs to the thread running the host's task.
 */
final class MasterControl {
    private static final long POLL_MS = 20;
    private final String host;
    private final OpenSshArgs args;

    MasterControl(String host, OpenSshArgs args) {
        this.host = host;
        this.args = args;
    }

    /** What one request answered. */
    record Answer(int exitCode, String said) {
    }

    Answer ask(String op, String... more) {
        List<String> argv = new ArrayList<>(args.command());
        int at = argv.size() - 1; // before the address
        argv.add(at++, "-O");
        argv.add(at++, op);
        for (String m : more) {
            argv.add(at++, m);
        }
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] said = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Answer(-1, "ssh -O " + op + " did not answer within 10 s");
            }
            return new Answer(p.exitValue(), new String(said, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new TransportException(host, "cannot run ssh -O " + op + ": " + e.getMessage(),
                    "install OpenSSH's client (openssh-client), or use connection: ssh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException(host, "interrupted while asking the ssh master (" + op + ")", null, e);
        }
    }

    /**
     * Wait until the master answers, at most {@code max}; {@code failed} says, while waiting, whether the session's
     * own ssh has already failed (it then throws what it said).
     */
    void awaitMaster(Duration max, Supplier<RuntimeException> failed) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            Answer a = ask("check");
            if (a.exitCode() == 0) {
                return;
            }
            RuntimeException f = failed.get();
            if (f != null) {
                throw f;
            }
            if (System.nanoTime() > deadline) {
                throw new TransportException(host, "no ssh master answered within " + max.toSeconds() + " s: " + a.said(),
                        "port forwards need connection sharing: do not set ControlMaster=no or ControlPath=none in "
                                + "the host's ssh arguments, or use connection: ssh", null);
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransportException(host, "interrupted while waiting for the ssh master", null, e);
            }
        }
    }

    /** A free local port on 127.0.0.1 forwarded by the master to {@code address:port} as the host sees it. */
    PortForward forward(String address, int port) {
        int local;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            local = s.getLocalPort();
        } catch (IOException e) {
            throw new TransportException(host, "cannot find a free local port to forward to " + address + ":" + port
                    + ": " + e.getMessage(), null, e);
        }
        String spec = "127.0.0.1:" + local + ":" + address + ":" + port;
        Answer a = ask("forward", "-L", spec);
        if (a.exitCode() != 0) {
            throw new TransportException(host, "ssh -O forward -L " + spec + " failed: " + a.said(),
                    "check that the host's ssh arguments allow connection sharing (ControlMaster)", null);
        }
        return PortForward.loopback(local, () -> ask("cancel", "-L", spec)); // a master gone took the forward along
    }
}
