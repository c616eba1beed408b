package dev.hyperform.transport.openssh;

import dev.hyperform.transport.HostKeyPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one host's {@code ssh} command line is built from ({@link #command}). OpenSSH keeps the first value it gets for
 * an option, so the order says what wins: the host's own variables ({@code hyperform_*}, {@code ansible_user},
 * {@code ansible_port}, {@code ansible_ssh_private_key_file}) and a run told not to check host keys come first; then
 * the inventory's {@code ansible_ssh_args}, {@code ansible_ssh_common_args} and {@code ansible_ssh_extra_args} as they
 * are written (every OpenSSH option works, as with Ansible); then the run's defaults (-u, --private-key, the connect
 * timeout) and the connection sharing: {@code ControlMaster=auto}, {@code ControlPersist=60s} and a
 * {@code ControlPath} under {@code controlDir}, which the inventory's arguments may set otherwise. The socket's name is
 * OpenSSH's {@code %C} (local host, address, port, user, jump list) and a digest of the rest of the line: a master is
 * shared only by runs that would make the very same connection, so another key, known-hosts file or host key policy
 * logs in anew and checks the host's key then.
 *
 * @param address    ansible_host or the inventory name
 * @param user       the host's own user variable, if any
 * @param port       the host's own port variable, if any
 * @param keys       the host's own key file, if any
 * @param knownHosts the host's hyperform_known_hosts and the run's known-hosts files (empty: OpenSSH's own)
 * @param policy     host key checking when the host or the run sets it; else the inventory's arguments, else strict
 * @param jump       hyperform_jump_host, if set (OpenSSH's -J syntax, or none); it replaces a -J of the inventory's
 *                   arguments, as ssh takes only one
 * @param inventory  the words of the inventory's ssh argument variables, in Ansible's order
 * @param runUser    the run's -u, used when neither the host nor its arguments name a user
 * @param runKeys    the run's --private-key files, used when the host names none
 */
public record OpenSshArgs(String address, Optional<String> user, Optional<Integer> port, List<Path> keys,
                          List<Path> knownHosts, Optional<HostKeyPolicy> policy, Optional<String> jump,
                          List<String> inventory, Optional<String> runUser, List<Path> runKeys,
                          Duration connectTimeout, Duration keepAlive, Path controlDir) {

    /** {@code ssh}'s arguments up to and including the address; the remote command follows them. */
    public List<String> command() {
        List<String> a = new ArrayList<>();
        a.add("ssh");
        // a password or passphrase prompt would wait for a person who is not there: fail instead
        option(a, "BatchMode", "yes");
        policy.ifPresent(p -> hostKeys(a, p));
        if (!knownHosts.isEmpty()) {
            option(a, "UserKnownHostsFile", String.join(" ", knownHosts.stream().map(Path::toString).toList()));
        }
        jump.ifPresent(j -> option(a, "ProxyJump", j));
        user.ifPresent(u -> option(a, "User", u));
        port.ifPresent(p -> option(a, "Port", Integer.toString(p)));
        for (Path k : keys) {
            a.add("-i");
            a.add(k.toString());
        }
        for (int i = 0; i < inventory.size(); i++) {
            String w = inventory.get(i);
            if (jump.isPresent() && w.startsWith("-J")) {
                i += w.equals("-J") ? 1 : 0; // ssh takes one jump list: hyperform_jump_host's
                continue;
            }
            a.add(w);
        }
        if (policy.isEmpty()) {
            hostKeys(a, HostKeyPolicy.STRICT);
        }
        runUser.ifPresent(u -> option(a, "User", u));
        if (keys.isEmpty()) {
            for (Path k : runKeys) {
                a.add("-i");
                a.add(k.toString());
            }
        }
        option(a, "ConnectTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
        option(a, "ServerAliveInterval", Long.toString(Math.max(1, keepAlive.toSeconds())));
        option(a, "ControlMaster", "auto");
        option(a, "ControlPersist", "60s");
        option(a, "ControlPath", controlDir.resolve("%C-" + digest(a)).toString());
        a.add("-T");
        a.add(address);
        return a;
    }

    /** The first 8 hex digits of the SHA-256 of the words so far, joined with NULs, and the address. */
    private String digest(List<String> words) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (String w : words) {
                md.update(w.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            md.update(address.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(md.digest(), 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void hostKeys(List<String> a, HostKeyPolicy p) {
        switch (p) {
            case STRICT -> option(a, "StrictHostKeyChecking", "yes");
            case ACCEPT_NEW -> option(a, "StrictHostKeyChecking", "accept-new");
            case OFF -> {
                option(a, "StrictHostKeyChecking", "no");
                option(a, "UserKnownHostsFile", "/dev/null");
            }
        }
    }

    private static void option(List<String> a, String name, String value) {
        a.add("-o");
        a.add(name + "=" + value);
    }
}
