package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperform.error.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Running over real SSH on the lab's real Debian hosts (issue: SSH execution on many hosts). */
@Tag("lab")
class SshLabTest {

    @Test
    void aPlaybookRunsOnThreeHostsInParallelAndTheRecapIsRight(@TempDir Path dir) throws Exception {
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - name: marker
                      copy: {content: "${inventory_hostname}\\n", dest: /tmp/hf-parallel-marker}
                    - name: read
                      command: cat /tmp/hf-parallel-marker
                      register: m
                      changed_when: false
                    - name: check
                      assert: {that: ["m.stdout == inventory_hostname"]}
                """);
        Lab.ssh("node1", "rm -f /tmp/hf-parallel-marker");
        Lab.Run first = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString());
        assertEquals(ExitCode.OK, first.exitCode(), first.console());
        JsonNode started = first.events().stream().filter(e -> e.path("event").asText().equals("task_started")).findFirst().orElseThrow();
        assertEquals(3, started.path("hosts").size(), "the task started on all three hosts at once");
        assertEquals(3, first.recap("node1").path("ok").asInt());
        assertEquals(1, first.recap("node1").path("changed").asInt());
        for (String n : List.of("node1", "node2", "node3")) {
            assertEquals(n, Lab.ssh(n, "cat /tmp/hf-parallel-marker"));
        }
        Lab.Run second = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString());
        for (String n : List.of("node1", "node2", "node3")) {
            assertEquals(0, second.recap(n).path("changed").asInt(), "second run changes nothing on " + n);
        }
    }

    @Test
    void aHostStoppedMidPlayIsUnreachableWhileTheOthersFinish(@TempDir Path dir) throws Exception {
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - {name: before, command: "true", changed_when: false}
                    - {name: long, command: "sleep 6", changed_when: false}
                    - {name: after, command: "true", changed_when: false}
                """);
        CompletableFuture<Lab.Run> run = CompletableFuture.supplyAsync(() -> {
            try {
                return Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            Thread.sleep(2500);
            Lab.labCommand("stop", "node3");
            Lab.Run r = run.get(120, TimeUnit.SECONDS);
            assertEquals(ExitCode.UNREACHABLE, r.exitCode(), r.console());
            assertEquals(1, r.recap("node3").path("unreachable").asInt(), r.console());
            assertEquals(2, r.results("after").size(), "node1 and node2 finish the play");
            assertTrue(r.results("after").stream().noneMatch(e -> e.path("host").asText().equals("node3")));
            assertTrue(r.console().contains("fatal: [node3]: UNREACHABLE!"), r.console());
        } finally {
            Lab.labCommand("start", "node3");
        }
    }

    @Test
    void aChangedHostKeyIsRefusedWithBothFingerprintsAndNothingRuns(@TempDir Path dir) throws Exception {
        Path fakeKey = dir.resolve("fake");
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", fakeKey.toString()).start().waitFor();
        String fakePub = Files.readString(dir.resolve("fake.pub")).strip().split(" ")[1];
        String realLine = Files.readAllLines(Lab.DIR.resolve("known_hosts")).stream()
                .filter(l -> l.startsWith("node1,") && l.contains("ssh-ed25519")).findFirst().orElseThrow();
        String ip = realLine.split(" ")[0].split(",")[1];
        Path known = Lab.write(dir, "known_hosts", "node1," + ip + " ssh-ed25519 " + fakePub + "\n");
        Path inv = Lab.write(dir, "inv.ini", "node1 ansible_host=" + ip + " ansible_user=root ansible_ssh_private_key_file="
                + Lab.DIR.resolve("id_ed25519") + " hyperform_known_hosts=" + known + "\n");
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: node1
                  gather_facts: false
                  tasks:
                    - {name: must not run, file: {path: /tmp/hf-key-canary, state: touch}}
                """);
        Lab.ssh("node1", "rm -f /tmp/hf-key-canary");
        // the built-in client names both keys; OpenSshLabTest shows what ssh says
        Lab.Run r = Lab.play(dir, "-i", inv.toString(), pb.toString(), "-c", "ssh");
        assertEquals(ExitCode.UNREACHABLE, r.exitCode(), r.console());
        String realFp = fingerprint(Lab.ssh("node1", "cat /etc/ssh/ssh_host_ed25519_key.pub"), dir);
        String fakeFp = fingerprint(Files.readString(dir.resolve("fake.pub")), dir);
        assertTrue(r.console().contains("CHANGED"), r.console());
        assertTrue(r.console().contains(realFp), "presented key's fingerprint shown: " + realFp);
        assertTrue(r.console().contains(fakeFp), "known key's fingerprint shown: " + fakeFp);
        assertEquals("absent", Lab.ssh("node1", "test -e /tmp/hf-key-canary && echo present || echo absent"));
    }

    private static String fingerprint(String pubLine, Path dir) throws Exception {
        Path f = Files.createTempFile(dir, "k", ".pub");
        Files.writeString(f, pubLine.strip() + "\n");
        Process p = new ProcessBuilder("ssh-keygen", "-lf", f.toString()).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return out.split(" ")[1];
    }

    @Test
    void becomeWorksAsTheNonRootUserAndTheSudoPasswordNeverShows(@TempDir Path dir) throws Exception {
        String pw = Lab.sudoPassword();
        String base = Files.readString(Lab.INVENTORY);
        Path inv = Lab.write(dir, "inv.ini", base.replace("ansible_user=root", "ansible_user=hf\nansible_become_password=" + pw));
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - {name: who, command: id -un, register: who, changed_when: false}
                    - {name: root, command: id -un, become: true, register: root, changed_when: false}
                    - name: write as root
                      become: true
                      copy: {content: "x\\n", dest: /root/hf-become-test, mode: '0600'}
                    - assert: {that: ["who.stdout == 'hf'", "root.stdout == 'root'"]}
                """);
        Lab.Run r = Lab.play(dir, "-i", inv.toString(), pb.toString(), "-vvv");
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        assertEquals("0600 root", Lab.ssh("node2", "stat -c '%a %U' /root/hf-become-test").replace("600", "0600"));
        assertFalse(r.console().contains(pw), "sudo password in console output");
        assertFalse(r.eventsText().contains(pw), "sudo password in events");
        Lab.ssh("node1", "rm -f /root/hf-become-test");
    }

