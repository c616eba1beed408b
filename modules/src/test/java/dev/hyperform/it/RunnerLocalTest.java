package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperform.error.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runner features docs/status.md claims, run for real through {@code hyperform play} with real modules over the
 * local connection (no lab): the free strategy, throttle, until/retries, ignore_unreachable, loop_control, the meta
 * actions, the still-running event, --start-at-task, --list-tasks and --list-hosts.
 */
class RunnerLocalTest {
    private static final String TWO = "h1 ansible_connection=local\nh2 ansible_connection=local\n";
    private static final String THREE = TWO + "h3 ansible_connection=local\n";

    private static Lab.Run play(Path dir, String inventory, String playbook, String... more) throws Exception {
        Path inv = Lab.write(dir, "hosts", inventory);
        Path pb = Lab.write(dir, "p.yaml", playbook);
        return Lab.play(dir, Lab.plus(new String[] {"-i", inv.toString(), pb.toString()}, more));
    }

    /** "task host status" of every host result, in the order the events arrived. */
    private static List<String> order(Lab.Run r) {
        return r.events().stream().filter(e -> e.path("event").asText().equals("host_result"))
                .map(e -> e.path("task").asText() + " " + e.path("host").asText() + " " + e.path("status").asText()).toList();
    }

    /** As in ansible-core: hostvars holds every inventory host, also those --limit leaves out (scale-out runs need it). */
    @Test
    void hostvarsHoldsTheHostsOutsideTheLimit(@TempDir Path dir) throws Exception {
        Lab.Run r = play(dir, "h1 ansible_connection=local osd=a\nh2 ansible_connection=local osd=b\n", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - {name: peers, debug: {msg: "${groups.all?map(h -> hostvars[h].osd)?join(',')} ${hostvars?keys?join(',')}"}}
                """, "--limit", "h1");
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        assertEquals("a,b h1,h2", r.results("peers").get(0).path("message").asText(), r.console());
    }

    /** As ansible-playbook 2.14 does (checked by hand, 2026-11-29): a play stopped short ends the run. */
    @ParameterizedTest(name = "h1 fails in play one with [{0}]: play two runs on {1}")
    @CsvSource(delimiter = '|', value = {
        "any_errors_fatal: true|''",
        "'serial: 1\\n  max_fail_percentage: 0'|''",
        "'serial: 1\\n  any_errors_fatal: true'|''",
        "become: false|h2 h3"})
    void aPlayStoppedByAnyErrorsFatalOrMaxFailPercentageEndsTheRun(String keywords, String secondPlay, @TempDir Path dir) throws Exception {
        Lab.Run r = play(dir, THREE, """
                - hosts: all
                  gather_facts: false
                  %s
                  tasks:
                    - {name: gate, fail: {msg: red}, when: inventory_hostname == 'h1'}
                - hosts: all
                  gather_facts: false
                  tasks:
                    - {name: second, debug: {msg: play two}}
                """.formatted(keywords.replace("\\n", "\n")));
        assertEquals(ExitCode.TASK_FAILED, r.exitCode(), r.console());
        assertEquals(secondPlay, String.join(" ", r.results("second").stream().map(e -> e.path("host").asText()).sorted().toList()), r.console());
    }

    @ParameterizedTest(name = "strategy {0}: the fast host finishes task two before the slow one finishes task one: {1}")
    @CsvSource({"linear, false", "free, true"})
    void freeStrategyLetsAFastHostRunAhead(String strategy, boolean ahead, @TempDir Path dir) throws Exception {
        Lab.Run r = play(dir, "h1 ansible_connection=local d=0\nh2 ansible_connection=local d=2\n", """
                - hosts: all
                  gather_facts: false
                  strategy: %s
                  tasks:
                    - {name: one, command: "sleep ${d}", changed_when: false}
                    - {name: two, command: "true", changed_when: false}
                """.formatted(strategy));
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        List<String> o = order(r);
        assertEquals(ahead, o.indexOf("two h1 ok") < o.indexOf("one h2 ok"), o.toString());
    }

    /** Each host takes a lock directory for half a second: two hosts at once make one of them fail. */
    @ParameterizedTest(name = "throttle {0}: all hosts succeed: {1}")
    @CsvSource({"1, true", "0, false"})
    void throttleLimitsHowManyHostsRunATaskAtOnce(int throttle, boolean allOk, @TempDir Path dir) throws Exception {
        Lab.Run r = play(dir, THREE, """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: exclusive
                      shell: "mkdir %s/lock && sleep 0.5 && rmdir %s/lock"
                      %s
                """.formatted(dir, dir, throttle > 0 ? "throttle: " + throttle : ""));
        assertEquals(allOk, r.exitCode() == ExitCode.OK, r.console());
        assertEquals(allOk, order(r).stream().filter(s -> s.endsWith("changed")).count() == 3, r.console());
    }

    // ansible-core 2.14 runs such a task the first time plus `retries` times more (3 when not given); with retries 0
    // it runs it once and does not test until: counted here as ansible-playbook counted them (-1 = no retries: line)
    @ParameterizedTest(name = "until n >= {0} with {1} retries: ok {2}, attempts {3}")
    @CsvSource({"3, 5, true, 3", "10, 2, false, 3", "10, -1, false, 4", "10, 0, true, 1", "1, 0, true, 1"})
    void untilRetriesRunsTheTaskAgainUntilTheConditionHolds(int want, int retries, boolean ok, int attempts, @TempDir Path dir)
            throws Exception {
        Path count = dir.resolve("count");
        Lab.Run r = play(dir, "h1 ansible_connection=local\n", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: count
                      shell: "echo x >> %s; wc -l < %s"
                      register: n
                      until: n.stdout?trim?number >= %d
                      %s
                      delay: 0
                """.formatted(count, count, want, retries < 0 ? "" : "retries: " + retries));
        assertEquals(ok, r.exitCode() == ExitCode.OK, r.console());
        assertEquals(attempts, Files.readAllLines(count).size(), "attempts made");
        if (!ok) {
            assertTrue(r.results("count").get(0).path("message").asText().contains("still false after " + attempts + " attempts"), r.console());
        }
    }

