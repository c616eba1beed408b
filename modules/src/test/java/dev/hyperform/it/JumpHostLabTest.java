package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * node2 reached only through node1 as jump host ({@code -o ProxyJump=node1} in its ansible_ssh_common_args), as a
 * real cluster's VMs sit on networks only the nodes reach: node2's network namespace drops every reply to the
 * controller, so only the tunnel through node1's own connection reaches it. Facts, a command, copy, check mode and a
 * second run work; each host's sshd sees one connection per run, node2's coming from node1's address.
 */
@Tag("lab")
class JumpHostLabTest {
    private static final String LOGINS = "journalctl -u ssh.service --no-pager -o cat | grep -c 'Accepted publickey'";

    private static String address(String node) throws IOException {
        Matcher m = Pattern.compile("(?m)^" + node + " ansible_host=(\\S+)").matcher(Files.readString(Lab.INVENTORY));
        assertTrue(m.find(), "no " + node + " in " + Lab.INVENTORY);
        return m.group(1);
    }

    /** The lab inventory with node2's ssh arguments replaced by these (the group's known_hosts options kept). */
    private static Path inventory(Path dir, String node2Args) throws IOException {
        String base = Files.readString(Lab.INVENTORY);
        String common = base.lines().filter(l -> l.startsWith("ansible_ssh_common_args=")).findFirst().orElseThrow()
                .replaceFirst("^ansible_ssh_common_args='(.*)'$", "$1");
        String node2 = base.lines().filter(l -> l.startsWith("node2 ")).findFirst().orElseThrow();
        return Lab.write(dir, "inv.ini", base.replace(node2, node2 + " ansible_ssh_common_args='" + common + " "
                + node2Args + "'"));
    }

    private static void node2Netns(String... ipArgs) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("ip", "netns", "exec", "hf-node2", "ip"));
        cmd.addAll(Arrays.asList(ipArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    }

    @Test
    void node2ReachableOnlyThroughNode1RunsFactsCommandAndCopyWithOneConnectionPerHost(@TempDir Path dir) throws Exception {
        String ip1 = address("node1");
        String ip2 = address("node2");
        String controller = ip1.replaceFirst("\\.\\d+$", ".1");
        Path inv = inventory(dir, "-o ProxyJump=node1");
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: node1:node2
                  tasks:
                    - name: peers
                      command: ss -Htn state established '( sport = :22 )'
                      register: peers
                      changed_when: false
                      check_mode: false
                    - name: marker
                      copy: {content: "${facts.hostname}\\n", dest: /tmp/hf-jump-marker}
                """);
        Lab.ssh("node2", "rm -f /tmp/hf-jump-marker");
        Lab.ssh("node1", "rm -f /tmp/hf-jump-marker");
        long node2Before = Long.parseLong(Lab.ssh("node2", LOGINS));
        long node1Before = Long.parseLong(Lab.ssh("node1", LOGINS));
        // another run's OpenSSH master may still hold a connection to node2's sshd from before the blackhole
        List<String> node2Before2 = peers(Lab.ssh("node2", "ss -Htn state established '( sport = :22 )'"));
        node2Netns("route", "add", "blackhole", controller + "/32");
        try {
            try (Socket s = new Socket()) {
                assertThrows(IOException.class, () -> s.connect(new InetSocketAddress(ip2, 22), 2000),
                        "node2 must not be reachable from the controller directly");
            }
            Lab.Run check = Lab.play(dir, "-i", inv.toString(), pb.toString(), "--check");
            assertEquals(ExitCode.OK, check.exitCode(), check.console());
            assertEquals(1, check.recap("node2").path("changed").asInt(), check.console());

            // connections to node1's sshd that this run did not open (an earlier run's, still being torn down, or
            // another test's OpenSSH master) are not this run's: only what is new during the run counts
            List<String> before = peers(Lab.ssh("node1", "ss -Htn state established '( sport = :22 )'"));
            Lab.Run first = Lab.play(dir, "-i", inv.toString(), pb.toString());
            assertEquals(ExitCode.OK, first.exitCode(), first.console());
            assertEquals(1, first.recap("node2").path("changed").asInt(), first.console());
            for (var r : first.results("peers")) {
                String host = r.path("host").asText();
                List<String> lines = r.path("result").path("stdout").asText().lines()
                        .filter(l -> !(host.equals("node1") ? before : node2Before2).contains(peer(l))).toList();
                assertEquals(1, lines.size(), "one SSH connection to " + host + "'s sshd: " + lines);
                String expectedPeer = host.equals("node2") ? ip1 : controller;
                assertTrue(lines.get(0).contains(" " + expectedPeer + ":"), host + "'s one connection comes from "
                        + expectedPeer + ": " + lines);
            }

            Lab.Run second = Lab.play(dir, "-i", inv.toString(), pb.toString());
            assertEquals(ExitCode.OK, second.exitCode(), second.console());
            assertEquals(0, second.recap("node2").path("changed").asInt(), second.console());
            assertEquals(0, second.recap("node1").path("changed").asInt(), second.console());
            Lab.Run checkAgain = Lab.play(dir, "-i", inv.toString(), pb.toString(), "--check");
            assertEquals(0, checkAgain.recap("node2").path("changed").asInt(), checkAgain.console());
        } finally {
            node2Netns("route", "del", "blackhole", controller + "/32");
        }
        long node2After = Long.parseLong(Lab.ssh("node2", LOGINS));
        long node1After = Long.parseLong(Lab.ssh("node1", LOGINS));
        assertEquals("node2", Lab.ssh("node2", "cat /tmp/hf-jump-marker"), "facts of node2, written on node2");
        // 4 runs, one login each on each host; the counting ssh after them is one more, and on each host the ssh that
        // listed its connections before the runs another
        assertEquals(6, node2After - node2Before, "logins accepted by node2's sshd");
        assertEquals(6, node1After - node1Before, "logins accepted by node1's sshd: the tunnel is no second login");
    }

    @Test
    void anUnreachableOrRefusingJumpHostIsNamedWithTheTarget(@TempDir Path dir) throws Exception {
        String ip1 = address("node1");
        String nowhere = ip1.replaceFirst("\\.\\d+$", ".250");
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: node2
                  gather_facts: false
                  tasks:
                    - {name: t, command: "true", changed_when: false}
                """);
        Lab.Run unreachable = Lab.play(dir, "-i", inventory(dir, "-o ConnectTimeout=2 -J root@" + nowhere).toString(),
                pb.toString());
        assertEquals(ExitCode.UNREACHABLE, unreachable.exitCode(), unreachable.console());
        assertTrue(unreachable.console().contains("cannot reach node2 (" + address("node2") + ":22) through jump host root@"
                + nowhere + ": the jump host is unreachable"), unreachable.console());

        Path refusing = inventory(dir, "-J node1");
        String text = Files.readString(refusing).replaceFirst("(?m)^(node2 ansible_host=\\S+)", "$1 ansible_port=2999");
        Lab.Run refused = Lab.play(dir, "-i", Lab.write(dir, "inv2.ini", text).toString(), pb.toString());
        assertEquals(ExitCode.UNREACHABLE, refused.exitCode(), refused.console());
        assertTrue(refused.console().contains("jump host node1 could not connect to node2 (" + address("node2")
                + ":2999)"), refused.console());
    }

    /** The peer address:port of each line of {@code ss -Htn}. */
    private static List<String> peers(String ss) {
        return ss.lines().map(JumpHostLabTest::peer).toList();
    }

    private static String peer(String ssLine) {
        String[] f = ssLine.trim().split("\\s+");
        return f[f.length - 1];
    }
}