    @Test
    void exactlyOneSshConnectionPerHostPerRunCountedByTheServer(@TempDir Path dir) throws Exception {
        StringBuilder tasks = new StringBuilder("- hosts: lab\n  gather_facts: true\n  tasks:\n");
        for (int i = 0; i < 20; i++) {
            tasks.append("    - {name: t").append(i).append(", command: \"true\", changed_when: false}\n");
        }
        Path pb = Lab.write(dir, "p.yaml", tasks.toString());
        String count = "journalctl -u ssh.service --no-pager -o cat | grep -c 'Accepted publickey'";
        long before = Long.parseLong(Lab.ssh("node2", count));
        // the built-in client: a connection of the run's own (OpenSSH's master outlives runs: OpenSshLabTest)
        Lab.Run r = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString(), "-c", "ssh");
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        long after = Long.parseLong(Lab.ssh("node2", count));
        // the counting ssh itself is one accepted login; hyperform's whole run (facts + 20 tasks) is the other
        assertEquals(2, after - before, "logins accepted by node2's sshd during the run");
    }

    @Test
    void factsEqualWhatTheHostsReallyHave(@TempDir Path dir) throws Exception {
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: lab
                  tasks:
                    - debug: {msg: "${facts.cpu.count} ${facts.hugepages.sizes['2048'].total} ${facts.hostname} ${facts.init}"}
                      register: f
                    - {copy: {content: "${f.msg}\\n", dest: /tmp/hf-facts}}
                """);
        Lab.Run r = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString());
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        for (String n : List.of("node1", "node3")) {
            String real = Lab.ssh(n, "echo $(nproc) $(awk '/HugePages_Total/ {print $2}' /proc/meminfo) $(hostname) "
                    + "$(test -d /run/systemd/system && echo systemd)");
            assertEquals(real, Lab.ssh(n, "cat /tmp/hf-facts"));
        }
    }

    @Test
    void delegateToRunsOnTheOtherHostWithTheOriginalHostsVariables(@TempDir Path dir) throws Exception {
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: node1
                  gather_facts: false
                  tasks:
                    - name: written on node2 for node1
                      copy: {content: "from ${inventory_hostname}\\n", dest: /tmp/hf-delegated}
                      delegate_to: node2
                """);
        Lab.ssh("node1", "rm -f /tmp/hf-delegated");
        Lab.ssh("node2", "rm -f /tmp/hf-delegated");
        Lab.Run r = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString());
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        assertEquals("from node1", Lab.ssh("node2", "cat /tmp/hf-delegated"));
        assertEquals("absent", Lab.ssh("node1", "test -e /tmp/hf-delegated && echo present || echo absent"));
        assertTrue(r.console().contains("changed: [node1 -> node2]"), r.console());
    }

    @ParameterizedTest(name = "session mode {0}")
    @ValueSource(strings = {"shell", "exec"})
    void ctrlCStopsCleanlyEndsTheCommandsOnTheHostsAndShowsThemInterrupted(String mode, @TempDir Path dir) throws Exception {
        Path jar = Lab.home().resolve("dist/target/hyperform.jar");
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - {name: long, command: "sleep 31.7", changed_when: false}
                    - {name: never, command: "true"}
                """);
        // a default SIGINT disposition whatever the test runner inherited (a shell starting CI in the background
        // ignores SIGINT, and an ignored signal stays ignored across exec): the test checks hyperform, not its parent
        ProcessBuilder b = new ProcessBuilder("env", "--default-signal=INT", "java", "-jar", jar.toString(), "play",
                "-i", Lab.INVENTORY.toString(), pb.toString()).redirectErrorStream(true);
        b.environment().put("HYPERFORM_SESSION", mode);
        Process p = b.start();
        Thread.sleep(3000);
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "stopped within seconds, not after the 30 s command");
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(130, p.exitValue(), out);
        assertTrue(out.contains("PLAY RECAP") && out.contains("(interrupted)"), out);
        assertFalse(out.contains("TASK [never]"), out);
        assertFalse(out.contains("could not end process"), "each end on a host ran to its end: " + out);
        for (String n : List.of("node1", "node2", "node3")) {
            assertTrue(out.lines().anyMatch(l -> l.startsWith(n + " ") && l.contains("unreachable=0") && l.contains("interrupted=1")),
                    "the recap shows " + n + " interrupted, not unreachable:\n" + out);
            assertEquals("", Lab.ssh(n, "pgrep -f 'sleep 31[.]7' || true"), "the command still runs on " + n);
        }
    }

    @Test
    void keysHeldBySshAgentAuthenticate(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString()).redirectErrorStream(true).start();
        try {
            for (int i = 0; i < 50 && !Files.exists(sock); i++) {
                Thread.sleep(100);
            }
            ProcessBuilder add = new ProcessBuilder("ssh-add", Lab.DIR.resolve("id_ed25519").toString()).redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", sock.toString());
            Process a = add.start();
            assertEquals(0, a.waitFor(), new String(a.getInputStream().readAllBytes()));
            String ip = Files.readAllLines(Lab.INVENTORY).stream().filter(l -> l.startsWith("node1 ")).findFirst().orElseThrow()
                    .split("ansible_host=")[1].trim();
            Path inv = Lab.write(dir, "inv.ini", "node1 ansible_host=" + ip + " ansible_user=root hyperform_known_hosts="
                    + Lab.DIR.resolve("known_hosts") + " hyperform_agent_socket=" + sock + "\n");
            Path pb = Lab.write(dir, "p.yaml", "- hosts: node1\n  gather_facts: false\n  tasks:\n    - {command: hostname, register: h, changed_when: false}\n"
                    + "    - assert: {that: [\"h.stdout == 'node1'\"]}\n");
            Lab.Run r = Lab.play(dir, "-i", inv.toString(), pb.toString());
            assertEquals(ExitCode.OK, r.exitCode(), r.console());
        } finally {
            agent.destroy();
        }
    }

    @Test
    void serialBatchesMaxFailBoundaryAndRunOncePerBatchOnTheLab(@TempDir Path dir) throws Exception {
        Path serial = Lab.write(dir, "serial.yaml", """
                - hosts: lab
                  gather_facts: false
                  serial: [1, "50%"]
                  tasks:
                    - {name: once, command: hostname, run_once: true, changed_when: false}
                    - {name: each, command: "true", changed_when: false}
                """);
        Lab.Run r = Lab.play(dir, "-i", Lab.INVENTORY.toString(), serial.toString());
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        List<JsonNode> plays = r.events().stream().filter(e -> e.path("event").asText().equals("play_started")).toList();
        assertEquals(List.of("[\"node1\"]", "[\"node2\"]", "[\"node3\"]"), plays.stream().map(p -> p.path("hosts").toString()).toList(),
                "3 hosts with serial [1, 50%]: batches of 1, 1 (50% of 3), then the rest");
        assertEquals(3, r.results("once").size(), "run_once: once per batch");
        for (int pct : new int[] {49, 50}) {
            Path mf = Lab.write(dir, "mf" + pct + ".yaml", """
                    - hosts: node1:node2
                      gather_facts: false
                      max_fail_percentage: %d
                      tasks:
                        - {name: break, command: "false", when: inventory_hostname == "node1"}
                        - {name: after, command: "true", changed_when: false}
                    """.formatted(pct));
            Lab.Run m = Lab.play(dir, "-i", Lab.INVENTORY.toString(), mf.toString());
            assertEquals(pct == 50 ? 1 : 0, m.results("after").size(), "max_fail " + pct + "% with 1 of 2 failed: " + m.console());
        }
    }

    @Test
    void theBecomePasswordCanComeFromTheEnvironmentAndIsNeverShown(@TempDir Path dir) throws Exception {
        String pw = Lab.sudoPassword();
        Path inv = Lab.write(dir, "inv.ini", Files.readString(Lab.INVENTORY).replace("ansible_user=root", "ansible_user=hf"));
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: node1
                  gather_facts: false
                  become: true
                  tasks:
                    - {name: root, command: id -un, register: u, changed_when: false}
                    - assert: {that: ["u.stdout == 'root'"]}
                """);
        ProcessBuilder b = new ProcessBuilder("java", "-jar", Lab.home().resolve("dist/target/hyperform.jar").toString(), "play",
                "-i", inv.toString(), pb.toString(), "-vvv", "--events", dir.resolve("e.jsonl").toString()).redirectErrorStream(true);
        b.environment().put("HYPERFORM_BECOME_PASSWORD", pw);
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertFalse(out.contains(pw), "password in console output");
        assertFalse(Files.readString(dir.resolve("e.jsonl")).contains(pw), "password in events");
    }
}