    @ParameterizedTest(name = "ignore_unreachable {0}: the next task is tried on the dead host: {0}")
    @CsvSource({"true", "false"})
    void ignoreUnreachableKeepsTheHostInThePlay(boolean ignore, @TempDir Path dir) throws Exception {
        Lab.Run r = play(dir, "ok1 ansible_connection=local\ndead ansible_host=127.0.0.1 ansible_port=1 ansible_connection=ssh\n", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - {name: first, command: "true", ignore_unreachable: %s}
                    - {name: second, command: "true"}
                """.formatted(ignore));
        List<String> o = order(r);
        assertTrue(o.contains("first dead unreachable"), o.toString());
        assertEquals(ignore, o.stream().anyMatch(s -> s.startsWith("second dead")), o.toString());
        assertTrue(o.contains("second ok1 changed"), o.toString());
    }

    @Test
    void loopControlNamesTheVariableTheIndexTheLabelAndPausesBetweenItems(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        Lab.Run r = play(dir, "h1 ansible_connection=local\n", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: each
                      debug: {msg: "${i} ${pkg.name} ${ansible_loop.index} ${ansible_loop.last?c}"}
                      loop: [{name: qemu, v: 1}, {name: spdk, v: 2}, {name: libvirt, v: 3}]
                      loop_control: {loop_var: pkg, index_var: i, label: "${pkg.name}", pause: 1}
                      register: out
                    - {name: show, debug: {msg: "${out.results[2].msg}"}}
                """);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        List<String> items = r.results("each").stream().map(e -> e.path("item").asText()).toList();
        assertEquals(List.of("qemu", "spdk", "libvirt"), items, "labels");
        assertEquals("2 libvirt 3 true", r.results("show").get(0).path("result").path("msg").asText(), r.console());
        assertTrue(ms >= 2000, "paused 1 s between items: " + ms + " ms");
    }

