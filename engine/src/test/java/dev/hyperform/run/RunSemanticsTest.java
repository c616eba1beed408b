package dev.hyperform.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The run semantics Ansible users rely on, on hosts the test module never touches. */
class RunSemanticsTest {
    private static final String FOUR = "[g]\nh1\nh2\nh3\nh4\n[g:vars]\nansible_connection=local\n";

    @Test
    void linearStrategyFinishesATaskOnAllHostsBeforeTheNext(@TempDir Path dir) throws Exception {
        RunHarness h = RunHarness.run(dir, FOUR, """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - {name: one, t: {change: true}}
                    - {name: two, t: {}}
                """);
        List<String> r = h.results();
        assertEquals(8, r.size());
        assertTrue(r.subList(0, 4).stream().allMatch(s -> s.startsWith("one ") && s.endsWith("changed")), r.toString());
        assertTrue(r.subList(4, 8).stream().allMatch(s -> s.startsWith("two ") && s.endsWith("ok")), r.toString());
        assertEquals(ExitCode.OK, h.exitCode);
        assertEquals(2, h.recap().get("h3").ok());
        assertEquals(1, h.recap().get("h3").changed());
    }

    @Test
    void serialBatchesAreVisibleInEventOrder(@TempDir Path dir) throws Exception {
        RunHarness h = RunHarness.run(dir, FOUR, """
                - hosts: g
                  gather_facts: false
                  serial: [1, "50%"]
                  tasks:
                    - {name: one, t: {}}
                """);
        assertEquals(List.of(List.of("h1"), List.of("h2", "h3"), List.of("h4")), h.batches());
        assertEquals(List.of("one h1 ok", "one h2 ok", "one h3 ok", "one h4 ok"),
                h.results().stream().sorted().toList());
    }

    @ParameterizedTest(name = "max_fail_percentage {0} with 2 of 4 failed -> later task runs: {1}")
    @CsvSource({"49, false", "50, true"})
    void maxFailPercentageMustBeExceededNotEqualled(int pct, boolean continues, @TempDir Path dir) throws Exception {
        RunHarness h = RunHarness.run(dir, FOUR, """
                - hosts: g
                  gather_facts: false
                  max_fail_percentage: %d
                  tasks:
                    - {name: break, t: {fail_on: [h1, h2]}}
                    - {name: after, t: {}}
                """.formatted(pct));
        long after = h.results().stream().filter(s -> s.startsWith("after ")).count();
        assertEquals(continues ? 2 : 0, after, h.results().toString());
        assertEquals(ExitCode.TASK_FAILED, h.exitCode);
    }

    @Test
    void hostvarsResolvesOnlyWhatIsReadSoAnotherHostsUnresolvableVariableDoesNotMatter(@TempDir Path dir) throws Exception {
        // as Ansible's lazy hostvars: h1's 'bad' refers to an undefined variable, and only reading it is an error
        RunHarness h = RunHarness.run(dir, "[g]\nh1 x=1 bad='${nothere}'\nh2 x=2\n[g:vars]\nansible_connection=local\n", """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - {name: read, t: {msg: "${hostvars['h2'].x} ${groups['g']?filter(n -> hostvars[n].x gt 0)?size}"}}
                    - {name: bad, t: {msg: "${hostvars['h1'].bad}"}, run_once: true}
                """);
        assertEquals(List.of("read h1 ok", "read h2 ok"), h.results().subList(0, 2).stream().sorted().toList(), h.results().toString());
        assertEquals(ExitCode.TASK_FAILED, h.exitCode, "reading the unresolvable variable itself is still an error");
    }

