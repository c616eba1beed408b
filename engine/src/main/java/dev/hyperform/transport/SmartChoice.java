package dev.hyperform.transport;

import dev.hyperform.inventory.Host;
import dev.hyperform.transport.ssh.JumpHop;
import dev.hyperform.transport.ssh.SshArgs;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What {@code connection: smart} (the default) picks for one host: the system's OpenSSH client, whose shared master
 * outlives the run, wherever the host needs nothing only the built-in client has; else the built-in client. As
 * Ansible's own {@code smart} once chose between OpenSSH and paramiko, the choice is made per host, from the host's
 * variables and the machine, before any connection opens, and says why.
 *
 * <p>The built-in client is kept for: a password login; {@code hyperform_session: exec}; a jump list (inventory
 * hosts named there are reached through their own connections, which OpenSSH cannot reuse); a host that is another
 * inventory host's jump host (it carries their tunnels); an agent socket named by {@code hyperform_agent_socket}; a
 * control socket path longer than a Unix socket allows; and a machine without {@code ssh} on its PATH.
 */
final class SmartChoice {
    /**
     * The longest control directory: a socket's name is {@code /}, {@code %C} (40 characters), {@code -} and 8 hex
     * digits, and ssh adds 17 characters while it creates it; sun_path holds 104 bytes on BSDs, 108 on Linux.
     */
    private static final int MAX_CONTROL_DIR = 103 - 1 - 40 - 1 - 8 - 17;

    private final Collection<Host> inventory;
    private final Function<Host, List<JumpHop>> hopsOf;
    private final boolean sshInstalled;
    private Set<String> jumpTargets;

    SmartChoice(Collection<Host> inventory, Function<Host, List<JumpHop>> hopsOf, boolean sshInstalled) {
        this.inventory = inventory;
        this.hopsOf = hopsOf;
        this.sshInstalled = sshInstalled;
    }

    /** Whether the machine has OpenSSH's client: an executable {@code ssh} in a directory of PATH. */
    static boolean sshOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "ssh"))) {
                return true;
            }
        }
        return false;
    }

    /** Why this host gets the built-in client, or empty when OpenSSH's client serves it. */
    synchronized Optional<String> builtInBecause(Host host, boolean password, Path controlDir, boolean persistentShell,
                                                 List<JumpHop> ownHops) {
        Map<String, Object> v = host.vars();
        if (!sshInstalled) {
            return Optional.of("no ssh client on PATH");
        }
        if (password) {
            return Optional.of("a password login");
        }
        if (!persistentShell) {
            return Optional.of("hyperform_session: exec");
        }
        if (!ownHops.isEmpty()) {
            return Optional.of("a jump list");
        }
        if (v.get("hyperform_agent_socket") != null) {
            return Optional.of("hyperform_agent_socket");
        }
        if (controlDir.toString().length() > MAX_CONTROL_DIR) {
            return Optional.of("the control socket path under " + controlDir + " would be too long");
        }
        Set<String> targets = jumpTargets();
        Object address = Optional.ofNullable(v.get("hyperform_host")).or(() -> Optional.ofNullable(v.get("ansible_host")))
                .orElse(v.get("ansible_ssh_host"));
        if (targets.contains(host.name()) || (address != null && targets.contains(String.valueOf(address)))) {
            return Optional.of("it is another host's jump host");
        }
        return Optional.empty();
    }

    /** Every name or address a jump list of the inventory names (read once, on the first choice). */
    private Set<String> jumpTargets() {
        if (jumpTargets == null) {
            Set<String> t = new HashSet<>();
            for (Host h : inventory) {
                Map<String, Object> v = h.vars();
                if (v.get("hyperform_jump_host") == null && !SshArgs.VARIABLES.stream().anyMatch(v::containsKey)) {
                    continue;
                }
                try {
                    hopsOf.apply(h).forEach(hop -> t.add(hop.host()));
                } catch (RuntimeException e) {
                    // that host's own connection reports its bad jump list
                }
            }
            jumpTargets = t;
        }
        return jumpTargets;
    }
}