    @Test
    void metaEndHostEndPlayAndClearHostErrors(@TempDir Path dir) throws Exception {
        Lab.Run r = play(dir, THREE, """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - {name: break, command: "false", when: inventory_hostname == "h1"}
                    - meta: clear_host_errors
                    - {name: after clear, command: "true", changed_when: false}
                    - meta: end_host
                      when: inventory_hostname == "h2"
                    - {name: after end_host, command: "true", changed_when: false}
                    - meta: end_play
                    - {name: after end_play, command: "true", changed_when: false}
                - hosts: all
                  gather_facts: false
                  tasks:
                    - {name: next play, command: "true", changed_when: false}
                """);
        List<String> o = order(r);
        assertTrue(o.contains("break h1 failed"), o.toString());
        assertTrue(o.containsAll(List.of("after clear h1 ok", "after clear h2 ok", "after clear h3 ok")), "h1 is back: " + o);
        assertTrue(o.containsAll(List.of("after end_host h1 ok", "after end_host h3 ok")), o.toString());
        assertFalse(o.contains("after end_host h2 ok"), "h2 ended: " + o);
        assertTrue(o.stream().noneMatch(s -> s.startsWith("after end_play")), o.toString());
        assertTrue(o.containsAll(List.of("next play h1 ok", "next play h2 ok", "next play h3 ok")), "end_play ends one play only: " + o);
    }

    @Test
    void aLongTaskReportsWhichHostsAreStillRunning(@TempDir Path dir) throws Exception {
        Lab.Run r = play(dir, "h1 ansible_connection=local d=0\nh2 ansible_connection=local d=3\n", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - {name: slow, command: "sleep ${d}", changed_when: false}
                """);
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        List<JsonNode> still = r.events().stream().filter(e -> e.path("event").asText().equals("still_running")).toList();
        assertTrue(still.size() >= 2, "about one event a second: " + r.eventsText());
        JsonNode last = still.get(still.size() - 1);
        assertEquals("slow", last.path("task").asText());
        assertEquals("[\"h2\"]", last.path("hosts").toString(), "only the busy host");
        assertTrue(last.path("elapsed_ms").asLong() >= 1000);
    }

    @Test
    void startAtTaskSkipsEverythingBeforeIt(@TempDir Path dir) throws Exception {
        Lab.Run r = play(dir, "h1 ansible_connection=local\n", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - {name: one, command: "true", changed_when: false}
                    - block:
                        - {name: two, command: "true", changed_when: false}
                        - {name: three, command: "true", changed_when: false}
                """, "--start-at-task", "three");
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        assertEquals(List.of("three h1 ok"), order(r));
    }

    @Test
    void listTasksAndListHostsPrintThePlanAndRunNothing(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("ran");
        Lab.Run r = play(dir, "[web]\nw1 ansible_connection=local\nw2 ansible_connection=local\n[db]\nd1 ansible_connection=local\n", """
                - name: web play
                  hosts: web
                  gather_facts: false
                  tasks:
                    - {name: touch it, command: "touch %s"}
                    - {name: tagged, command: "touch %s", tags: [x]}
                """.formatted(marker, marker), "--list-tasks", "--list-hosts", "-l", "w2,d1");
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        assertFalse(Files.exists(marker), "nothing ran");
        String c = r.console();
        assertTrue(c.contains("  play: web play\n    hosts (1):\n      w2\n    tasks:\n"), c);
        assertTrue(c.contains("touch it") && c.contains("tagged"), c);
        assertFalse(c.contains("d1"), "d1 is not in the play: " + c);
    }
}
