package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import dev.hyperform.inventory.Host;
import dev.hyperform.inventory.Inventory;
import dev.hyperform.inventory.InventoryLoader;
import dev.hyperform.transport.ConnectionSettings;
import dev.hyperform.transport.Connections;
import dev.hyperform.transport.PortForward;
import dev.hyperform.transport.openssh.OpenSshTransport;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -c openssh} on the lab's hosts: the system's ssh client with one shared master per host that outlives the
 * run, so that the next run logs in no more; commands with stdin, a time limit that ends the command on the host, a
 * port forward on the master, and a refused host key with what ssh said.
 */
@Tag("lab")
class OpenSshLabTest {
    private static final String LOGINS = "journalctl -u ssh.service --no-pager -o cat | grep -c 'Accepted publickey'";
    private final List<List<String>> masters = new ArrayList<>();

    /** The lab inventory with this test's own control folder (its masters are this test's alone). */
    private static Path inventory(Path dir) throws Exception {
        return Lab.write(dir, "inv.ini", Files.readString(Lab.INVENTORY)
                + "\n[all:vars]\nhyperform_control_path_dir=" + dir.resolve("cp") + "\n");
    }

    @AfterEach
    void endMasters() throws Exception {
        for (List<String> ssh : masters) { // the masters would otherwise stay a minute
            List<String> exit = new ArrayList<>(ssh);
            exit.add(exit.size() - 1, "-O");
            exit.add(exit.size() - 1, "exit");
            new ProcessBuilder(exit).redirectErrorStream(true).start().waitFor();
        }
    }

    private void remember(Path inv) {
        Inventory i = InventoryLoader.load(List.of(inv.toString()));
        try (Connections c = new Connections(settings(), i.hosts())) {
            for (Host h : i.hosts()) {
                if (!h.name().equals("localhost")) {
                    masters.add(((OpenSshTransport) c.get(h)).command());
                }
            }
        }
    }

    private static ConnectionSettings settings() {
        ConnectionSettings d = ConnectionSettings.defaults();
        return new ConnectionSettings(d.hostKeyPolicy(), d.knownHosts(), d.user(), d.privateKeys(), d.connectTimeout(),
                d.keepAlive(), Optional.of("openssh"));
    }

