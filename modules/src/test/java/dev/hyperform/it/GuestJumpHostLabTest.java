package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperform.error.ExitCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine runs tasks inside a lab guest the way a user reaches a VM on a network only the nodes reach: the guest's
 * sshd is forwarded to 127.0.0.1:2222 of its host (libvirt_domain ssh_port + ssh_listen), which nothing but the host
 * reaches, and the inventory names the guest by that address with its host as jump host, once with
 * {@code ansible_ssh_common_args: -o ProxyJump=node1} and once with {@code hyperform_jump_host: node1}. command,
 * shell, copy (second run and --check unchanged) and the I/O checker run in the guest; node1 keeps one connection
 * from the controller, which carries both guests' tunnels (node1's sshd connects to the forward twice, the guest's
 * sshd sees one connection per inventory entry).
 */
@Tag("lab")
class GuestJumpHostLabTest {
    private static final String NODE = "node1";
    private static final String NAME = "hf-guest-jump";
    private static final String SERIAL = "/var/log/" + NAME + ".serial";
    private static final String DISK = "/var/lib/" + NAME + ".raw";
    private static final String CLEANUP = "virsh destroy " + NAME + " >/dev/null 2>&1; virsh undefine " + NAME + " >/dev/null 2>&1; rm -f "
            + DISK + "; true";
    private static final List<String> GUESTS = List.of("vm-proxyjump", "vm-jumpvar");

    private static String address(String node) throws IOException {
        Matcher m = Pattern.compile("(?m)^" + node + " ansible_host=(\\S+)").matcher(Files.readString(Lab.INVENTORY));
        assertTrue(m.find(), "no " + node + " in " + Lab.INVENTORY);
        return m.group(1);
    }

    /** The guest twice, by the address only node1 reaches: through ProxyJump, and through hyperform_jump_host. */
    private static Path guestInventory(Path dir) throws IOException {
        String known = "-o UserKnownHostsFile=" + Lab.DIR.resolve("guest/known_hosts") + " -o StrictHostKeyChecking=yes";
        return Lab.write(dir, "guests.ini", """
                [guests]
                vm-proxyjump ansible_host=127.0.0.1 ansible_port=2222 ansible_ssh_common_args='%s -o ProxyJump=%s'
                vm-jumpvar ansible_host=127.0.0.1 ansible_port=2222 hyperform_jump_host=%s ansible_ssh_common_args='%s'

                [guests:vars]
                ansible_user=root
                ansible_ssh_private_key_file=%s
                """.formatted(known, NODE, NODE, known, Lab.DIR.resolve("id_ed25519")));
    }

