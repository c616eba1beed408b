package dev.hyperform.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyperform.output.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Variable precedence, table-driven: variable {@code v} is defined at every level up to and including LEVEL
 * (each giving its own level's name as the value); the task must see LEVEL. Levels lowest first, as documented
 * in docs/expressions.md.
 */
class PrecedenceTest {
    static final List<String> LEVELS = List.of("role_defaults", "inventory_group_all", "inventory_group", "group_vars_all",
            "group_vars_group", "inventory_host", "host_vars", "play_vars", "vars_files", "role_vars", "block_vars", "task_vars",
            "set_fact", "role_params", "extra_vars");

    @ParameterizedTest(name = "{0} wins over everything below it")
    @ValueSource(strings = {"role_defaults", "inventory_group_all", "inventory_group", "group_vars_all", "group_vars_group",
            "inventory_host", "host_vars", "play_vars", "vars_files", "role_vars", "block_vars", "task_vars", "set_fact",
            "role_params", "extra_vars"})
    void highestDefinedLevelWins(String level, @TempDir Path dir) throws Exception {
        int top = LEVELS.indexOf(level);
        boolean[] on = new boolean[LEVELS.size()];
        for (int i = 0; i <= top; i++) {
            on[i] = true;
        }
        StringBuilder inv = new StringBuilder("[g]\nh1" + (on[5] ? " v=inventory_host" : "") + "\n[g:vars]\nansible_connection=local\n");
        if (on[2]) {
            inv.append("v=inventory_group\n");
        }
        if (on[1]) {
            inv.append("[all:vars]\nv=inventory_group_all\n");
        }
        Files.createDirectories(dir.resolve("group_vars"));
        Files.createDirectories(dir.resolve("host_vars"));
        if (on[3]) {
            Files.writeString(dir.resolve("group_vars/all.yml"), "v: group_vars_all\n");
        }
        if (on[4]) {
            Files.writeString(dir.resolve("group_vars/g.yml"), "v: group_vars_group\n");
        }
        if (on[6]) {
            Files.writeString(dir.resolve("host_vars/h1.yml"), "v: host_vars\n");
        }
        Files.createDirectories(dir.resolve("roles/r/defaults"));
        Files.createDirectories(dir.resolve("roles/r/vars"));
        Files.createDirectories(dir.resolve("roles/r/tasks"));
        Files.writeString(dir.resolve("roles/r/defaults/main.yml"), on[0] ? "v: role_defaults\n" : "{}\n");
        Files.writeString(dir.resolve("roles/r/vars/main.yml"), on[9] ? "v: role_vars\n" : "{}\n");
        Files.writeString(dir.resolve("vf.yml"), "v: vars_files\n");
        StringBuilder tasks = new StringBuilder();
        if (on[12]) {
            tasks.append("- t: {facts: {v: set_fact}}\n");
        }
        tasks.append("- block:\n    - name: show\n      t: {msg: \"${v}\"}\n      register: out\n");
        if (on[11]) {
            tasks.append("      vars: {v: task_vars}\n");
        }
        if (on[10]) {
            tasks.append("  vars: {v: block_vars}\n");
        }
        Files.writeString(dir.resolve("roles/r/tasks/main.yml"), tasks.toString());
        String play = "- hosts: g\n  gather_facts: false\n"
                + (on[7] ? "  vars: {v: play_vars}\n" : "")
                + (on[8] ? "  vars_files: [vf.yml]\n" : "")
                + "  roles:\n    - " + (on[13] ? "{role: r, v: role_params}" : "r") + "\n";
        RunOptions opts = new RunOptions(false, false, 5, null, TagFilter.ALL, on[14] ? Map.of("v", "extra_vars") : Map.of(),
                null, false, 0, List.of());
        RunHarness h = RunHarness.run(dir, inv.toString(), play, opts);
        String seen = h.events.stream().filter(e -> e instanceof Event.HostResult r && r.task().endsWith("show"))
                .map(e -> String.valueOf(((Event.HostResult) e).result().get("msg"))).findFirst().orElse("<none: " + h.results() + ">");
        assertEquals(level, seen);
    }
}
