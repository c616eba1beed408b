package dev.hyperform.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.inventory.Host;
import dev.hyperform.transport.openssh.OpenSshTransport;
import dev.hyperform.transport.ssh.SshTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The default connection, smart: OpenSSH's client with its shared master for a host that needs nothing only the
 * built-in client has, the built-in client otherwise, decided from the host's variables before anything starts.
 */
class SmartConnectionTest {

    private static ConnectionSettings run(String connection) {
        ConnectionSettings d = ConnectionSettings.defaults();
        return new ConnectionSettings(d.hostKeyPolicy(), d.knownHosts(), d.user(), d.privateKeys(),
                Duration.ofSeconds(5), d.keepAlive(), Optional.ofNullable(connection));
    }

    /** "variable=value" pairs separated by ';' (empty: none), the run's -c (empty: none), and what the host gets. */
    @ParameterizedTest(name = "{0} with -c ''{1}'' -> {2}")
    @CsvSource(delimiter = '|', value = {
            "'' | '' | openssh",
            "'' | smart | openssh",
            "ansible_connection=smart | ssh | openssh",
            "'' | ssh | ssh",
            "ansible_connection=ssh | '' | ssh",
            "'' | openssh | openssh",
            "ansible_host=10.1.2.3;ansible_user=ops;ansible_port=2222 | '' | openssh",
            "ansible_ssh_common_args=-o ServerAliveInterval=5 | '' | openssh",
            "ansible_ssh_common_args=-o Compression=yes -F /etc/ssh/other_config | '' | openssh",
            "ansible_password=secret | '' | ssh",
            "ansible_ssh_pass=secret | '' | ssh",
            "hyperform_session=exec | '' | ssh",
            "hyperform_jump_host=bastion.example | '' | ssh",
            "ansible_ssh_common_args=-J ops@bastion.example | '' | ssh",
            "ansible_ssh_common_args=-o ProxyJump=bastion.example | '' | ssh",
            "hyperform_jump_host=none | '' | openssh",
            "hyperform_agent_socket=/run/agent.sock | '' | ssh",
            "hyperform_control_path_dir=/run/a/control/directory/far/too/deep/for/a/unix/socket/name | '' | ssh",
            "ansible_connection=local | '' | local"})
    void eachHostGetsTheClientItsVariablesAllow(String vars, String flag, String expected) {
        Host h = new Host("node1", parse(vars));
        try (Connections c = new Connections(run(flag.isEmpty() ? null : flag), List.of(h))) {
            Transport t = c.get(h);
            Class<?> want = switch (expected) {
                case "openssh" -> OpenSshTransport.class;
                case "ssh" -> SshTransport.class;
                default -> LocalTransport.class;
            };
            assertInstanceOf(want, t, vars);
            assertEquals(expected.equals("local") ? 1 : 0, c.opened(), "choosing opens no connection");
            String client = c.client(h);
            assertTrue(client.startsWith(expected), client);
            assertEquals(expected.equals("ssh") && !flag.equals("ssh") && !vars.contains("ansible_connection=ssh"),
                    client.startsWith("ssh (built-in: "), "smart says why it picked the built-in client: " + client);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "-o ProxyJump=jump | ssh",
            "-J jump | ssh",
            "-J 10.0.0.9 | ssh",
            "-J elsewhere.example | openssh"})
    void aHostThatCarriesAnotherHostsTunnelsKeepsTheBuiltInClient(String targetArgs, String expected) {
        Host jump = new Host("jump", Map.of("ansible_host", "10.0.0.9"));
        Host target = new Host("target", Map.of("ansible_ssh_common_args", targetArgs));
        try (Connections c = new Connections(run(null), List.of(jump, target))) {
            Class<? extends Transport> want = expected.equals("ssh") ? SshTransport.class : OpenSshTransport.class;
            assertInstanceOf(want, c.get(jump));
            assertInstanceOf(SshTransport.class, c.get(target));
        }
    }

    /**
     * A host added during the run (add_host) may name as its jump host an inventory host that smart already gave
     * OpenSSH: the tunnel then rides a built-in connection of the jump host's own, and the jump host keeps its master.
     */
    @org.junit.jupiter.api.Test
    void aJumpHostNamedOnlyByAHostAddedLaterCarriesTheTunnelOnABuiltInConnection() {
        Host jump = new Host("jump", Map.of("ansible_host", "10.0.0.9"));
        Host added = new Host("guest", Map.of("ansible_host", "192.168.122.5", "ansible_ssh_common_args", "-J jump"));
        try (Connections c = new Connections(run(null), List.of(jump))) {
            assertInstanceOf(OpenSshTransport.class, c.get(jump));
            SshTransport guest = assertInstanceOf(SshTransport.class, c.get(added));
            dev.hyperform.transport.ssh.JumpRoute route = assertInstanceOf(dev.hyperform.transport.ssh.JumpRoute.class,
                    guest.endpoint().route());
            assertEquals("10.0.0.9", route.jump().endpoint().address());
            assertInstanceOf(OpenSshTransport.class, c.get(jump), "the jump host's own commands keep its master");
            assertEquals(0, c.opened(), "nothing connected yet");
        }
    }

    @org.junit.jupiter.api.Test
    void withoutAnSshClientOnPathEveryHostGetsTheBuiltInClient() {
        Host h = new Host("node1", Map.of());
        SmartChoice none = new SmartChoice(List.of(h), x -> List.of(), false);
        assertEquals(Optional.of("no ssh client on PATH"), none.builtInBecause(h, false, Path.of("/tmp"), true, List.of()));
        assertEquals(Optional.empty(), new SmartChoice(List.of(h), x -> List.of(), true)
                .builtInBecause(h, false, Path.of("/tmp"), true, List.of()));
    }

    private static Map<String, Object> parse(String vars) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String pair : vars.split(";")) {
            if (!pair.isBlank()) {
                int eq = pair.indexOf('=');
                m.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return m;
    }
}
