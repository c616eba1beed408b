package dev.hyperform.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.inventory.Host;
import dev.hyperform.transport.ssh.JumpRoute;
import dev.hyperform.transport.ssh.SshEndpoint;
import dev.hyperform.transport.ssh.SshRoute;
import dev.hyperform.transport.ssh.SshTransport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How a host's jump list becomes its route, without connecting: inventory jump hosts lend their own transport (one
 * connection per host), other jump hosts get one shared connection, and the inventory's ssh arguments are honoured.
 */
class JumpHostsTest {
    /** The built-in client for every host (under smart, a host with no jump list would get OpenSSH's). */
    private static final ConnectionSettings BUILT_IN = builtIn();

    private static ConnectionSettings builtIn() {
        ConnectionSettings d = ConnectionSettings.defaults();
        return new ConnectionSettings(d.hostKeyPolicy(), d.knownHosts(), d.user(), d.privateKeys(), d.connectTimeout(),
                d.keepAlive(), java.util.Optional.of("ssh"));
    }

    private static Host host(String name, String... kv) {
        Map<String, Object> vars = new LinkedHashMap<>(Map.of("ansible_host", "10.0.0." + name.replaceAll("\\D", ""),
                "ansible_user", "root"));
        for (int i = 0; i < kv.length; i += 2) {
            vars.put(kv[i], kv[i + 1]);
        }
        return new Host(name, vars);
    }

    private static SshEndpoint endpoint(Connections c, Host h) {
        return ((SshTransport) c.get(h)).endpoint();
    }