    @Test
    void tasksRunInAGuestReachableOnlyThroughItsHost(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        Lab.labOutput("guest", "image");
        Path home = Lab.home();
        Lab.Run host = Lab.play(dir, "-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/site.yaml").toString(), "--tags", "qemu,libvirt", "-l", NODE);
        assertEquals(ExitCode.OK, host.exitCode(), host.console());
        String image = Lab.labOutput("guest", "push", NODE);
        String domainType = Lab.labOutput("guest", "accel", NODE).equals("kvm") ? "kvm" : "qemu";
        Lab.ssh(NODE, CLEANUP + "; rm -f " + SERIAL + "; truncate -s 32M " + DISK);
        try {
            Lab.Run vm = Lab.play(dir, "-i", Lab.INVENTORY.toString(), Lab.write(dir, "vm.yaml", LabGuest.checkingGuestPlay(NODE, NAME,
                    domainType, image, 1, SERIAL, "{type: file, path: " + DISK + "}", "", "        ssh_port: 2222\n        ssh_listen: 127.0.0.1\n")).toString());
            assertEquals(ExitCode.OK, vm.exitCode(), vm.console());
            String log = LabGuest.awaitSummary(NODE, SERIAL, 120);
            assertTrue(log.contains("dropbear listening"), "the guest's sshd is up: " + log);
            long booted = System.nanoTime();
            try (Socket s = new Socket()) {
                assertThrows(IOException.class, () -> s.connect(new InetSocketAddress(address(NODE), 2222), 2000),
                        "the guest must not be reachable from the controller at " + NODE + "'s address");
            }

            Path inv = guestInventory(dir);
            Path pb = Lab.write(dir, "in-guest.yaml", """
                    - hosts: guests
                      gather_facts: false
                      tasks:
                        - name: kernel
                          command: uname -r
                          register: kernel
                          changed_when: false
                          check_mode: false
                        - name: ssh connections in the guest
                          shell: grep -c ' 0F02000A:0016 [0-9A-F:]* 01 ' /proc/net/tcp || true
                          register: conns
                          changed_when: false
                          check_mode: false
                        - name: marker
                          copy: {content: "${inventory_hostname} on ${kernel.stdout}\\n", dest: "/tmp/${inventory_hostname}.marker"}
                    - hosts: vm-jumpvar
                      gather_facts: false
                      tasks:
                        - name: checker
                          command: hf-iocheck --seed 7 --blocks 2048 /dev/vda
                          register: check
                          changed_when: false
                          check_mode: false
                    - hosts: node1
                      gather_facts: false
                      tasks:
                        - name: tunnels
                          command: ss -Htnp state established '( dport = :2222 )'
                          register: tunnels
                          changed_when: false
                          check_mode: false
                        - name: sshd peers
                          command: ss -Htn state established '( sport = :22 )'
                          register: peers
                          changed_when: false
                          check_mode: false
                    """);
            String[] args = {"-i", Lab.INVENTORY.toString(), "-i", inv.toString(), pb.toString()};
            List<String> before = Lab.ssh(NODE, "ss -Htn state established '( sport = :22 )'").lines().map(GuestJumpHostLabTest::peer).toList();
            Lab.Run first = Lab.play(dir, args);
            assertEquals(ExitCode.OK, first.exitCode(), first.console());
            for (String g : GUESTS) {
                assertEquals(1, first.recap(g).path("changed").asInt(), "copy wrote the marker in the guest: " + first.console());
                assertEquals(g + " on " + result(first, "kernel", g).path("stdout").asText(),
                        Lab.labOutput("guest", "ssh", NODE, "cat /tmp/" + g + ".marker"), "the file is in the guest");
                // 0F02000A:0016 = the guest's 10.0.2.15:22 in /proc/net/tcp, state 01 = established
                assertEquals("2", result(first, "ssh connections in the guest", g).path("stdout").asText().strip(),
                        "one connection per inventory entry in the guest's sshd, held for the whole run");
            }
            Map<String, String> check = LabGuest.summary(result(first, "checker", "vm-jumpvar").path("stdout").asText());
            assertEquals("ok", check.get("result"), check.toString());
            assertEquals("0", check.get("errors"), check.toString());
            assertEquals("0", check.get("mismatches"), check.toString());
            List<String> tunnels = result(first, "tunnels", NODE).path("stdout").asText().lines().toList();
            assertEquals(2, tunnels.size(), "node1 forwards one connection per guest to the guest's port: " + tunnels);
            assertTrue(tunnels.stream().allMatch(l -> l.contains("\"sshd\"")), "node1's sshd opens them (direct-tcpip): " + tunnels);
            // connections to node1's sshd that were there before the run (an earlier test's, being torn down) are not its
            List<String> node1Peers = result(first, "sshd peers", NODE).path("stdout").asText().lines().map(GuestJumpHostLabTest::peer)
                    .filter(p -> !before.contains(p)).toList();
            assertEquals(1, node1Peers.size(), "one connection from the controller to node1 carries node1's tasks and both tunnels: " + node1Peers);

            Lab.Run second = Lab.play(dir, args);
            assertEquals(ExitCode.OK, second.exitCode(), second.console());
            Lab.Run check2 = Lab.play(dir, Lab.plus(args, "--check"));
            assertEquals(ExitCode.OK, check2.exitCode(), check2.console());
            for (String g : GUESTS) {
                assertEquals(0, second.recap(g).path("changed").asInt(), second.console());
                assertEquals(0, check2.recap(g).path("changed").asInt(), check2.console());
            }
            System.out.printf("GuestJumpHostLabTest: 3 runs in the guest through %s: %d s (guest booted after %d s); checker: %s errors, %s mismatches,"
                    + " longest stall %s ms%n", NODE, (System.nanoTime() - booted) / 1_000_000_000L, (booted - t0) / 1_000_000_000L,
                    check.get("errors"), check.get("mismatches"), check.get("longest_stall_ms"));
        } finally {
            Lab.ssh(NODE, CLEANUP);
        }
    }

    private static JsonNode result(Lab.Run run, String task, String host) {
        return run.results(task).stream().filter(r -> r.path("host").asText().equals(host)).findFirst()
                .orElseThrow(() -> new AssertionError("no result of " + task + " on " + host + ": " + run.console())).path("result");
    }

    private static String peer(String ssLine) {
        String[] f = ssLine.trim().split("\\s+");
        return f.length >= 4 ? f[3] : ssLine;
    }
}