    @Test
    void runOnceRunsOncePerBatchAndSharesItsResult(@TempDir Path dir) throws Exception {
        RunHarness h = RunHarness.run(dir, FOUR, """
                - hosts: g
                  gather_facts: false
                  serial: 2
                  tasks:
                    - {name: once, t: {msg: first}, run_once: true, register: r}
                    - {name: use, t: {msg: "${r.msg}"}}
                """);
        assertEquals(List.of("once h1 ok", "use h1 ok", "use h2 ok", "once h3 ok", "use h3 ok", "use h4 ok"), h.results());
    }

    @Test
    void rescueRunsForFailedHostsAndAlwaysForAll(@TempDir Path dir) throws Exception {
        RunHarness h = RunHarness.run(dir, "[g]\nh1\nh2\n[g:vars]\nansible_connection=local\n", """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - block:
                        - {name: risky, t: {fail_on: [h2]}}
                        - {name: after risky, t: {}}
                      rescue:
                        - {name: recover, t: {msg: "${ansible_failed_task.name}"}}
                      always:
                        - {name: cleanup, t: {}}
                    - {name: next, t: {}}
                """);
        assertEquals(List.of("risky h1 ok", "risky h2 failed", "after risky h1 ok", "recover h2 ok", "cleanup h1 ok",
                "cleanup h2 ok", "next h1 ok", "next h2 ok"), h.results());
        assertEquals(ExitCode.OK, h.exitCode);
        assertEquals(1, h.recap().get("h2").rescued());
        assertEquals(0, h.recap().get("h2").failed());
    }

    @Test
    void handlersRunOncePerNotifiedHostInDefinitionOrderNotOnFailedHosts(@TempDir Path dir) throws Exception {
        RunHarness h = RunHarness.run(dir, "[g]\nh1\nh2\nh3\n[g:vars]\nansible_connection=local\n", """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - {name: a, t: {change: true}, notify: [second, first]}
                    - {name: b, t: {change: true}, notify: second}
                    - {name: c, t: {fail_on: [h3]}}
                    - {name: quiet, t: {}, notify: first}
                  handlers:
                    - {name: first, t: {}}
                    - {name: second, t: {}, listen: restart things}
                """);
        List<String> handlers = h.results().stream().filter(s -> s.startsWith("first") || s.startsWith("second")).toList();
        assertEquals(List.of("first h1 ok", "first h2 ok", "second h1 ok", "second h2 ok"), handlers);
    }

    @Test
    void aNotifiedTopicRunsEveryHandlerListeningToIt(@TempDir Path dir) throws Exception {
        RunHarness h = RunHarness.run(dir, "[g]\nh1\n[g:vars]\nansible_connection=local\n", """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - {name: a, t: {change: true}, notify: restart things}
                  handlers:
                    - {name: reload units, t: {}, listen: restart things}
                    - {name: unrelated, t: {}, listen: other topic}
                    - {name: restart daemon, t: {}, listen: [restart things, other topic]}
                """);
        assertEquals(List.of("a h1 changed", "reload units h1 ok", "restart daemon h1 ok"), h.results());
    }

    @Test
    void forceHandlersRunsThemOnFailedHostsToo(@TempDir Path dir) throws Exception {
        RunHarness h = RunHarness.run(dir, "[g]\nh1\n[g:vars]\nansible_connection=local\n", """
                - hosts: g
                  gather_facts: false
                  force_handlers: true
                  tasks:
                    - {name: a, t: {change: true}, notify: restart}
                    - {name: b, t: {fail_on: [h1]}}
                  handlers:
                    - {name: restart, t: {}}
                """);
        assertTrue(h.results().contains("restart h1 ok"), h.results().toString());
        assertEquals(ExitCode.TASK_FAILED, h.exitCode);
    }

