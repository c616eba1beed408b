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
 * add_host and group_by against ansible-playbook 2.14 on local-connection hosts: every case runs through both (normal
 * and --check), and the task results (task, host, status, item) and the recap of every host must be the same. The
 * playbooks are written once in Ansible's syntax; {@code {{ x }}} becomes {@code ${x}} for hyperform. Later plays
 * target the added hosts and groups, so which hosts run them (and which of their conditions on added variables
 * hold) is compared too.
 */
class AnsibleAddHostParityTest {
    private static final String LOCAL = "ansible_connection: local, ansible_python_interpreter: /usr/bin/python3";

    record Case(String name, String playbook) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("add_host with vars and groups, then a play on the new group", """
                        - hosts: g
                          gather_facts: false
                          tasks:
                            - name: add
                              add_host: {name: new1, groups: [web, db], color: red, %1$s}
                            - name: add again, nothing new
                              add_host: {hostname: new1, groups: web, color: red}
                            - name: add again, a new variable
                              add_host: {host: new1, groupname: "web,extra", size: 3}
                        - hosts: web:&db
                          gather_facts: false
                          tasks:
                            - {name: on web and db, debug: {msg: hi}}
                            - {name: color is red, debug: {msg: hi}, when: ["color == 'red'", "size == 3"]}
                        - hosts: extra
                          gather_facts: false
                          tasks:
                            - {name: on extra, debug: {msg: hi}}
                        """.formatted(LOCAL)),
                new Case("add_host in a loop, then patterns over the new hosts", """
                        - hosts: g
                          gather_facts: false
                          tasks:
                            - name: loop
                              add_host: {name: "{{ item }}", group: looped, %1$s}
                              loop: [l1, l2, l3]
                            - name: loop again
                              add_host: {name: "{{ item }}", groups: looped}
                              loop: [l1, l2]
                        - hosts: looped:!l2
                          gather_facts: false
                          tasks:
                            - {name: on looped but l2, debug: {msg: hi}}
                        - hosts: all
                          gather_facts: false
                          tasks:
                            - {name: on all, debug: {msg: hi}}
                        """.formatted(LOCAL)),
                new Case("add_host skipped by when", """
                        - hosts: g
                          gather_facts: false
                          tasks:
                            - name: maybe
                              add_host: {name: never, groups: web, %1$s}
                              when: kind == 'z'
                        - hosts: web
                          gather_facts: false
                          tasks:
                            - {name: on web, debug: {msg: hi}}
                        """.formatted(LOCAL)),
                new Case("group_by with a key from a variable and parents", """
                        - hosts: g
                          gather_facts: false
                          tasks:
                            - name: by kind
                              group_by: {key: "kind_{{ kind }}", parents: [parent1, parent2]}
                            - name: by kind again
                              group_by: {key: "kind_{{ kind }}", parents: parent1}
                            - name: by all
                              group_by: {key: "every one"}
                        - hosts: kind_a
                          gather_facts: false
                          tasks:
                            - {name: on kind_a, debug: {msg: hi}}
                        - hosts: parent2:!kind_b
                          gather_facts: false
                          tasks:
                            - {name: on parent2 but kind_b, debug: {msg: hi}}
                        - hosts: every-one
                          gather_facts: false
                          tasks:
                            - {name: on every-one, debug: {msg: hi}}
                        """),
                new Case("group_by on an added host", """
                        - hosts: g
                          gather_facts: false
                          tasks:
                            - name: add
                              add_host: {name: "{{ item }}", groups: guests, disk: "{{ item }}", %1$s}
                              loop: [vhost, virtio]
                        - hosts: guests
                          gather_facts: false
                          tasks:
                            - name: by disk
                              group_by: {key: "disk_{{ disk }}"}
                        - hosts: disk_vhost
                          gather_facts: false
                          tasks:
                            - {name: on disk_vhost, debug: {msg: hi}}
                        """.formatted(LOCAL)),
                new Case("add_host on a host already in the run, group_vars of a group_by group", """
                        - hosts: g
                          gather_facts: false
                          tasks:
                            - {name: before, debug: {msg: hi}}
                            - name: give h2 a tier
                              add_host: {name: h2, tier: gold}
                            - name: by kind
                              group_by: {key: "kind_{{ kind }}"}
                        - hosts: g
                          gather_facts: false
                          tasks:
                            - {name: gold tier, debug: {msg: hi}, when: ["kind == 'b'", "tier == 'gold'"]}
                            - {name: from group_vars, debug: {msg: hi}, when: ["kind == 'a'", "size == 'big'"]}
                        """),
                new Case("group_by with an undefined variable fails the host", """
                        - hosts: g
                          gather_facts: false
                          tasks:
                            - name: by nothing
                              group_by: {key: "x_{{ nope }}"}
                            - {name: after, debug: {msg: hi}}
                        """));
    }

    static Stream<Arguments> table() {
        return cases().stream().flatMap(c -> Stream.of(Arguments.of(c, false), Arguments.of(c, true)));
    }

    @ParameterizedTest(name = "{0} (check {1})")
    @MethodSource("table")
    void sameResultsAndRecapAsAnsible(Case c, boolean check, @TempDir Path dir) throws Exception {
        AnsiblePlaybook.Seen expected = ansible(dir, c, check);
        Path inv = Lab.write(dir, "hosts", AnsiblePlaybook.HOSTS);
        groupVars(dir);
        Path pb = Lab.write(dir, "p.yaml", c.playbook().replaceAll("\\{\\{\\s*(.+?)\\s*}}", "\\${$1}"));
        List<String> args = new ArrayList<>(List.of("-i", inv.toString(), pb.toString()));
        if (check) {
            args.add("--check");
        }
        Lab.Run run = Lab.play(dir, args.toArray(String[]::new));
        List<String> results = AnsiblePlaybook.lines(run, dir);
        Map<String, String> recap = AnsiblePlaybook.recap(run);
        // Ansible's recap leaves out hosts where nothing ran (the other hosts of a task that bypasses the host loop);
        // hyperform lists every host of the run, all zero: that difference is the recap's, not add_host's
        recap.values().removeIf(v -> v.equals("ok=0 changed=0 failed=0 skipped=0"));
        assertEquals(expected.results().stream().sorted().toList(), results.stream().sorted().toList(), run.console());
        assertEquals(expected.recap(), recap, run.console());
        if (c.name().contains("undefined")) {
            assertTrue(run.console().contains("p.yaml:4") && run.console().contains("nope"),
                    "the error names the variable and the task's file:line: " + run.console());
        }
    }

    /** A group_vars file for a group that only group_by creates. */
    private static void groupVars(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("group_vars"));
        Files.writeString(dir.resolve("group_vars/kind_a.yml"), "size: big\n");
    }

    private static AnsiblePlaybook.Seen ansible(Path dir, Case c, boolean check) throws Exception {
        Path side = Files.createDirectories(dir.resolve("ansible"));
        Files.writeString(side.resolve("hosts"), AnsiblePlaybook.HOSTS);
        groupVars(side);
        Files.writeString(side.resolve("p.yml"), c.playbook());
        return AnsiblePlaybook.run(side, "p.yml", check);
    }
}
