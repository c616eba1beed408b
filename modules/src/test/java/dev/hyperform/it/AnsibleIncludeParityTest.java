package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Includes against ansible-playbook 2.14 on local-connection hosts, normal and --check: the result lines (task,
 * host, status, item), the {@code included:} lines (file, hosts, item) and the recap must be the same. What
 * ansible-playbook 2.14.18 printed here for the looped cases (other lines are the included debug tasks):
 * <pre>
 * TASK [looped] ****
 * included: /tmp/.../more.yml for h1, h2 => (item=1)
 * included: /tmp/.../more.yml for h1, h2 => (item=2)
 * TASK [item skip] ****
 * skipping: [h2] => (item=1)
 * skipping: [h1] => (item=1)
 * included: /tmp/.../more.yml for h2, h1 => (item=2)
 * TASK [all skipped for h2] ****
 * skipping: [h1] => (item=1)
 * skipping: [h2] => (item=1)
 * skipping: [h2] => (item=2)
 * skipping: [h2]
 * included: /tmp/.../more.yml for h1 => (item=2)
 * TASK [empty loop] ****
 * skipping: [h1]
 * skipping: [h2]
 * </pre>
 * An include_tasks that runs prints {@code included: FILE for HOSTS} (one line per item with a loop) and counts as ok
 * for each of those hosts (per item); an include_role that runs prints nothing and is not counted; a skipped item is
 * shown and not counted; a host whose items were all skipped (or none) is shown and counted as skipped once.
 */
class AnsibleIncludeParityTest {
    private static final Map<String, String> FILES = Map.of(
            "more.yml", "- {name: inside, debug: {msg: hi}}\n",
            "roles/r1/tasks/main.yml", "- {name: rmain, debug: {msg: hi}}\n",
            "roles/r1/tasks/other.yml", "- {name: rother, debug: {msg: hi}}\n",
            "roles/r2/tasks/main.yml", "- {name: nested, include_tasks: sub.yml}\n",
            "roles/r2/tasks/sub.yml", "- {name: rsub, debug: {msg: hi}}\n");

    record Case(String name, String tasks) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("include_tasks on all hosts and on some", """
                        - {name: plain, include_tasks: more.yml}
                        - {name: some, include_tasks: more.yml, when: "kind == 'a'"}
                        - {name: none, include_tasks: more.yml, when: "kind == 'z'"}
                        - {name: undefined file name, include_tasks: "{{ nope }}", ignore_errors: true}
                        - {name: after, include_tasks: more.yml}
                        - {name: once, include_tasks: more.yml, run_once: true}
                        - {name: once looped, include_tasks: more.yml, run_once: true, loop: [1, 2]}
                        """),
                new Case("include_tasks with a loop", """
                        - {name: looped, include_tasks: more.yml, loop: [1, 2]}
                        - {name: item skip, include_tasks: more.yml, loop: [1, 2], when: item == 2}
                        - {name: all skipped for h2, include_tasks: more.yml, loop: [1, 2], when: [item == 2, "kind == 'a'"]}
                        - {name: per host items, include_tasks: more.yml, loop: "{{ [kind] }}"}
                        - {name: empty loop, include_tasks: more.yml, loop: []}
                        - {name: undefined loop skipped, include_tasks: more.yml, loop: "{{ nope }}", when: "kind == 'z'"}
                        """),
                new Case("include_role", """
                        - {name: role from, include_role: {name: r1, tasks_from: other}}
                        - {name: role some, include_role: {name: r1}, when: "kind == 'a'"}
                        - {name: role looped, include_role: {name: r1}, loop: [x, y]}
                        - {name: role item skip, include_role: {name: r1}, loop: [x, y], when: item == 'y'}
                        - {name: role with include, include_role: {name: r2}}
                        """));
    }

    static Stream<Arguments> table() {
        return cases().stream().flatMap(c -> Stream.of(Arguments.of(c, false), Arguments.of(c, true)));
    }

    private static String playbook(Case c) {
        return "- hosts: g\n  gather_facts: false\n  tasks:\n" + c.tasks().indent(4);
    }

    @ParameterizedTest(name = "{0} (check {1})")
    @MethodSource("table")
    void sameResultsIncludedLinesAndRecapAsAnsible(Case c, boolean check, @TempDir Path dir) throws Exception {
        AnsiblePlaybook.Seen expected = ansible(dir, c, check);
        Path inv = Lab.write(dir, "hosts", AnsiblePlaybook.HOSTS);
        files(dir);
        Path pb = Lab.write(dir, "p.yaml", playbook(c).replaceAll("\\{\\{\\s*(.+?)\\s*}}", "\\${$1}"));
        List<String> args = new ArrayList<>(List.of("-i", inv.toString(), pb.toString()));
        if (check) {
            args.add("--check");
        }
        Lab.Run run = Lab.play(dir, args.toArray(String[]::new));
        List<String> results = AnsiblePlaybook.lines(run, dir);
        Map<String, String> recap = AnsiblePlaybook.recap(run);
        assertEquals(expected.results().stream().sorted().toList(), results.stream().sorted().toList(), run.console());
        assertEquals(expected.recap(), recap, run.console());
        // the console line, as ansible-playbook prints it
        assertTrue(run.console().contains("included: " + dir.resolve("more.yml") + " for h1, h2")
                || !c.tasks().contains("include_tasks"), run.console());
    }

    private static void files(Path dir) throws Exception {
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            Files.createDirectories(dir.resolve(f.getKey()).getParent());
            Files.writeString(dir.resolve(f.getKey()), f.getValue());
        }
    }

    private static AnsiblePlaybook.Seen ansible(Path dir, Case c, boolean check) throws Exception {
        Path side = Files.createDirectories(dir.resolve("ansible"));
        Files.writeString(side.resolve("hosts"), AnsiblePlaybook.HOSTS);
        files(side);
        Files.writeString(side.resolve("p.yml"), playbook(c));
        return AnsiblePlaybook.run(side, "p.yml", check);
    }
}