    @Test
    void loopsWhenPerItemRegisterAndChangedWhen(@TempDir Path dir) throws Exception {
        RunHarness h = RunHarness.run(dir, "[g]\nh1\n[g:vars]\nansible_connection=local\n", """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - name: each
                      t: {msg: "${item}", change: true}
                      loop: [a, b, c]
                      when: item != "b"
                      register: out
                    - name: count
                      t: {msg: "${out.results?size}"}
                      changed_when: out.results[0].msg == "a"
                      register: n
                    - {name: show, t: {msg: "${n.msg}"}, failed_when: n.msg != 3}
                """);
        assertEquals(List.of("each h1 changed a", "each h1 skipped b", "each h1 changed c", "count h1 changed", "show h1 ok"),
                h.results());
    }

    /** What a skipped task registers, and when a loop over a skipped task's output may stay undefined (ansible-core 2.14). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            skipped task registers skipped and its reason | {name: skip, t: {msg: x}, when: false, register: r} | ${r.skipped?c}/${r.changed?c}/${r.skip_reason} | true/false/Conditional result was False
            a loop whose items are all skipped registers it  | {name: skip, t: {msg: x}, loop: [1, 2], when: false, register: r} | ${r.skipped?c}/${r.msg}/${r.results?size}/${r.results[1].skip_reason} | true/All items skipped/2/Conditional result was False
            a false condition skips a loop over an undefined value | {name: skip, t: {msg: x}, loop: "${nothing.stdout_lines}", when: false, register: r} | ${r.skipped?c} | true
            """)
    void skippedTasksRegisterWhatAnsibleRegisters(String name, String task, String shown, String expected,
                                                  @TempDir Path dir) throws Exception {
        RunHarness h = RunHarness.run(dir, "[g]\nh1\n[g:vars]\nansible_connection=local\n", """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - %s
                    - {name: show, t: {msg: "%s"}, register: s}
                """.formatted(task, shown));
        assertEquals(ExitCode.OK, h.exitCode, h.results().toString());
        assertEquals(expected, String.valueOf(h.valueOf("show", "h1", "msg")));
    }

    @Test
    void aLoopOverAnUndefinedValueStillFailsWhenTheConditionHolds(@TempDir Path dir) throws Exception {
        RunHarness h = RunHarness.run(dir, "[g]\nh1\n[g:vars]\nansible_connection=local\n", """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - {name: loops, t: {msg: "${item}"}, loop: "${nothing}", when: item != 3}
                """);
        assertEquals(ExitCode.INVALID_INPUT, h.exitCode);
        String m = h.messageOf("loops", "h1");
        assertTrue(m.contains("undefined variable 'nothing'"), m);
    }

    /** ansible-core 2.14: a run_once task that fails fails every host of the play, so nothing after it runs anywhere. */
    @Test
    void aFailedRunOnceTaskFailsEveryHost(@TempDir Path dir) throws Exception {
        RunHarness h = RunHarness.run(dir, FOUR, """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - {name: gate, t: {fail_on: [h1]}, run_once: true}
                    - {name: after, t: {}, run_once: true}
                    - {name: later, t: {}}
                """);
        assertEquals(List.of("gate h1 failed"), h.results());
        assertEquals(ExitCode.TASK_FAILED, h.exitCode);
    }

    /** ansible-core 2.14: hostvars of another host hold the extra vars (-e) too; they are every host's variables. */
    @Test
    void hostvarsHoldTheExtraVars(@TempDir Path dir) throws Exception {
        RunHarness h = RunHarness.run(dir, FOUR, """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - {name: read, t: {msg: "${hostvars['h2'].x!'undefined'}"}, run_once: true}
                """, new RunOptions(false, false, 5, null, TagFilter.ALL, Map.of("x", 1), null, false, 0, List.of()));
        assertEquals("1", String.valueOf(h.valueOf("read", "h1", "msg")));
    }

