package dev.hyperform.transport.ssh;

import dev.hyperform.transport.HostUnreachableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.password.PasswordUtils;

/**
 * Logging in on a connected client the way OpenSSH does: the host's key files first when the inventory names them,
 * then ssh-agent's keys, then the default key files, then a password; the error lists everything tried.
 */
final class SshLogin {

    private SshLogin() {
    }

    static void authenticate(SSHClient c, SshEndpoint endpoint, String where) {
        List<String> tried = new ArrayList<>();
        try {
            List<KeyProvider> keys = new ArrayList<>();
            String passphrase = System.getenv("HYPERFORM_KEY_PASSPHRASE");
            for (Path k : keyFiles(endpoint)) {
                tried.add(k.toString());
                keys.add(passphrase == null ? c.loadKeys(k.toString())
                        : c.loadKeys(k.toString(), PasswordUtils.createOneOff(passphrase.toCharArray())));
            }
            if (!keys.isEmpty() && !endpoint.keyFiles().isEmpty()) {
                if (tryKeys(c, endpoint, keys)) {
                    return;
                }
            }
            if (endpoint.agentSocket().isPresent() && tryAgent(c, endpoint, tried)) {
                return;
            }
            if (!keys.isEmpty() && endpoint.keyFiles().isEmpty() && tryKeys(c, endpoint, keys)) {
                return;
            }
            if (endpoint.password().isPresent()) {
                tried.add("password");
                c.authPassword(endpoint.user(), endpoint.password().get().reveal());
                return;
            }
            throw new IOException(tried.isEmpty() ? "no private key, ssh-agent key or password to try" : "no key was accepted");
        } catch (IOException e) {
            SshTransport.closeQuietly(c);
            throw new HostUnreachableException(endpoint.name(), "authentication as '" + endpoint.user() + "' at "
                    + where + " failed (tried: " + String.join(", ", tried) + "): " + SshTransport.reason(e),
                    "set ansible_user and ansible_ssh_private_key_file (or ansible_password) for this host", e);
        }
    }

    private static boolean tryKeys(SSHClient c, SshEndpoint endpoint, List<KeyProvider> keys) {
        try {
            c.authPublickey(endpoint.user(), keys);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Keys held by ssh-agent (SSH_AUTH_SOCK or hyperform_agent_socket), tried like OpenSSH does before key files. */
    private static boolean tryAgent(SSHClient c, SshEndpoint endpoint, List<String> tried) {
        Path sock = endpoint.agentSocket().get();
        AgentClient agent = new AgentClient(sock);
        try {
            for (AgentClient.Identity id : agent.identities()) {
                tried.add("ssh-agent key " + id.comment());
                try {
                    c.auth(endpoint.user(), AgentAuth.of(agent, id));
                    return true;
                } catch (IOException e) {
                    // next key
                }
            }
        } catch (IOException e) {
            tried.add("ssh-agent at " + sock + " (" + e.getMessage() + ")");
        }
        return false;
    }

    private static List<Path> keyFiles(SshEndpoint endpoint) {
        if (!endpoint.keyFiles().isEmpty()) {
            return endpoint.keyFiles();
        }
        List<Path> found = new ArrayList<>();
        Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
        for (String n : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
            if (Files.isReadable(ssh.resolve(n))) {
                found.add(ssh.resolve(n));
            }
        }
        return found;
    }
}