    private static SshTransport jumpOf(Connections c, Host h) {
        return assertInstanceOf(JumpRoute.class, endpoint(c, h).route()).jump();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "ansible_ssh_common_args | -o ProxyJump=node1",
            "ansible_ssh_common_args | -o ProxyJump=root@node1:22",
            "ansible_ssh_extra_args  | -J node1",
            "ansible_ssh_common_args | -o ProxyJump=10.0.0.1",
            "ansible_ssh_common_args | -o ProxyCommand='ssh -W %h:%p node1'",
            "hyperform_jump_host     | node1",
    })
    void anInventoryJumpHostLendsItsOwnConnection(String variable, String value) {
        Host node1 = host("node1");
        Host node2 = host("node2", variable, value);
        try (Connections c = new Connections(BUILT_IN, List.of(node1, node2))) {
            assertSame(c.get(node1), jumpOf(c, node2), "the tunnel rides on node1's own transport");
            assertEquals("10.0.0.2", endpoint(c, node2).address(), "the target's address as the jump host sees it");
            assertSame(SshRoute.DIRECT, endpoint(c, node1).route());
        }
    }

    @Test
    void theJumpHostVariableWinsOverProxyJumpAndNoneMeansDirect() {
        Host node1 = host("node1");
        Host node3 = host("node3");
        Host node2 = host("node2", "ansible_ssh_common_args", "-o ProxyJump=node3", "hyperform_jump_host", "node1");
        Host node4 = host("node4", "ansible_ssh_common_args", "-o ProxyJump=node3", "hyperform_jump_host", "none");
        try (Connections c = new Connections(BUILT_IN, List.of(node1, node2, node3, node4))) {
            assertSame(c.get(node1), jumpOf(c, node2));
            assertSame(SshRoute.DIRECT, endpoint(c, node4).route());
        }
    }

    @Test
    void aJumpHostOutsideTheInventoryIsOneSharedConnectionWithTheHopsUserAndPort() {
        Host node2 = host("node2", "ansible_ssh_common_args", "-J ops@bastion:2222");
        Host node3 = host("node3", "ansible_ssh_common_args", "-o ProxyJump=ops@bastion:2222",
                "ansible_ssh_private_key_file", "/keys/k");
        try (Connections c = new Connections(BUILT_IN, List.of(node2, node3))) {
            SshTransport bastion = jumpOf(c, node2);
            assertSame(bastion, jumpOf(c, node3), "one connection to the bastion for both hosts");
            assertEquals("bastion", bastion.endpoint().address());
            assertEquals(2222, bastion.endpoint().port());
            assertEquals("ops", bastion.endpoint().user());
            assertEquals(endpoint(c, node2).knownHosts(), bastion.endpoint().knownHosts());
        }
    }

    @Test
    void chainedJumpsTunnelThroughEachHopInTurn() {
        Host node1 = host("node1", "ansible_ssh_common_args", "-J bastion");
        Host node2 = host("node2", "ansible_ssh_common_args", "-J bastion,node1");
        Host node3 = host("node3", "ansible_ssh_common_args", "-J node1");
        Host node4 = host("node4", "ansible_ssh_common_args", "-J bastion,gw:2200");
        try (Connections c = new Connections(BUILT_IN, List.of(node1, node2, node3, node4))) {
            assertSame(c.get(node1), jumpOf(c, node2));
            assertSame(c.get(node1), jumpOf(c, node3), "an inventory jump host is reached by its own variables");
            SshTransport bastion = jumpOf(c, node1);
            assertEquals("bastion", bastion.endpoint().address());
            SshTransport gw = jumpOf(c, node4);
            assertEquals("gw", gw.endpoint().address());
            assertSame(bastion, assertInstanceOf(JumpRoute.class, gw.endpoint().route()).jump(), "gw through bastion");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "-J node2                       | names itself as its jump host",
            "-J hf@node1                    | another user or port than its own (root, port 22)",
            "-J node1:2222                  | another user or port than its own",
            "-J bastion,node1               | jump host node1 is an inventory host reached directly, not through bastion",
            "-o ProxyJump=node1 -o Ciphers=aes128-ctr | 'Ciphers'",
    })
    void refusedJumpListsSayWhy(String args, String message) {
        Host node1 = host("node1");
        Host node2 = host("node2", "ansible_ssh_common_args", args);
        try (Connections c = new Connections(BUILT_IN, List.of(node1, node2))) {
            TransportException e = assertThrows(TransportException.class, () -> c.get(node2));
            assertTrue(e.getMessage().startsWith("node2: "), e.getMessage());
            assertTrue(e.getMessage().contains(message), e.getMessage());
        }
    }

    @Test
    void jumpHostsThatJumpThroughEachOtherAreALoop() {
        Host node1 = host("node1", "hyperform_jump_host", "node3");
        Host node2 = host("node2", "hyperform_jump_host", "node1");
        Host node3 = host("node3", "hyperform_jump_host", "node2");
        try (Connections c = new Connections(BUILT_IN, List.of(node1, node2, node3))) {
            TransportException e = assertThrows(TransportException.class, () -> c.get(node2));
            assertTrue(e.getMessage().contains("loop: node2 -> node1 -> node3 -> node2"), e.getMessage());
        }
    }

    @Test
    void theInventorysOtherSshArgumentsAreHonouredAndItsVariablesWin() {
        Host node1 = host("node1", "ansible_ssh_common_args", "-o UserKnownHostsFile=/lab/kh -o StrictHostKeyChecking=accept-new"
                + " -o ConnectTimeout=3 -p 2200 -o User=ops");
        Host node2 = host("node2", "ansible_ssh_common_args", "-p 2200 -o User=ops", "ansible_port", "22");
        try (Connections c = new Connections(BUILT_IN, List.of(node1, node2))) {
            SshEndpoint e = endpoint(c, node1);
            assertEquals(Path.of("/lab/kh"), e.knownHosts().get(0));
            assertTrue(e.knownHosts().stream().noneMatch(p -> p.endsWith(".ssh/known_hosts")), "UserKnownHostsFile replaces it");
            assertEquals(HostKeyPolicy.ACCEPT_NEW, e.policy());
            assertEquals(3, e.connectTimeout().toSeconds());
            assertEquals(2200, e.port());
            assertEquals("root", e.user(), "ansible_user wins over -o User, as on Ansible's ssh command line");
            assertEquals(22, endpoint(c, node2).port(), "ansible_port wins over -p");
        }
    }
}