    @Test
    void whatAHostReturnedIsNeverEvaluatedAsAnExpression(@TempDir Path dir) throws Exception {
        // a command's output (registered) or a set fact that holds ${...} is text: evaluating it would let a host
        // inject expressions into the run (and binary output that happens to hold "${" broke later tasks)
        RunHarness h = RunHarness.run(dir, "[g]\nh1\n[g:vars]\nansible_connection=local\n", """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - {name: returns text, t: {msg: "$${7*6}", facts: {f: "$${6*7}"}}, register: r}
                    - name: uses it
                      t: {msg: "${r.msg}|${f}"}
                      register: u
                      failed_when: u.msg != "$" + "{7*6}|$" + "{6*7}"
                """);
        assertEquals(List.of("returns text h1 ok", "uses it h1 ok"), h.results());
    }

    @Test
    void undefinedVariableFailsTheHostWithInvalidInputAndSaysWhere(@TempDir Path dir) throws Exception {
        RunHarness h = RunHarness.run(dir, "[g]\nh1\n[g:vars]\nansible_connection=local\n", """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - name: uses a typo
                      t: {msg: "${spdk_sokcet}"}
                """);
        assertEquals(ExitCode.INVALID_INPUT, h.exitCode);
        String m = h.messageOf("uses a typo", "h1");
        assertTrue(m.contains("undefined variable 'spdk_sokcet'"), m);
        assertTrue(m.contains("play.yaml:4"), m);
    }

    @Test
    void anyErrorsFatalStopsThePlayForEveryHost(@TempDir Path dir) throws Exception {
        RunHarness h = RunHarness.run(dir, FOUR, """
                - hosts: g
                  gather_facts: false
                  any_errors_fatal: true
                  tasks:
                    - {name: break, t: {fail_on: [h3]}}
                    - {name: after, t: {}}
                """);
        assertTrue(h.results().stream().noneMatch(s -> s.startsWith("after")), h.results().toString());
    }

    @Test
    void ignoreErrorsCountsIgnoredAndGoesOn(@TempDir Path dir) throws Exception {
        RunHarness h = RunHarness.run(dir, "[g]\nh1\n[g:vars]\nansible_connection=local\n", """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - {name: break, t: {fail_on: [h1]}, ignore_errors: true}
                    - {name: after, t: {}}
                """);
        assertEquals(List.of("break h1 ignored", "after h1 ok"), h.results());
        assertEquals(ExitCode.OK, h.exitCode);
        assertEquals(1, h.recap().get("h1").ignored());
    }

    @Test
    void anIgnoredFailureThatChangedSomethingCountsAsChangedAsInAnsible(@TempDir Path dir) throws Exception {
        RunHarness h = RunHarness.run(dir, "[g]\nh1\n[g:vars]\nansible_connection=local\n", """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - {name: half done, t: {fail_on: [h1], partly: true}, ignore_errors: true, register: r}
                    - {name: not at all, t: {fail_on: [h1]}, ignore_errors: true}
                    - {name: told, t: {msg: "${r.changed?c} ${r.failed?c}"}}
                """);
        assertEquals(1, h.recap().get("h1").changed(), "only the task that changed something before failing");
        assertEquals(2, h.recap().get("h1").ignored());
        assertEquals("true true", h.valueOf("told", "h1", "msg"));
    }

    @Test
    void checkModeReportsTheChangeWithoutApplyingIt(@TempDir Path dir) throws Exception {
        RunHarness h = RunHarness.run(dir, "[g]\nh1\n[g:vars]\nansible_connection=local\n", """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - {name: would fail if applied, t: {fail_on: [h1]}}
                """, RunOptions.defaults().withCheck(true));
        assertEquals(List.of("would fail if applied h1 changed"), h.results());
        assertTrue(h.messageOf("would fail if applied", "h1").startsWith("would do it"));
    }

    @Test
    void tagsSelectTasksAndAlwaysRuns(@TempDir Path dir) throws Exception {
        RunOptions only = new RunOptions(false, false, 5, null, TagFilter.of(List.of("spdk"), List.of()), Map.of(),
                null, false, 0, List.of());
        RunHarness h = RunHarness.run(dir, "[g]\nh1\n[g:vars]\nansible_connection=local\n", """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - {name: a, t: {}, tags: [spdk]}
                    - {name: b, t: {}, tags: [qemu]}
                    - {name: c, t: {}, tags: [always]}
                    - block:
                        - {name: d, t: {}}
                      tags: spdk
                """, only);
        assertEquals(List.of("a h1 ok", "c h1 ok", "d h1 ok"), h.results());
    }

