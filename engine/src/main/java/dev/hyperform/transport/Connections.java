package dev.hyperform.transport;

import dev.hyperform.inventory.Host;
import dev.hyperform.transport.openssh.OpenSshArgs;
import dev.hyperform.transport.openssh.OpenSshTransport;
import dev.hyperform.transport.ssh.JumpHop;
import dev.hyperform.transport.ssh.SshArgs;
import dev.hyperform.transport.ssh.SshEndpoint;
import dev.hyperform.transport.ssh.SshOptions;
import dev.hyperform.transport.ssh.SshRoute;
import dev.hyperform.transport.ssh.SshTransport;
import dev.hyperform.vars.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The run's connection pool: one transport per host, opened on first use (SSH through sshj, or local for
 * {@code ansible_connection=local} and the implicit {@code localhost}), reused by every task, closed at the end.
 * Connection variables are read under Ansible's names and hyperform's own ({@code hyperform_*} wins), then the
 * OpenSSH options of {@code ansible_ssh_common_args} and its siblings ({@link SshArgs}). A host whose jump list
 * ({@code -o ProxyJump}, {@code -J}, {@code hyperform_jump_host}) names hosts is reached through them
 * ({@link JumpHosts}).
 */
public final class Connections implements AutoCloseable {
    private final ConnectionSettings settings;
    private final Map<String, Transport> transports = new ConcurrentHashMap<>();
    private final AtomicInteger opened = new AtomicInteger();
    private final List<Consumer<String>> warningListeners = new CopyOnWriteArrayList<>();
    private final Map<String, Object> shared = new ConcurrentHashMap<>();
    private final List<String> earlyWarnings = new ArrayList<>();
    private final JumpHosts jumps;
    private final Deque<String> creating = new ArrayDeque<>();
    private final SmartChoice smart;
    private final Map<String, String> builtInBecause = new ConcurrentHashMap<>();
    /** A host's SSH password, under hyperform's and Ansible's names. */
    private static final String[] PASSWORD = {"hyperform_password", "ansible_password", "ansible_ssh_pass"};

    /** Without an inventory: a jump host is then never an inventory host. */
    public Connections(ConnectionSettings settings) {
        this(settings, List.of());
    }

    /** {@code inventory}: the hosts a jump list may name, whose own connections then carry the tunnels. */
    public Connections(ConnectionSettings settings, Collection<Host> inventory) {
        this.settings = settings;
        this.jumps = new JumpHosts(inventory, this::get, h -> builtIn(h, true), this::jumpHops, this::warn,
                opened::incrementAndGet);
        this.smart = new SmartChoice(inventory, this::jumpHops, SmartChoice.sshOnPath());
    }

    /** Be told of things a person must know (host key checking off). */
    public void onWarning(Consumer<String> listener) {
        List<String> early;
        synchronized (earlyWarnings) {
            warningListeners.add(listener);
            early = List.copyOf(earlyWarnings);
            earlyWarnings.clear();
        }
        early.forEach(listener);
    }

