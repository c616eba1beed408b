package dev.hyperform.transport.openssh;

import dev.hyperform.transport.CommandLine;
import dev.hyperform.transport.ExecRequest;
import dev.hyperform.transport.ExecResult;
import dev.hyperform.transport.HostUnreachableException;
import dev.hyperform.transport.PortForward;
import dev.hyperform.transport.Transport;
import dev.hyperform.transport.TransportException;
import dev.hyperform.transport.session.SessionBrokenException;
import dev.hyperform.transport.session.SessionTimeoutException;
import dev.hyperform.transport.session.ShellSession;
import dev.hyperform.transport.ssh.TargetStops;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A host reached through the system's OpenSSH client ({@code connection: openssh}): the connection is OpenSSH's
 * shared master ({@code ControlMaster=auto}, {@code ControlPersist=60s}), which outlives the run, so that the next run
 * within a minute starts without a handshake, as Ansible's does. Commands run through one shell session
 * ({@link ShellSession}) on one {@code ssh} process of the run; ending a command (Ctrl-C, a time limit) and port
 * forwards are further {@code ssh} processes on the same master. ssh's own failures (exit code 255: cannot connect,
 * host key refused, login refused) make the host unreachable, with what ssh said.
 */
public final class OpenSshTransport implements Transport {
    private static final int SSH_FAILED = 255;
    private final String host;
    private final OpenSshArgs args;
    private final Consumer<String> warnings;
    private final Runnable onConnect;
    private final TargetStops stops = new TargetStops();
    private volatile ShellSession shell;
    private SshProcess process;
    private volatile boolean stopping;
    private HostUnreachableException openFailure;

    public OpenSshTransport(String host, OpenSshArgs args, Consumer<String> warnings, Runnable onConnect) {
        this.host = host;
        this.args = args;
        this.warnings = warnings;
        this.onConnect = onConnect;
    }

    @Override
    public String host() {
        return host;
    }

    /** ssh's arguments for this host, without the remote command (tests and docs show them). */
    public List<String> command() {
        return args.command();
    }

    @Override
    public synchronized void open() {
        try {
            shell();
        } catch (HostUnreachableException e) {
            openFailure = e;
        }
    }

    @Override
    public ExecResult exec(ExecRequest request) {
        CommandLine cl;
        try {
            cl = CommandLine.forPosixShell(request); // the session runs each line in a POSIX sh of its own
        } catch (IllegalArgumentException e) {
            throw new TransportException(host, e.getMessage(), null, e);
        }
        long t0 = System.nanoTime();
        Duration limit = request.timeout();
        Duration wait = ShellSession.frameWait(limit);
        for (int attempt = 0; ; attempt++) {
            if (stopping) {
                throw new TransportException(host, "interrupted before running " + request.display(), null, null);
            }
            ShellSession s;
            SshProcess p;
            synchronized (this) {
                s = shell();
                p = process;
            }
            try {
                ShellSession.Output o = s.run(cl.line(), cl.stdin(), wait,
                        ShellSession.Stopper.of(() -> stopping, pid -> killOnTarget(pid, request)));
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                if (o.killedAtLimit(took, limit)) {
                    throw timedOut(request);
                }
                return new ExecResult(o.exitCode(), o.stdout(), o.stderr(), took);
            } catch (SessionBrokenException e) {
                // ssh's own exit code first: ending the session signals the process, which would then end by that
                int code = p.exitCode(2000);
                drop(s);
                if (code == SSH_FAILED) {
                    // ssh itself failed: it could not connect, or the connection dropped under the command
                    throw unreachable(p, e.started() ? "the connection dropped while running " + request.display()
                            : "cannot connect");
                }
                if (!e.started() && attempt == 0) {
                    continue; // nothing ran: send it again on a new session
                }
                throw new TransportException(host, "the shell session ended while running " + request.display() + " ("
                        + e.getMessage() + "); whether the command finished is unknown",
                        "the next command uses a new session; run again to converge", e);
            } catch (SessionTimeoutException e) {
                drop(s);
                killOnTarget(e.pid(), request);
                throw timedOut(request);
            } catch (InterruptedException e) {
                drop(s);
                killOnTarget(s.runningPid(), request);
                Thread.currentThread().interrupt();
                throw new TransportException(host, "interrupted while running " + request.display(), null, e);
            }
        }
    }