    @Test
    void includeRoleRunsTheTasksFileEachHostChooses(@TempDir Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("roles/svc/tasks"));
        java.nio.file.Files.writeString(dir.resolve("roles/svc/tasks/main.yml"), "- {name: main, t: {}}\n");
        java.nio.file.Files.writeString(dir.resolve("roles/svc/tasks/upgrade.yml"), "- {name: upgrade, t: {change: true}}\n");
        RunHarness h = RunHarness.run(dir, "[g]\nh1 step=main\nh2 step=upgrade\n[g:vars]\nansible_connection=local\n", """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - include_role: {name: svc, tasks_from: "${step}"}
                """);
        assertEquals(ExitCode.OK, h.exitCode);
        assertEquals(List.of("svc : main h1 ok", "svc : upgrade h2 changed"), h.results().stream().sorted().toList());
    }

    @Test
    void aBlockConditionGuardsItsIncludesOwnConditionAndASkippedIncludeIsReported(@TempDir Path dir) throws Exception {
        // as ansible-playbook 2.14: the block's false condition ends the check before the include's own condition
        // (which reads a variable only set when the block runs) and the include is shown and counted as skipped
        java.nio.file.Files.writeString(dir.resolve("more.yml"), "- {name: inside, t: {}}\n");
        RunHarness h = RunHarness.run(dir, "[g]\nh1 flag=yes\nh2 flag=no\n[g:vars]\nansible_connection=local\n", """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - when: "flag == 'no'"
                      block:
                        - {name: decide, t: {facts: {go: true}}}
                        - {name: more, include_tasks: more.yml, when: go}
                """);
        assertEquals(ExitCode.OK, h.exitCode, h.results().toString());
        assertEquals(List.of("decide h1 skipped", "decide h2 ok", "more h1 skipped", "inside h2 ok"), h.results());
        assertEquals(2, h.recap().get("h1").skipped());
    }

    @Test
    void anIncludeWithALoopRunsItemByItemOnAllHostsInLockstepWithItsIndex(@TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("step.yml"), """
                - {name: "first-${p}", t: {}}
                - {name: "second-${p}", t: {}}
                - {name: "index-${n}-of-${p}", t: {}}
                """);
        RunHarness h = RunHarness.run(dir, "[g]\nh1\nh2\n[g:vars]\nansible_connection=local\n", """
                - hosts: g
                  gather_facts: false
                  tasks:
                    - include_tasks: step.yml
                      loop: [a, b]
                      loop_control: {loop_var: p, index_var: n}
                """);
        assertEquals(ExitCode.OK, h.exitCode);
        // item a's tasks on both hosts before item b's (Ansible's linear strategy), not all of h1's items first
        assertEquals(List.of("first-a h1 ok", "first-a h2 ok", "second-a h1 ok", "second-a h2 ok", "index-0-of-a h1 ok", "index-0-of-a h2 ok",
                "first-b h1 ok", "first-b h2 ok", "second-b h1 ok", "second-b h2 ok", "index-1-of-b h1 ok", "index-1-of-b h2 ok"), h.results());
    }

    @Test
    void aResultNamesTheDelegateAsResolvedForItsItemNotAsWritten(@TempDir Path dir) throws Exception {
        RunHarness h = RunHarness.run(dir, "[g]\nh1\nh2\nh3\n[g:vars]\nansible_connection=local\n", """
                - hosts: h1
                  gather_facts: false
                  tasks:
                    - {name: by item, t: {}, delegate_to: "${item}", loop: [h2, h3]}
                    - {name: by var, t: {}, delegate_to: "${to}", vars: {to: h3}}
                """);
        assertEquals(ExitCode.OK, h.exitCode, h.results().toString());
        List<String> shown = h.events.stream().filter(e -> e instanceof dev.hyperform.output.Event.HostResult)
                .map(e -> (dev.hyperform.output.Event.HostResult) e)
                .map(r -> r.task() + " " + r.host() + " -> " + r.delegatedTo()).toList();
        assertEquals(List.of("by item h1 -> h2", "by item h1 -> h3", "by var h1 -> h3"), shown);
    }

    @ParameterizedTest(name = "hosts: {0} with -e {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            ${target}               | target=h2 | one h2
            ${target!'h1'}          | -         | one h1
            ${target!'h1'}          | target=h3 | one h3
            ${pick}                 | -         | one h1,one h3
            ${pick}                 | pick=h2   | one h2
            """)
    void aPlaysHostsMayBeAnExpressionOverItsVarsAndExtraVars(String hosts, String extra, String expected,
                                                             @TempDir Path dir) throws Exception {
        Map<String, Object> e = extra == null ? Map.of() : Map.of(extra.split("=")[0], extra.split("=")[1]);
        RunHarness h = RunHarness.run(dir, "[g]\nh1\nh2\nh3\n[g:vars]\nansible_connection=local\n", """
                - hosts: "%s"
                  gather_facts: false
                  vars: {pick: "h1:h3"}
                  tasks:
                    - {name: one, t: {}}
                """.formatted(hosts), new RunOptions(false, false, 5, null, TagFilter.ALL, e, null, false, 0, List.of()));
        assertEquals(ExitCode.OK, h.exitCode, h.results().toString());
        assertEquals(List.of(expected.split(",")), h.results().stream().map(r -> r.substring(0, r.lastIndexOf(' '))).toList());
    }

    @Test
    void anUndefinedVariableInAPlaysHostsIsAnErrorNamingItAndThePlay(@TempDir Path dir) {
        dev.hyperform.error.HyperformException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.hyperform.error.HyperformException.class, () -> RunHarness.run(dir, "[g]\nh1\n[g:vars]\nansible_connection=local\n", """
                - hosts: "${target}"
                  gather_facts: false
                  tasks:
                    - {name: one, t: {}}
                """));
        assertTrue(e.getMessage().contains("play.yaml:1:3") && e.getMessage().contains("'target'"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            include_tasks | include_tasks: flip.yml
            include_role  | include_role: {name: flip}
            """)
    void anIncludesOwnConditionIsTestedOnceNotAgainForTheTasksItBringsIn(String kind, String include, @TempDir Path dir)
            throws Exception {
        // as ansible-playbook 2.14: the included tasks run even though the first of them makes the include's condition false
        String flip = "- {name: flip, t: {facts: {x: 2}}}\n- {name: after flip, t: {}}\n";
        java.nio.file.Files.writeString(dir.resolve("flip.yml"), flip);
        java.nio.file.Files.createDirectories(dir.resolve("roles/flip/tasks"));
        java.nio.file.Files.writeString(dir.resolve("roles/flip/tasks/main.yml"), flip);
        RunHarness h = RunHarness.run(dir, "[g]\nh1\n[g:vars]\nansible_connection=local\n", """
                - hosts: g
                  gather_facts: false
                  vars: {x: 1}
                  tasks:
                    - %s
                      when: x == 1
                """.formatted(include));
        assertEquals(ExitCode.OK, h.exitCode, h.results().toString());
        assertEquals(List.of("flip", "after flip"), h.results().stream()
                .map(r -> r.substring(0, r.indexOf(" h1")).replaceFirst("^flip : ", "")).toList(), h.results().toString());
        assertTrue(h.results().stream().noneMatch(r -> r.endsWith("skipped")), h.results().toString());
    }
}
