package dev.hyperform.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.inventory.Host;
import dev.hyperform.transport.openssh.OpenSshTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code connection: openssh} from a host's variables or the run's {@code -c}: which ssh line the host gets, and what
 * it refuses before any process starts.
 */
class OpenSshConnectionTest {

    private static ConnectionSettings run(String connection) {
        ConnectionSettings d = ConnectionSettings.defaults();
        return new ConnectionSettings(d.hostKeyPolicy(), d.knownHosts(), Optional.of("runuser"), d.privateKeys(),
                Duration.ofSeconds(7), d.keepAlive(), Optional.ofNullable(connection));
    }

    @Test
    void theHostsVariablesMakeItsSshLine() {
        Host h = new Host("node1", Map.of("ansible_connection", "openssh", "ansible_host", "10.1.2.3",
                "ansible_user", "ops", "ansible_port", "2222", "ansible_ssh_private_key_file", "/keys/id",
                "hyperform_known_hosts", "/keys/known", "ansible_ssh_common_args", "-o 'ProxyCommand=nc %h %p'"));
        try (Connections c = new Connections(run(null))) {
            OpenSshTransport t = assertInstanceOf(OpenSshTransport.class, c.get(h));
            String line = String.join(" ", t.command());
            assertTrue(line.startsWith("ssh -o BatchMode=yes "), line);
            assertTrue(line.contains("-o UserKnownHostsFile=/keys/known -o User=ops -o Port=2222 -i /keys/id "
                    + "-o ProxyCommand=nc %h %p -o StrictHostKeyChecking=yes -o User=runuser -o ConnectTimeout=7"), line);
            assertTrue(line.matches(".* -o ControlPath=" + java.util.regex.Pattern.quote(Path.of(System.getProperty(
                    "user.home"), ".hyperform", "cp") + "/%C-") + "[0-9a-f]{8} -T 10\\.1\\.2\\.3"), line);
        }
    }

    @Test
    void theRunsConnectionFlagAppliesToHostsThatNameNone() {
        try (Connections c = new Connections(run("openssh"))) {
            assertInstanceOf(OpenSshTransport.class, c.get(new Host("a", Map.of())));
            assertInstanceOf(LocalTransport.class, c.get(new Host("b", Map.of("ansible_connection", "local"))));
            OpenSshTransport t = assertInstanceOf(OpenSshTransport.class,
                    c.get(new Host("c", Map.of("hyperform_control_path_dir", "/run/cp"))));
            assertTrue(t.command().stream().anyMatch(w -> w.startsWith("ControlPath=/run/cp/%C-")), t.command().toString());
        }
    }

    /**
     * A master is shared only by runs that would make the same connection: another key, known-hosts file, policy or
     * option logs in anew (and checks the host's key then); the same variables find the same master.
     */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "ansible_ssh_private_key_file | /keys/other | true",
            "hyperform_known_hosts | /keys/known2 | true",
            "hyperform_host_key_policy | accept-new | true",
            "ansible_ssh_common_args | -o Compression=yes | true",
            "ansible_user | ops | true",
            "hyperform_control_path_dir | /run/cp | true",
            "ansible_python_interpreter | /usr/bin/python3 | false"})
    void aMasterIsSharedOnlyByTheSameConnection(String variable, String value, boolean differs) {
        Map<String, Object> base = Map.of("ansible_connection", "openssh", "ansible_host", "10.1.2.3",
                "ansible_ssh_private_key_file", "/keys/id", "hyperform_known_hosts", "/keys/known");
        Map<String, Object> other = new java.util.HashMap<>(base);
        other.put(variable, value);
        try (Connections c = new Connections(run(null))) {
            String a = controlPath(c.get(new Host("a", base)));
            String b = controlPath(c.get(new Host("b", other)));
            assertEquals(differs, !a.equals(b), a + " / " + b);
        }
    }

    private static String controlPath(Transport t) {
        return ((OpenSshTransport) t).command().stream().filter(w -> w.startsWith("ControlPath=")).findFirst()
                .orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ansible_password | secret | not with a password | connection: ssh for a password login",
            "hyperform_session | exec | shell session only | connection: ssh for hyperform_session=exec",
            "ansible_ssh_common_args | -o 'unclosed | cannot be split into arguments | fix its quoting"})
    void whatItCannotDoIsRefusedNamingTheHostAndTheWayOut(String variable, String value, String says, String hint) {
        Host h = new Host("node9", Map.of("ansible_connection", "openssh", variable, value));
        try (Connections c = new Connections(run(null))) {
            TransportException e = assertThrows(TransportException.class, () -> c.get(h));
            assertTrue(e.getMessage().startsWith("node9: ") && e.getMessage().contains(says), e.getMessage());
            assertTrue(e.hint().contains(hint), e.hint());
            assertEquals(0, c.opened(), "nothing was started");
        }
    }
}