    private HostUnreachableException unreachable(SshProcess p, String what) {
        String said = p.said();
        return new HostUnreachableException(host, what + ": " + (said.isEmpty() ? "ssh failed (exit code 255)" : said),
                said.contains("Host key verification failed") || said.contains("HOST IDENTIFICATION HAS CHANGED")
                        ? "if the host was really reinstalled, remove its old key (ssh-keygen -R ADDRESS); to trust a "
                        + "new host once, set hyperform_host_key_policy=accept-new"
                        : "check that the host is up and that 'ssh " + String.join(" ", args.command().subList(1,
                        args.command().size())) + " true' works from this machine", null);
    }

    private TransportException timedOut(ExecRequest request) {
        return new TransportException(host, "command timed out after " + request.timeout().toSeconds() + " s: "
                + request.display(), "raise the task's timeout, or find out why it hangs", null);
    }

    private synchronized ShellSession shell() {
        if (shell != null && shell.usable()) {
            return shell;
        }
        if (openFailure != null) {
            HostUnreachableException e = openFailure; // the start-up attempt failed just now: do not wait twice
            openFailure = null;
            throw e;
        }
        drop(shell);
        process = start(ShellSession.command());
        shell = ShellSession.start(process, host);
        onConnect.run();
        return shell;
    }

    private SshProcess start(String remoteCommand) {
        try {
            Files.createDirectories(args.controlDir(), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (IOException | UnsupportedOperationException e) {
            // ssh says so when it cannot make its control socket, and still connects
        }
        List<String> argv = new ArrayList<>(args.command());
        argv.add(remoteCommand);
        try {
            return new SshProcess(new ProcessBuilder(argv).start());
        } catch (IOException e) {
            throw new HostUnreachableException(host, "cannot start ssh: " + e.getMessage(),
                    "install OpenSSH's client (openssh-client), or use connection: ssh", e);
        }
    }

    private synchronized void drop(ShellSession s) {
        if (s != null) {
            s.close();
        }
        if (shell == s) {
            shell = null;
        }
    }

    /** Run one command on a further ssh process (on the shared master): for ending a command on the target. */
    private ExecResult once(ExecRequest request) {
        long t0 = System.nanoTime();
        CommandLine cl = CommandLine.of(request);
        SshProcess p = start(cl.line());
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.stderr()));
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(p.stdout()));
        try (OutputStream in = p.stdin()) {
            in.write(cl.stdin());
        } catch (IOException e) {
            // the command did not read its input
        }
        int code = p.exitCode(Math.max(1000, request.timeout().toMillis()));
        if (code < 0) {
            p.close();
            throw timedOut(request);
        }
        if (code == SSH_FAILED) {
            throw unreachable(p, "cannot run " + request.display());
        }
        try {
            return new ExecResult(code, out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS),
                    Duration.ofNanos(System.nanoTime() - t0));
        } catch (Exception e) {
            throw new TransportException(host, "reading the output of " + request.display() + " failed: " + e, null, e);
        }
    }

    private static byte[] drain(InputStream in) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (in) {
            in.transferTo(b);
        } catch (IOException e) {
            // the process ended: keep what arrived
        }
        return b.toByteArray();
    }

    /** End a command's process group on the target ({@link TargetStops}), with the command's own become. */
    private void killOnTarget(long pid, ExecRequest of) {
        if (pid <= 1) {
            return;
        }
        stops.run(() -> {
            try {
                once(TargetStops.request(pid, of));
            } catch (RuntimeException e) {
                warnings.accept(host + ": could not end process " + pid + " on the target: " + e.getMessage());
            }
        });
    }

    @Override
    public void stopRunning() {
        stopping = true;
        ShellSession s = shell;
        if (s != null) {
            s.wake();
        }
    }

    @Override
    public boolean awaitStops(Duration max) {
        return stops.await(max);
    }

    /**
     * A local port on 127.0.0.1 forwarded by the host's shared master ({@code ssh -O forward -L}): no second
     * connection, and nothing through the host's shell session (another thread may be running the host's task on it).
     * The master is waited for first: the session's ssh may still be logging in.
     */
    @Override
    public PortForward forward(String address, int port) {
        SshProcess p;
        synchronized (this) {
            shell();
            p = process;
        }
        MasterControl master = new MasterControl(host, args);
        master.awaitMaster(args.connectTimeout().plusSeconds(5),
                () -> p.exitCode(0) == SSH_FAILED ? unreachable(p, "cannot connect") : null);
        return master.forward(address, port);
    }

    /** Ends this run's session; OpenSSH's master stays for {@code ControlPersist} for the next run. */
    @Override
    public synchronized void close() {
        drop(shell);
        process = null;
    }

    /** Ends the session and the master ({@code ssh -O exit}), as Ansible's reset_connection does: the next command logs in. */
    @Override
    public synchronized void reset() {
        close();
        new MasterControl(host, args).ask("exit");
    }
}
