package dev.hyperform.transport.ssh;

import dev.hyperform.inventory.InventoryWords;
import dev.hyperform.transport.HostKeyPolicy;
import dev.hyperform.transport.TransportException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads the OpenSSH command-line arguments Ansible users put in {@code ansible_ssh_args}, {@code ansible_ssh_common_args}
 * and {@code ansible_ssh_extra_args}, split like a shell as Ansible does. Honoured: {@code -o ProxyJump} and
 * {@code -J}, {@code -o ProxyCommand='ssh -W %h:%p [user@]host'}, {@code StrictHostKeyChecking},
 * {@code UserKnownHostsFile}, {@code ConnectTimeout}, {@code ServerAliveInterval}, {@code Port}/{@code -p},
 * {@code User}/{@code -l}, {@code IdentityFile}/{@code -i}. Accepted without effect, because hyperform already does
 * what they ask: {@code ControlMaster}, {@code ControlPersist}, {@code ControlPath} (one persistent connection per
 * host), {@code BatchMode} (never prompts), {@code LogLevel} and {@code -q} (prints no ssh client messages). Anything
 * else is refused naming the option and the variable: hyperform's SSH client is sshj, not OpenSSH, and an option
 * silently dropped would connect differently from what the inventory says. As in OpenSSH, the first value of an
 * option wins, and the variables are read in the order Ansible puts them on ssh's command line.
 */
public final class SshArgs {
    /** The variables, in the order Ansible's ssh connection puts them on the command line. */
    public static final List<String> VARIABLES = List.of("ansible_ssh_args", "ansible_ssh_common_args",
            "ansible_ssh_extra_args");
    private static final Set<String> NO_EFFECT = Set.of("controlmaster", "controlpersist", "controlpath", "batchmode",
            "loglevel");
    static final String HONOURED = "ProxyJump (-J), ProxyCommand='ssh -W %h:%p HOST', StrictHostKeyChecking, "
            + "UserKnownHostsFile, ConnectTimeout, ServerAliveInterval, Port (-p), User (-l), IdentityFile (-i); "
            + "ControlMaster, ControlPersist, ControlPath, BatchMode, LogLevel and -q have no effect (see docs/ssh.md)";

    private final String host;
    private final Set<String> seen = new HashSet<>();
    private Optional<List<JumpHop>> jump = Optional.empty();
    private Optional<HostKeyPolicy> policy = Optional.empty();
    private Optional<List<Path>> known = Optional.empty();
    private Optional<Duration> connectTimeout = Optional.empty();
    private Optional<Duration> keepAlive = Optional.empty();
    private OptionalInt port = OptionalInt.empty();
    private Optional<String> user = Optional.empty();
    private final List<Path> identities = new ArrayList<>();

    private SshArgs(String host) {
        this.host = host;
    }

    /** The options of one host from its variables (values of {@link #VARIABLES}; others are not read). */
    public static SshOptions parse(String host, Map<String, String> vars) {
        SshArgs a = new SshArgs(host);
        for (String name : VARIABLES) {
            String text = vars.get(name);
            if (text != null && !text.isBlank()) {
                a.read(name, text);
            }
        }
        return new SshOptions(a.jump, a.policy, a.known, a.connectTimeout, a.keepAlive, a.port, a.user,
                List.copyOf(a.identities));
    }