    @Test
    void aPlaybookRunsThroughOpenSshAndTheNextRunLogsInNoMore(@TempDir Path dir) throws Exception {
        Path inv = inventory(dir);
        remember(inv);
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - name: write
                      copy: {content: "${inventory_hostname} over openssh\\n", dest: /tmp/hf-openssh-marker}
                    - name: read
                      command: cat /tmp/hf-openssh-marker
                      register: m
                      changed_when: false
                    - assert: {that: ["m.stdout == inventory_hostname + ' over openssh'"]}
                    - name: too long
                      command: sleep 41
                      timeout: 2
                      ignore_errors: true
                """);
        Lab.ssh("node2", "rm -f /tmp/hf-openssh-marker");
        long before = Long.parseLong(Lab.ssh("node2", LOGINS));
        Lab.Run first = Lab.play(dir, "-i", inv.toString(), "-c", "openssh", pb.toString());
        long afterFirst = Long.parseLong(Lab.ssh("node2", LOGINS));
        assertEquals(2, afterFirst - before, "the first run's master is one login; the counting ssh the other");
        assertEquals(ExitCode.OK, first.exitCode(), first.console());
        assertEquals(1, first.recap("node2").path("changed").asInt(), first.console());
        assertEquals("node2 over openssh", Lab.ssh("node2", "cat /tmp/hf-openssh-marker"));
        assertTrue(first.results("too long").get(0).path("result").path("msg").asText().contains("timed out"),
                first.console());
        Thread.sleep(1500); // the end of the command on the host: TERM, then KILL within a second
        assertEquals("gone", Lab.ssh("node2", "ps -eo args | grep -q '^sleep 41$' && echo running || echo gone"),
                "the time limit ended the command on the host");

        long beforeSecond = Long.parseLong(Lab.ssh("node2", LOGINS));
        Lab.Run second = Lab.play(dir, "-i", inv.toString(), "-c", "openssh", pb.toString());
        assertEquals(ExitCode.OK, second.exitCode(), second.console());
        assertEquals(0, second.recap("node2").path("changed").asInt(), "a second run changes nothing");
        assertEquals(1, Long.parseLong(Lab.ssh("node2", LOGINS)) - beforeSecond,
                "the second run logged in no more: it used the first run's master (the count is the counting ssh)");
    }

    @Test
    void aPortForwardRidesTheHostsMaster(@TempDir Path dir) throws Exception {
        Path inv = inventory(dir);
        remember(inv);
        Inventory i = InventoryLoader.load(List.of(inv.toString()));
        Host node1 = i.hosts().stream().filter(h -> h.name().equals("node1")).findFirst().orElseThrow();
        long before = Long.parseLong(Lab.ssh("node1", LOGINS));
        try (Connections c = new Connections(settings(), i.hosts())) {
            OpenSshTransport t = assertInstanceOf(OpenSshTransport.class, c.get(node1));
            try (PortForward f = t.forward("127.0.0.1", 22);
                 Socket s = new Socket(f.localAddress(), f.localPort())) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                byte[] banner = new byte[8];
                assertEquals(8, in.readNBytes(banner, 0, 8));
                assertEquals("SSH-2.0-", new String(banner, StandardCharsets.US_ASCII),
                        "node1's own sshd answered through the forward");
            }
            assertEquals("ok", new String(t.exec(dev.hyperform.transport.ExecRequest.of("echo", "ok")).stdout(),
                    StandardCharsets.UTF_8).strip(), "the session still carries commands after the forward");
        }
        assertEquals(2, Long.parseLong(Lab.ssh("node1", LOGINS)) - before,
                "one login carried the session and the forward (the other is the counting ssh)");
    }

    @Test
    void aHostKeyOtherThanTheKnownOneIsRefusedWithWhatSshSaid(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("fake");
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", fake.toString()).start().waitFor();
        String fakePub = Files.readString(dir.resolve("fake.pub")).strip().split(" ")[1];
        String realLine = Files.readAllLines(Lab.DIR.resolve("known_hosts")).stream()
                .filter(l -> l.startsWith("node1,") && l.contains("ssh-ed25519")).findFirst().orElseThrow();
        String ip = realLine.split(" ")[0].split(",")[1];
        Path known = Lab.write(dir, "known_hosts", "node1," + ip + " ssh-ed25519 " + fakePub + "\n");
        Path inv = Lab.write(dir, "inv.ini", "node1 ansible_host=" + ip + " ansible_user=root ansible_ssh_private_key_file="
                + Lab.DIR.resolve("id_ed25519") + " hyperform_known_hosts=" + known + " hyperform_control_path_dir="
                + dir.resolve("cp") + "\n");
        remember(inv);
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: node1
                  gather_facts: false
                  tasks:
                    - {name: must not run, file: {path: /tmp/hf-openssh-canary, state: touch}}
                """);
        Lab.ssh("node1", "rm -f /tmp/hf-openssh-canary");
        Lab.Run r = Lab.play(dir, "-i", inv.toString(), "-c", "openssh", pb.toString());
        assertEquals(ExitCode.UNREACHABLE, r.exitCode(), r.console());
        assertTrue(r.console().contains("Host key verification failed"), r.console());
        assertTrue(r.console().contains("REMOTE HOST IDENTIFICATION HAS CHANGED") && !r.console().contains("@@@"),
                "ssh's warning, without its frame of @: " + r.console());
        assertTrue(r.console().contains("ssh-keygen -R"), "the way out is named: " + r.console());
        assertEquals("absent", Lab.ssh("node1", "test -e /tmp/hf-openssh-canary && echo present || echo absent"));
    }
}
