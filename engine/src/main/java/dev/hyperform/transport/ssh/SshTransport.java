package dev.hyperform.transport.ssh;

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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * One persistent, authenticated SSH connection to one host (sshj), opened on first use and reused by every
 * command. Commands run through one long-lived shell on it ({@link ShellSession}: one round trip each), or with
 * {@code hyperform_session=exec} each on a new exec channel. A connection that dropped is opened again before the
 * next command (and counted).
 */
public final class SshTransport implements Transport {
    private static final ExecutorService DRAINERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hyperform-ssh-stderr");
        t.setDaemon(true);
        return t;
    });
    private final SshEndpoint endpoint;
    private final Consumer<String> warnings;
    private final Runnable onConnect;
    private SSHClient client;
    private volatile ShellSession shell;
    private volatile ExecRequest running;
    private volatile long runningPid = -1;
    private volatile boolean stopping;
    private final TargetStops stops = new TargetStops();
    private HostUnreachableException openFailure;
    private SSHClient primed;
    private static final String PID_LINE = "HYPERFORM-PID";

    public SshTransport(SshEndpoint endpoint, Consumer<String> warnings, Runnable onConnect) {
        this.endpoint = endpoint;
        this.warnings = warnings;
        this.onConnect = onConnect;
    }

    @Override
    public String host() {
        return endpoint.name();
    }

    public SshEndpoint endpoint() {
        return endpoint;
    }

    /**
     * A {@code direct-tcpip} channel on this host's connection to an address as this host sees it (for a host reached
     * through this one as jump host); a connection that dropped is opened again first, once.
     */
    synchronized net.schmizz.sshj.connection.channel.direct.DirectConnection tunnel(String address, int port)
            throws IOException {
        try {
            primeForTunnels();
            return connected().newDirectConnection(address, port);
        } catch (net.schmizz.sshj.connection.channel.OpenFailException e) {
            throw e; // the jump host answered: it will answer the same again
        } catch (IOException first) {
            closeQuietly();
            return connected().newDirectConnection(address, port);
        }
    }

    private synchronized SSHClient connected() {
        if (client != null && client.isConnected() && client.isAuthenticated()) {
            return client;
        }
        if (openFailure != null) {
            HostUnreachableException e = openFailure; // the start-up attempt failed just now: do not wait twice
            openFailure = null;
            throw e;
        }
        closeQuietly();
        SSHClient c = new SSHClient(SshConfig.SHARED);
        c.setSocketFactory(QuickAckSocket.factory()); // a direct route's socket; a tunnel has none
        HostKeyCheck check = new HostKeyCheck(new KnownHosts(endpoint.knownHosts()), endpoint.policy(), warnings);
        c.addHostKeyVerifier(check);
        c.setConnectTimeout((int) endpoint.connectTimeout().toMillis());
        c.setTimeout((int) Math.max(endpoint.connectTimeout().toMillis(), 30_000));
        String where = endpoint.address() + ":" + endpoint.port() + endpoint.route().via();
        try {
            endpoint.route().connect(c, endpoint);
        } catch (IOException e) {
            closeQuietly(c);
            if (check.refusal() != null) {
                throw new HostUnreachableException(endpoint.name(), check.refusal(), hostKeyHint(), e);
            }
            throw new HostUnreachableException(endpoint.name(), "cannot connect to " + where + ": " + reason(e),
                    "check that the host is up, that sshd listens on port " + endpoint.port()
                            + " and that ansible_host/ansible_port are right", e);
        }
        try {
            // small request/response packets: without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms to every command
            if (c.getSocket() != null) { // null through a jump host: the jump host's socket carries it
                c.getSocket().setTcpNoDelay(true);
            }
        } catch (java.net.SocketException e) {
            // keep going: slower, still correct
        }
        c.getConnection().getKeepAlive().setKeepAliveInterval((int) Math.max(1, endpoint.keepAlive().toSeconds()));
        SshLogin.authenticate(c, endpoint, where);
        client = c;
        onConnect.run();
        return c;
    }

    private String hostKeyHint() {
        return "if the host was really reinstalled, remove the old key: ssh-keygen -R " + endpoint.address()
                + (endpoint.knownHosts().isEmpty() ? "" : " -f " + endpoint.knownHosts().get(0))
                + "; to trust a new host once, set hyperform_host_key_policy=accept-new";
    }

    /**
     * OpenSSH's sshd turns on TCP_NODELAY for a connection only when a session starts on it; before that, a tunnel's
     * small packets wait for delayed ACKs (measured: 44 ms per command through a jump host with no session, 3 ms with
     * one). So a jump host's connection gets a session first: its shell, or one exec of {@code true}.
     */
    private void primeForTunnels() {
        SSHClient c = connected();
        if (primed == c) {
            return;
        }
        try {
            if (endpoint.persistentShell()) {
                shell();
            } else {
                try (Session s = c.startSession()) {
                    s.exec("true").join(endpoint.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (IOException | RuntimeException e) {
            // slower tunnels, still correct; a connection that really failed fails the tunnel next
        }
        primed = c;
    }

    @Override
    public synchronized void open() {
        try {
            if (endpoint.persistentShell()) {
                shell();
            } else {
                connected();
            }
        } catch (HostUnreachableException e) {
            openFailure = e;
        }
    }

    @Override
    public ExecResult exec(ExecRequest request) {
        CommandLine cl;
        try {
            // the session runs each line in a POSIX sh of its own; an exec channel in the login shell
            cl = endpoint.persistentShell() ? CommandLine.forPosixShell(request) : CommandLine.of(request);
        } catch (IllegalArgumentException e) {
            throw new TransportException(endpoint.name(), e.getMessage(), null, e);
        }
        if (endpoint.persistentShell()) {
            return execInShell(request, cl);
        }
        running = request;
        try {
            refuseWhenStopping(request);
            return execOnChannel(request, cl);
        } finally {
            running = null;
            runningPid = -1;
        }
    }

    /**
     * Through the host's shell session: a session found dead before the command started is replaced and the command
     * sent again; one that died under a running command fails that command (its effect is unknown), and the next
     * command gets a new session.
     */
    private ExecResult execInShell(ExecRequest request, CommandLine cl) {
        long t0 = System.nanoTime();
        Duration limit = request.timeout();
        Duration wait = ShellSession.frameWait(limit);
        for (int attempt = 0; ; attempt++) {
            ShellSession s = shell();
            running = request;
            try {
                refuseWhenStopping(request);
                ShellSession.Output o = s.run(cl.line(), cl.stdin(), wait,
                        ShellSession.Stopper.of(() -> stopping, pid -> killOnTarget(pid, request)));
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                if (o.killedAtLimit(took, limit)) {
                    throw timedOut(request);
                }
                return new ExecResult(o.exitCode(), o.stdout(), o.stderr(), took);
            } catch (SessionBrokenException e) {
                dropShell(s);
                if (e.started() && connectionLost(e)) {
                    // the SSH transport itself failed under a running command: the host is gone (or the network),
                    // whatever a quick reconnect would find while the host shuts down
                    synchronized (this) {
                        closeQuietly();
                    }
                    throw new HostUnreachableException(endpoint.name(), "the connection dropped while running "
                            + request.display() + ": " + e.getMessage(), "the host went away; check it and run again", e);
                }
                if (e.started() && isConnected()) {
                    // the channel can end a moment before the connection does (a host shutting down): whether the
                    // host is still there is known once a new session opens, or fails to
                    try {
                        shell();
                    } catch (HostUnreachableException gone) {
                        // reported below: the connection is closed and could not be opened again
                    }
                }
                if (!isConnected()) {
                    throw new HostUnreachableException(endpoint.name(), "the connection dropped while running "
                            + request.display() + ": " + e.getMessage(), "the host went away; check it and run again", e);
                }
                if (!e.started() && attempt == 0) {
                    continue; // nothing ran: send it again on a new session
                }
                throw new TransportException(endpoint.name(), "the shell session ended while running "
                        + request.display() + " (" + e.getMessage() + "); whether the command finished is unknown",
                        "the next command uses a new session; run again to converge", e);
            } catch (SessionTimeoutException e) {
                dropShell(s);
                killOnTarget(e.pid(), request);
                throw timedOut(request);
            } catch (InterruptedException e) {
                dropShell(s);
                killOnTarget(s.runningPid(), request);
                Thread.currentThread().interrupt();
                throw new TransportException(endpoint.name(), "interrupted while running " + request.display(), null, e);
            } finally {
                running = null;
            }
        }
    }

    /** A new channel on the connection; one that dropped since the last command is opened again, once. */
    private synchronized Session newChannel() {
        try {
            return settled(connected().startSession());
        } catch (IOException first) {
            closeQuietly();
            try {
                return settled(connected().startSession());
            } catch (IOException e) {
                throw new HostUnreachableException(endpoint.name(), "cannot open a channel: " + reason(e),
                        "the connection dropped and could not be re-opened", e);
            }
        }
    }

    /**
     * Once a channel is open, sshd turns TCP_NODELAY on as the channel's command starts: the connection's ACKs can
     * follow the system's usual rule from now on (see {@link QuickAckSocket}).
     */
    private Session settled(Session channel) {
        if (client != null && client.getSocket() instanceof QuickAckSocket s) {
            s.settle();
        }
        return channel;
    }

    private TransportException timedOut(ExecRequest request) {
        return new TransportException(endpoint.name(), "command timed out after " + request.timeout().toSeconds()
                + " s: " + request.display(), "raise the task's timeout, or find out why it hangs", null);
    }

    private synchronized ShellSession shell() {
        if (shell != null && shell.usable()) {
            return shell;
        }
        dropShell(shell);
        Session channel = newChannel();
        try {
            shell = ShellSession.start(new SshSessionPipe(channel, channel.exec(ShellSession.command())), endpoint.name());
        } catch (IOException e) {
            throw new HostUnreachableException(endpoint.name(), "cannot start a shell: " + reason(e),
                    "check that /bin/sh works for " + endpoint.user() + ", or set hyperform_session=exec", e);
        }
        return shell;
    }

    private synchronized void dropShell(ShellSession s) {
        if (s != null) {
            s.close();
        }
        if (shell == s) {
            shell = null;
        }
    }

    private synchronized boolean isConnected() {
        return client != null && client.isConnected();
    }

    /**
     * End a command's process group on the target ({@link TargetStops}), with the command's own become so that a root
     * command can be ended; over its own exec channel, as the session is busy with the command.
     */
    private void killOnTarget(long pid, ExecRequest of) {
        if (pid <= 1) {
            return;
        }
        stops.run(() -> {
            ExecRequest kill = TargetStops.request(pid, of);
            try {
                execOnChannel(kill, CommandLine.of(kill));
            } catch (RuntimeException e) {
                warnings.accept(endpoint.name() + ": could not end process " + pid + " on the target: " + e.getMessage());
            }
        });
    }

    @Override
    public boolean awaitStops(Duration max) {
        return stops.await(max);
    }

    /**
     * From now on no command starts, and the one running (or starting: its process id may not be known yet) is ended
     * on the target as soon as its process id is known; returns at once.
     */
    @Override
    public void stopRunning() {
        stopping = true;
        ShellSession s = shell; // not under the lock: a connect in progress holds it
        if (s != null) {
            s.wake();
        }
        ExecRequest r = running;
        long pid = runningPid;
        if (!endpoint.persistentShell() && r != null && pid > 0) {
            runningPid = -1;
            DRAINERS.submit(() -> killOnTarget(pid, r));
        }
    }

    private void refuseWhenStopping(ExecRequest request) {
        if (stopping) {
            throw new TransportException(endpoint.name(), "interrupted before running " + request.display(), null, null);
        }
    }

    /** Over a new exec channel of the connection (hyperform_session=exec, and side commands in shell mode). */
    private ExecResult execOnChannel(ExecRequest request, CommandLine cl) {
        long t0 = System.nanoTime();
        Session session = newChannel();
        try (Session s = session) {
            boolean main = request == running;
            // the command's shell names its process (sshd made it a session leader) on its first stderr line, so that
            // Ctrl-C can end the command's process group on the target; the line is taken out of stderr
            Session.Command cmd = s.exec(main ? "printf '" + PID_LINE + " %s\\n' $$ >&2; " + cl.line() : cl.line());
            // stderr drains on a pooled thread, stdout in this one: no deadlock on big outputs, no thread per command
            Future<byte[]> err = DRAINERS.submit(() -> main ? drainAfterPid(cmd.getErrorStream()) : drain(cmd.getErrorStream()));
            writeStdin(cmd.getOutputStream(), cl.stdin());
            Duration limit = request.timeout();
            byte[] o;
            if (limit.isZero()) {
                o = drain(cmd.getInputStream());
                cmd.join();
            } else {
                Future<byte[]> out = DRAINERS.submit(() -> drain(cmd.getInputStream()));
                try {
                    cmd.join(limit.toMillis(), TimeUnit.MILLISECONDS);
                } catch (net.schmizz.sshj.connection.ConnectionException waited) {
                    // sshj says "Timeout expired" this way; only a connection that is really gone is unreachable
                    if (!isConnected()) {
                        throw waited;
                    }
                }
                if (cmd.isOpen() && cmd.getExitStatus() == null) {
                    throw timedOut(request);
                }
                o = out.get(30, TimeUnit.SECONDS);
            }
            byte[] e = err.get(30, TimeUnit.SECONDS);
            Integer status = cmd.getExitStatus();
            int rc = status == null ? (cmd.getExitSignal() != null ? 128 + 15 : 255) : status;
            return new ExecResult(rc, o, e, Duration.ofNanos(System.nanoTime() - t0));
        } catch (TransportException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException(endpoint.name(), "interrupted while running " + request.display(), null, e);
        } catch (Exception e) {
            if (client == null || !client.isConnected() || connectionLost(e)) {
                throw new HostUnreachableException(endpoint.name(), "the connection dropped while running "
                        + request.display() + ": " + reason(e), "the host went away; check it and run again", e);
            }
            throw new TransportException(endpoint.name(), "running " + request.display() + " failed: " + reason(e), null, e);
        }
    }

    /** Send stdin and close it; a command that exits without reading its input is not an error. */
    private static void writeStdin(OutputStream in, byte[] bytes) {
        try (in) {
            if (bytes.length > 0) {
                in.write(bytes);
                in.flush();
            }
        } catch (IOException e) {
            // the remote side closed its stdin (the command did not read it, or already exited)
        }
    }

    /** An exception that means the connection itself is gone (EOF, reset, broken transport), not a failed command. */
    static boolean connectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof net.schmizz.sshj.transport.TransportException || t instanceof net.schmizz.sshj.connection.ConnectionException
                    || t instanceof java.net.SocketException || t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

    /** The first line is the command's process id (see execOnChannel), the rest its stderr. */
    private byte[] drainAfterPid(InputStream in) throws IOException {
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            first.write(c);
        }
        String line = first.toString(java.nio.charset.StandardCharsets.US_ASCII);
        if (line.startsWith(PID_LINE + " ")) {
            try {
                runningPid = Long.parseLong(line.substring(PID_LINE.length() + 1).trim());
            } catch (NumberFormatException e) {
                runningPid = -1;
            }
            ExecRequest r = running;
            long pid = runningPid;
            if (stopping && r != null && pid > 0) {
                runningPid = -1; // stopRunning came before the process id: end it now
                DRAINERS.submit(() -> killOnTarget(pid, r));
            }
            return drain(in);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(first.toByteArray());
        if (c == '\n') {
            all.write('\n');
        }
        all.writeBytes(drain(in));
        return all.toByteArray();
    }

    private static byte[] drain(InputStream in) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (in) {
            in.transferTo(b);
        } catch (IOException e) {
            // the channel closed: keep what arrived
        }
        return b.toByteArray();
    }

    static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    /** A local port on 127.0.0.1 forwarded over this host's one SSH connection (no second connection). */
    @Override
    public PortForward forward(String address, int port) {
        SSHClient c = connected();
        java.net.ServerSocket socket;
        try {
            socket = new java.net.ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new TransportException(endpoint.name(), "cannot open a local port to forward to " + address + ":" + port
                    + ": " + reason(e), null, e);
        }
        var params = new net.schmizz.sshj.connection.channel.direct.Parameters("127.0.0.1", socket.getLocalPort(),
                address, port);
        var forwarder = c.newLocalPortForwarder(params, socket);
        Thread t = new Thread(() -> {
            try {
                forwarder.listen();
            } catch (IOException e) {
                // closed: the run ended or the connection dropped
            }
        }, "hyperform-forward-" + endpoint.name());
        t.setDaemon(true);
        t.start();
        return PortForward.loopback(socket.getLocalPort(), () -> {
            try {
                forwarder.close();
            } catch (IOException ignored) {
                // already closed
            }
            t.interrupt();
        });
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (shell != null) {
            shell.close();
            shell = null;
        }
        closeQuietly(client);
        client = null;
    }

    static void closeQuietly(SSHClient c) {
        if (c == null) {
            return;
        }
        try {
            c.disconnect();
        } catch (IOException | RuntimeException ignored) {
            // closing a broken connection: nothing more to do
        }
    }
}