    private void read(String variable, String text) {
        List<String> words;
        try {
            words = InventoryWords.split(text);
        } catch (RuntimeException e) {
            throw refused(variable, "cannot be split into arguments: " + e.getMessage(), "fix its quoting");
        }
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("-q")) {
                continue;
            }
            if (w.length() >= 2 && w.charAt(0) == '-' && "oJpli".indexOf(w.charAt(1)) >= 0) {
                String value;
                if (w.length() > 2) {
                    value = w.substring(2);
                } else if (i + 1 < words.size()) {
                    value = words.get(++i);
                } else {
                    throw refused(variable, "'" + w + "' needs a value", "write e.g. " + w + " VALUE");
                }
                switch (w.charAt(1)) {
                    case 'o' -> option(variable, value);
                    case 'J' -> set(variable, "proxyjump", "-J", value);
                    case 'p' -> set(variable, "port", "-p", value);
                    case 'l' -> set(variable, "user", "-l", value);
                    default -> set(variable, "identityfile", "-i", value);
                }
                continue;
            }
            throw refused(variable, "ssh argument '" + w + "' is not supported by hyperform's SSH client (sshj)",
                    "remove it from " + variable + ", or use connection: openssh, whose ssh takes every argument; "
                            + "hyperform's client reads -o OPTION=VALUE, -J, -p, -l, -i and -q. Options: " + HONOURED);
        }
    }

    /** {@code Key=Value}, {@code Key Value} or {@code Key = Value}, the key in any case, as OpenSSH reads {@code -o}. */
    private void option(String variable, String text) {
        String t = text.strip();
        int cut = 0;
        while (cut < t.length() && t.charAt(cut) != '=' && !Character.isWhitespace(t.charAt(cut))) {
            cut++;
        }
        String key = t.substring(0, cut);
        String value = t.substring(cut).strip();
        if (value.startsWith("=")) {
            value = value.substring(1).strip();
        }
        if (key.isEmpty() || value.isEmpty()) {
            throw refused(variable, "'-o " + text + "' is not KEY=VALUE", "write e.g. -o ProxyJump=bastion");
        }
        set(variable, key.toLowerCase(Locale.ROOT), key, value);
    }

    private void set(String variable, String key, String shown, String value) {
        if (NO_EFFECT.contains(key)) {
            return;
        }
        if (key.equals("identityfile")) {
            identities.add(path(value)); // OpenSSH tries every IdentityFile given
            return;
        }
        if (!seen.add(key.equals("proxycommand") ? "proxyjump" : key)) {
            return; // the first value wins, as in OpenSSH
        }
        try {
            switch (key) {
                case "proxyjump" -> jump = Optional.of(JumpHop.list(value));
                case "proxycommand" -> jump = Optional.of(ProxyCommand.hops(value));
                case "stricthostkeychecking" -> policy = Optional.of(policy(value));
                case "userknownhostsfile" -> known = Optional.of(value.equalsIgnoreCase("none") ? List.of()
                        : Arrays.stream(value.trim().split("\\s+")).map(SshArgs::path).toList());
                case "connecttimeout" -> connectTimeout = Optional.of(Duration.ofSeconds(number(value, 1)));
                case "serveraliveinterval" -> keepAlive = Optional.of(Duration.ofSeconds(number(value, 0)));
                case "port" -> port = OptionalInt.of(number(value, 1));
                case "user" -> user = Optional.of(value);
                default -> throw refused(variable, "ssh option '" + shown + "' is not supported by hyperform's "
                        + "SSH client (sshj, not OpenSSH)", "remove it from " + variable + ", or use connection: openssh, whose "
                        + "ssh takes every option. Supported here: " + HONOURED);
            }
        } catch (IllegalArgumentException e) {
            throw refused(variable, "ssh option " + shown + ": " + e.getMessage(), "see docs/ssh.md for the forms read");
        }
    }

    private static HostKeyPolicy policy(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "yes", "ask" -> HostKeyPolicy.STRICT;
            case "accept-new" -> HostKeyPolicy.ACCEPT_NEW;
            case "no", "off" -> HostKeyPolicy.OFF;
            default -> throw new IllegalArgumentException("'" + value + "' is not yes, accept-new, no, off or ask");
        };
    }

    private static int number(String value, int min) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= 65535) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("'" + value + "' is not a whole number from " + min + " to 65535");
    }

    private static Path path(String p) {
        return Path.of(p.startsWith("~/") || p.equals("~") ? System.getProperty("user.home") + p.substring(1) : p);
    }

    private TransportException refused(String variable, String what, String hint) {
        return new TransportException(host, variable + ": " + what, hint, null);
    }
}
