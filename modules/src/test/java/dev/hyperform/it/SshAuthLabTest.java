package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SSH features docs/status.md claims, against the lab hosts' real sshd (each test changes sshd only through a
 * drop-in it removes again): password login (the password never shows), host-key policies accept-new and off, su
 * become, RSA keys signing with rsa-sha2-512, and meta: reset_connection opening a new connection.
 */
@Tag("lab")
class SshAuthLabTest {
    private static final String WHO = "- hosts: all\n  gather_facts: false\n  tasks:\n"
            + "    - {name: who, command: id -un, register: who, changed_when: false}\n";

    private static String ip(String node) throws Exception {
        return Files.readAllLines(Lab.INVENTORY).stream().filter(l -> l.startsWith(node + " ")).findFirst().orElseThrow()
                .split("ansible_host=")[1].trim();
    }

    private static long journalCount(String node, String pattern) throws Exception {
        return Long.parseLong(Lab.ssh(node, "journalctl -u ssh.service --no-pager -o cat | grep -c '" + pattern + "' || true"));
    }

    private static void sshdDropIn(String node, String name, String text) throws Exception {
        Lab.ssh(node, "printf '" + text + "' > /etc/ssh/sshd_config.d/" + name + " && systemctl reload ssh" + LISTENING);
    }

    private static void removeDropIn(String node, String name) throws Exception {
        Lab.ssh(node, "rm -f /etc/ssh/sshd_config.d/" + name + " && systemctl reload ssh" + LISTENING);
    }

    /**
     * After a reload sshd closes its listening socket and execs itself again: a connection in that moment is refused
     * (a CI run's clean-up ssh was). Wait until it answers on port 22 again, at most 5 s.
     */
    private static final String LISTENING = " && sleep 0.3 && for i in $(seq 1 50); do"
            + " (exec 3<>/dev/tcp/127.0.0.1/22) 2>/dev/null && break; sleep 0.1; done";

    @Test
    void passwordLoginWorksAndThePasswordNeverShows(@TempDir Path dir) throws Exception {
        String pw = Lab.sudoPassword();
        // the first value sshd reads wins: this drop-in sorts before the lab's PasswordAuthentication no
        sshdDropIn("node3", "00-hf-password.conf", "PasswordAuthentication yes\\n");
        try {
            long before = journalCount("node3", "Accepted password for hf");
            Path inv = Lab.write(dir, "inv.ini", "node3 ansible_host=" + ip("node3") + " ansible_user=hf ansible_password=" + pw
                    + " hyperform_known_hosts=" + Lab.DIR.resolve("known_hosts") + "\n");
            Path pb = Lab.write(dir, "p.yaml", WHO + "    - assert: {that: [\"who.stdout == 'hf'\"]}\n");
            Lab.Run r = Lab.play(dir, "-i", inv.toString(), pb.toString(), "-vvv");
            assertEquals(ExitCode.OK, r.exitCode(), r.console());
            assertEquals(before + 1, journalCount("node3", "Accepted password for hf"), "sshd accepted a password login");
            assertFalse(r.console().contains(pw), "SSH password in console output");
            assertFalse(r.eventsText().contains(pw), "SSH password in events");
        } finally {
            removeDropIn("node3", "00-hf-password.conf");
        }
    }

    @Test
    void acceptNewRecordsAnUnknownHostButStillRefusesAChangedKey(@TempDir Path dir) throws Exception {
        Path known = Lab.write(dir, "known_hosts", "");
        Path inv = Lab.write(dir, "inv.ini", "node1 ansible_host=" + ip("node1") + " ansible_user=root ansible_ssh_private_key_file="
                + Lab.DIR.resolve("id_ed25519") + " hyperform_known_hosts=" + known + " hyperform_host_key_policy=accept-new\n");
        Path pb = Lab.write(dir, "p.yaml", WHO);
        // the default connection (OpenSSH's, here): its master checked the key when it logged in and would carry the
        // next run within a minute; reset_connection ends it, so that the second run logs in and checks again
        Lab.Run first = Lab.play(dir, "-i", inv.toString(), Lab.write(dir, "first.yaml", WHO
                + "    - meta: reset_connection\n").toString());
        assertEquals(ExitCode.OK, first.exitCode(), first.console());
        String realKey = Lab.ssh("node1", "cut -d' ' -f2 /etc/ssh/ssh_host_ed25519_key.pub");
        assertTrue(Files.readString(known).contains(realKey), "the new host's key was recorded: " + Files.readString(known));

        Path fake = dir.resolve("fake");
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", fake.toString()).start().waitFor();
        String fakeKey = Files.readString(dir.resolve("fake.pub")).split(" ")[1];
        Files.writeString(known, Files.readString(known).replace(realKey, fakeKey));
        for (String connection : new String[] {"smart", "ssh"}) {
            Lab.Run changed = Lab.play(dir, "-i", inv.toString(), pb.toString(), "-c", connection);
            assertEquals(ExitCode.UNREACHABLE, changed.exitCode(), "accept-new accepts new hosts only: " + changed.console());
            assertTrue(changed.console().contains("CHANGED"), changed.console());
        }
    }

