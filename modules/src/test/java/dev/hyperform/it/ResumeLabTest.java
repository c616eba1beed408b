package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code play --resume} on the lab: a real Ctrl-C during a {@code serial: 1} rollout, then the rollout resumed. */
@Tag("lab")
class ResumeLabTest {

    @Test
    void ctrlCAfterTheFirstNodeThenResumeFinishesTheOthersWithoutTouchingTheFirst(@TempDir Path dir) throws Exception {
        for (String n : List.of("node1", "node2", "node3")) {
            Lab.ssh(n, "rm -f /tmp/hf-resume-upgraded");
        }
        Path pb = Lab.write(dir, "upgrade.yaml", """
                - name: rolling upgrade
                  hosts: lab
                  serial: 1
                  gather_facts: false
                  tasks:
                    - {name: upgrade, shell: "echo upgraded >> /tmp/hf-resume-upgraded"}
                    - {name: settle, command: "sleep 4", changed_when: false}
                """);
        Path journal = dir.resolve("journal.jsonl");
        Path jar = Lab.home().resolve("dist/target/hyperform.jar");
        // a default SIGINT disposition whatever the test runner inherited (as in SshLabTest's Ctrl-C test)
        Process p = new ProcessBuilder("env", "--default-signal=INT", "java", "-jar", jar.toString(), "play",
                "-i", Lab.INVENTORY.toString(), pb.toString(), "--journal", journal.toString())
                .redirectErrorStream(true).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(journal) && Files.readString(journal).contains("\"hosts\":[\"node1\"]"))
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1000); // node2 is in its batch now
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "stopped within seconds");
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(130, p.exitValue(), out);
        List<String> lines = out.strip().lines().toList();
        assertEquals("journal: " + journal + " (continue an interrupted run with: hyperform play --resume " + journal + ")",
                lines.get(lines.size() - 1), out);
        assertTrue(Files.readString(journal).contains("\"interrupted\":true"), Files.readString(journal));
        assertFalse(out.contains("could not end process"),
                "TERM ended the command; its end on the host was not cut short by the run closing its connection: " + out);

        Lab.Run resumed = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString(), "--resume", journal.toString());

        assertEquals(0, resumed.exitCode(), resumed.console());
        assertTrue(resumed.console().contains("resume: play 'rolling upgrade': node1 finished in the journal, skipped"),
                resumed.console());
        assertTrue(resumed.events().stream().noneMatch(e -> e.path("host").asText().equals("node1")),
                "no event of the resumed run is about node1: " + resumed.eventsText());
        assertEquals("upgraded", Lab.ssh("node1", "cat /tmp/hf-resume-upgraded"), "node1 upgraded once, not again");
        for (String n : List.of("node2", "node3")) {
            assertEquals("upgrade", resumed.results("upgrade").stream().filter(r -> r.path("host").asText().equals(n))
                    .findFirst().orElseThrow().path("task").asText(), n + " upgraded by the resumed run");
        }
    }
}