    /**
     * Start opening these hosts' connections now, {@code parallel} at a time on daemon threads, while the run is still
     * being set up: the SSH handshakes overlap start-up instead of following it.
     */
    public void warmUp(List<Host> hosts, int parallel) {
        if (hosts.isEmpty()) {
            return;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Math.min(parallel, hosts.size())), r -> {
                    Thread t = new Thread(r, "hyperform-connect");
                    t.setDaemon(true);
                    return t;
                });
        for (Host h : hosts) {
            pool.submit(() -> {
                try {
                    get(h).open();
                } catch (RuntimeException e) {
                    // the first command on the host reports it (bad connection variables, unknown connection type)
                }
            });
        }
        pool.shutdown();
    }

    /** The transport for a host; the connection itself opens on the first command. */
    public synchronized Transport get(Host host) {
        Transport t = transports.get(host.name());
        if (t != null) {
            return t;
        }
        if (creating.contains(host.name())) {
            List<String> loop = new ArrayList<>(creating);
            java.util.Collections.reverse(loop);
            loop = loop.subList(loop.indexOf(host.name()), loop.size());
            throw new TransportException(loop.get(0), "the jump hosts form a loop: " + String.join(" -> ", loop) + " -> "
                    + host.name(), "give one of these hosts a direct route (-o ProxyJump=none or no jump list)", null);
        }
        creating.push(host.name());
        try {
            t = create(host);
        } finally {
            creating.pop();
        }
        transports.put(host.name(), t);
        return t;
    }

    /**
     * A run-scoped resource (an API client, a port forward) shared by every task, created once on first use and
     * closed at the end of the run, before the host connections it may ride on.
     */
    @SuppressWarnings("unchecked")
    public <T> T shared(String key, java.util.function.Supplier<T> create) {
        synchronized (shared) {
            Object o = shared.get(key);
            if (o == null) {
                o = create.get();
                shared.put(key, o);
            }
            return (T) o;
        }
    }

    /**
     * Which client reaches the host, for people: {@code openssh}, {@code ssh (built-in)} with the reason when smart
     * picked it, or {@code local}.
     */
    public String client(Host host) {
        Transport t = get(host);
        if (t instanceof OpenSshTransport) {
            return "openssh";
        }
        if (t instanceof LocalTransport) {
            return "local";
        }
        String why = builtInBecause.get(host.name());
        return "ssh (built-in" + (why == null ? "" : ": " + why) + ")";
    }

    /** How many connections were opened during the run (re-opened ones count again). */
    public int opened() {
        return opened.get();
    }

    private Transport create(Host host) {
        Map<String, Object> v = host.vars();
        String connection = text(v, "hyperform_connection", "ansible_connection").or(settings::connection).orElse("smart");
        if (connection.equals("local")) {
            opened.incrementAndGet();
            return new LocalTransport(host.name());
        }
        if (connection.equals("openssh")) {
            return openSsh(host);
        }
        if (!connection.equals("ssh") && !connection.equals("smart")) {
            throw new TransportException(host.name(), "connection type '" + connection + "' is not supported",
                    "use smart, ssh, openssh or local", null);
        }
        boolean shellSession = persistentShell(text(v, "hyperform_session").orElse(System.getenv("HYPERFORM_SESSION")),
                host.name());
        if (connection.equals("smart")) {
            Optional<String> why = smart.builtInBecause(host, value(v, PASSWORD).isPresent(), controlDir(v), shellSession,
                    smartHops(host));
            if (why.isEmpty()) {
                return openSsh(host);
            }
            builtInBecause.put(host.name(), why.get());
        }
        return builtIn(host, shellSession);
    }

    /** hyperform's own client (sshj) for this host, through its jump list if it has one. */
    private SshTransport builtIn(Host host, boolean shellSession) {
        Map<String, Object> v = host.vars();
        SshOptions o = sshOptions(host);
        String user = text(v, "hyperform_user", "ansible_user", "ansible_ssh_user", "remote_user").or(o::user)
                .orElse(settings.user().orElse(System.getProperty("user.name")));
        int port = text(v, "hyperform_port", "ansible_port", "ansible_ssh_port").map(Integer::parseInt)
                .orElse(o.port().orElse(22));
        List<Path> keys = new ArrayList<>();
        text(v, "hyperform_private_key", "ansible_ssh_private_key_file", "ansible_private_key_file")
                .ifPresent(k -> keys.add(Path.of(k.replaceFirst("^~", System.getProperty("user.home")))));
        if (keys.isEmpty()) {
            keys.addAll(o.identityFiles());
        }
        if (keys.isEmpty()) {
            keys.addAll(settings.privateKeys());
        }
        Optional<Secret> password = value(v, PASSWORD)
                .map(p -> p instanceof Secret s ? s : new Secret(String.valueOf(p)));
        List<Path> known = new ArrayList<>();
        text(v, "hyperform_known_hosts").ifPresent(k -> known.add(Path.of(k)));
        o.knownHosts().ifPresent(known::addAll); // UserKnownHostsFile replaces ~/.ssh/known_hosts, as in OpenSSH
        known.addAll(settings.knownHosts());
        if (o.knownHosts().isEmpty()) {
            known.add(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
        }
        // as Ansible does, a run told not to check host keys says so before the inventory's ssh arguments
        HostKeyPolicy policy = text(v, "hyperform_host_key_policy").map(HostKeyPolicy::parse)
                .orElse(settings.hostKeyPolicy() != HostKeyPolicy.STRICT ? settings.hostKeyPolicy()
                        : o.hostKeyPolicy().orElse(settings.hostKeyPolicy()));
        Duration keepAlive = o.keepAlive().orElse(settings.keepAlive());
        SshEndpoint direct = new SshEndpoint(host.name(),
                text(v, "hyperform_host", "ansible_host", "ansible_ssh_host").orElse(host.name()), port, user, keys,
                password, known, policy, o.connectTimeout().orElse(settings.connectTimeout()), keepAlive,
                text(v, "hyperform_agent_socket").or(() -> Optional.ofNullable(System.getenv("SSH_AUTH_SOCK")))
                        .filter(s -> !s.isBlank()).map(Path::of),
                shellSession, SshRoute.DIRECT);
        List<JumpHop> hops = jumpHops(host);
        SshEndpoint endpoint = hops.isEmpty() ? direct : new SshEndpoint(direct.name(), direct.address(), port, user,
                keys, password, known, policy, direct.connectTimeout(), keepAlive, direct.agentSocket(),
                direct.persistentShell(), jumps.route(direct, hops));
        return new SshTransport(endpoint, this::warn, opened::incrementAndGet);
    }

    /** The system's OpenSSH client with a shared master per host that outlives the run ({@link OpenSshTransport}). */
    private Transport openSsh(Host host) {
        Map<String, Object> v = host.vars();
        if (value(v, PASSWORD).isPresent()) {
            throw new TransportException(host.name(), "connection openssh logs in with keys or ssh-agent, not with a "
                    + "password (ansible_password)", "use a key, or connection: ssh for a password login", null);
        }
        if (!persistentShell(text(v, "hyperform_session").orElse(System.getenv("HYPERFORM_SESSION")), host.name())) {
            throw new TransportException(host.name(), "connection openssh runs commands through its shell session only",
                    "use connection: ssh for hyperform_session=exec", null);
        }
        List<String> words = new ArrayList<>();
        for (String name : SshArgs.VARIABLES) {
            Optional<String> a = text(v, name);
            if (a.isPresent() && !a.get().isBlank()) {
                try {
                    words.addAll(dev.hyperform.inventory.InventoryWords.split(a.get()));
                } catch (RuntimeException e) {
                    throw new TransportException(host.name(), name + " cannot be split into arguments: "
                            + e.getMessage(), "fix its quoting", e);
                }
            }
        }
        Optional<HostKeyPolicy> policy = text(v, "hyperform_host_key_policy").map(HostKeyPolicy::parse)
                .or(() -> settings.hostKeyPolicy() != HostKeyPolicy.STRICT ? Optional.of(settings.hostKeyPolicy())
                        : Optional.empty());
        if (policy.orElse(HostKeyPolicy.STRICT) == HostKeyPolicy.OFF) {
            // as the built-in client says it (which can name the key the host presented)
            warn("host key checking is OFF for " + text(v, "hyperform_host", "ansible_host", "ansible_ssh_host")
                    .orElse(host.name()) + ": the connection is not protected against impersonation");
        }
        List<Path> known = new ArrayList<>();
        text(v, "hyperform_known_hosts").ifPresent(k -> known.add(Path.of(k)));
        known.addAll(settings.knownHosts());
        List<Path> keys = new ArrayList<>();
        text(v, "hyperform_private_key", "ansible_ssh_private_key_file", "ansible_private_key_file")
                .ifPresent(k -> keys.add(Path.of(k.replaceFirst("^~", System.getProperty("user.home")))));
        Path controlDir = controlDir(v);
        OpenSshArgs args = new OpenSshArgs(text(v, "hyperform_host", "ansible_host", "ansible_ssh_host")
                .orElse(host.name()), text(v, "hyperform_user", "ansible_user", "ansible_ssh_user", "remote_user"),
                text(v, "hyperform_port", "ansible_port", "ansible_ssh_port").map(Integer::parseInt), keys, known, policy,
                text(v, "hyperform_jump_host"), words, settings.user(), settings.privateKeys(),
                settings.connectTimeout(), settings.keepAlive(), controlDir);
        return new OpenSshTransport(host.name(), args, this::warn, opened::incrementAndGet);
    }

    /** Where the OpenSSH masters' sockets are: hyperform_control_path_dir, else ~/.hyperform/cp. */
    private static Path controlDir(Map<String, Object> v) {
        String home = System.getProperty("user.home");
        return text(v, "hyperform_control_path_dir").map(d -> Path.of(d.replaceFirst("^~", home)))
                .orElse(Path.of(home, ".hyperform", "cp"));
    }

    private static SshOptions sshOptions(Host host) {
        Map<String, String> args = new LinkedHashMap<>();
        for (String name : SshArgs.VARIABLES) {
            text(host.vars(), name).ifPresent(a -> args.put(name, a));
        }
        return SshArgs.parse(host.name(), args);
    }

    /**
     * The jump list as smart sees it: arguments the built-in client cannot read (an OpenSSH option it lacks) leave
     * OpenSSH's client as the only one that can, so they count as no jump list here.
     */
    private List<JumpHop> smartHops(Host host) {
        try {
            return jumpHops(host);
        } catch (TransportException e) {
            return List.of();
        }
    }

    /** hyperform_jump_host (a ProxyJump list, or none) wins over the ProxyJump of the host's ssh arguments. */
    private List<JumpHop> jumpHops(Host host) {
        Optional<String> own = text(host.vars(), "hyperform_jump_host");
        if (own.isPresent()) {
            try {
                return JumpHop.list(own.get());
            } catch (IllegalArgumentException e) {
                throw new TransportException(host.name(), "hyperform_jump_host: " + e.getMessage(),
                        "write [user@]host[:port], a comma-separated list of them, or none", e);
            }
        }
        return sshOptions(host).jump().orElse(List.of());
    }

    /**
     * {@code shell} (the default): one long-lived shell per connection carries every command; {@code exec}: one SSH
     * exec channel per command, for targets where a persistent shell is not wanted.
     */
    static boolean persistentShell(String mode, String host) {
        if (mode == null || mode.isBlank() || mode.equals("shell")) {
            return true;
        }
        if (mode.equals("exec")) {
            return false;
        }
        throw new TransportException(host, "session mode '" + mode + "' is not known",
                "set hyperform_session (or HYPERFORM_SESSION) to shell or exec", null);
    }

    /** Ctrl-C: end the commands running on the targets now (each transport ends its own). */
    public void stopRunning() {
        transports.values().parallelStream().forEach(Transport::stopRunning);
    }

    /** Wait, at most {@code max} in all, until every host's ends of its commands are done (see {@link #stopRunning}). */
    public void awaitStops(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        for (Transport t : transports.values()) {
            t.awaitStops(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    private void warn(String message) {
        synchronized (earlyWarnings) {
            if (warningListeners.isEmpty()) {
                earlyWarnings.add(message);
                return;
            }
        }
        warningListeners.forEach(l -> l.accept(message));
    }

    private static Optional<Object> value(Map<String, Object> vars, String... names) {
        for (String n : names) {
            Object o = vars.get(n);
            if (o != null) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> text(Map<String, Object> vars, String... names) {
        return value(vars, names).map(o -> o instanceof Secret s ? s.reveal() : String.valueOf(o));
    }

    @Override
    public void close() {
        synchronized (shared) {
            for (Object o : shared.values()) {
                if (o instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // closing at the end of the run: nothing more to do
                    }
                }
            }
            shared.clear();
        }
        transports.values().forEach(Transport::close);
        transports.clear();
        jumps.close();
    }
}