    @Test
    void offConnectsDespiteAWrongKeyAndSaysSoLoudly(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("fake");
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", fake.toString()).start().waitFor();
        Path known = Lab.write(dir, "known_hosts", "node1," + ip("node1") + " ssh-ed25519 "
                + Files.readString(dir.resolve("fake.pub")).split(" ")[1] + "\n");
        Path inv = Lab.write(dir, "inv.ini", "node1 ansible_host=" + ip("node1") + " ansible_user=root ansible_ssh_private_key_file="
                + Lab.DIR.resolve("id_ed25519") + " hyperform_known_hosts=" + known + " hyperform_host_key_policy=off\n");
        Lab.Run r = Lab.play(dir, "-i", inv.toString(), Lab.write(dir, "p.yaml", WHO).toString());
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        assertTrue(r.console().contains("[WARNING]: host key checking is OFF for " + ip("node1")), r.console());
    }

    @Test
    void suBecomesAnotherUserWithoutAPassword(@TempDir Path dir) throws Exception {
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: node2
                  gather_facts: false
                  tasks:
                    - {name: as hf, command: id -un, become: true, become_method: su, become_user: hf, register: w, changed_when: false}
                    - assert: {that: ["w.stdout == 'hf'"]}
                """);
        Lab.Run r = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString());
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
    }

    @Test
    void anRsaKeySignsWithRsaSha2_512(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("id_rsa");
        Process kg = new ProcessBuilder("ssh-keygen", "-q", "-t", "rsa", "-b", "3072", "-N", "", "-C", "hf-rsa-test", "-f", key.toString()).start();
        assertEquals(0, kg.waitFor());
        String pub = Files.readString(dir.resolve("id_rsa.pub")).strip();
        Lab.ssh("node1", "echo '" + pub + "' >> /root/.ssh/authorized_keys");
        // only rsa-sha2-512 (and the lab's own ed25519) are accepted: a client signing with SHA-1 or SHA-256 is refused
        sshdDropIn("node1", "00-hf-rsa.conf", "PubkeyAcceptedAlgorithms rsa-sha2-512,ssh-ed25519\\n");
        try {
            long before = journalCount("node1", "Accepted publickey for root.*RSA SHA256");
            Path inv = Lab.write(dir, "inv.ini", "node1 ansible_host=" + ip("node1") + " ansible_user=root ansible_ssh_private_key_file="
                    + key + " hyperform_known_hosts=" + Lab.DIR.resolve("known_hosts") + "\n");
            Lab.Run r = Lab.play(dir, "-i", inv.toString(), Lab.write(dir, "p.yaml", WHO).toString());
            assertEquals(ExitCode.OK, r.exitCode(), r.console());
            assertEquals(before + 1, journalCount("node1", "Accepted publickey for root.*RSA SHA256"), "logged in with the RSA key");
        } finally {
            removeDropIn("node1", "00-hf-rsa.conf");
            Lab.ssh("node1", "sed -i '/hf-rsa-test/d' /root/.ssh/authorized_keys");
        }
    }

    /**
     * The built-in client's connection is the run's own: two logins. OpenSSH's master outlives the run: after a first
     * run, the second's first task logs in no more, and reset_connection ends the master, so the next task logs in.
     */
    @ParameterizedTest(name = "-c {0}")
    @CsvSource({"ssh, 0, 2", "openssh, 1, 1"})
    void metaResetConnectionOpensANewConnection(String connection, int runsBefore, int logins, @TempDir Path dir)
            throws Exception {
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: node2
                  gather_facts: false
                  tasks:
                    - {name: before, command: "true", changed_when: false}
                    - meta: reset_connection
                    - {name: after, command: "true", changed_when: false}
                """);
        for (int i = 0; i < runsBefore; i++) {
            assertEquals(ExitCode.OK, Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString(), "-c", connection)
                    .exitCode());
        }
        String count = "Accepted publickey";
        long before = journalCount("node2", count);
        Lab.Run r = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString(), "-c", connection);
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        // the counting ssh itself is one accepted login; the run's are the others
        assertEquals(before + 1 + logins, journalCount("node2", count), "logins accepted by node2's sshd during the run");
    }
}
