package dev.hyperform.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyperform.output.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A role's defaults and vars are in scope for its tasks however the role is called (import_role lost them). */
class RoleCallScopeTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "roles section          | roles: [r]",
            "import_role            | tasks: [{import_role: {name: r}}]",
            "import_role tasks_from | tasks: [{import_role: {name: r, tasks_from: other}}]",
            "include_role           | tasks: [{include_role: {name: r}}]",
            "include_role tasks_from| tasks: [{include_role: {name: r, tasks_from: other}}]"})
    void roleDefaultsAndVarsReachTheRolesTasks(String how, String call, @TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("roles/r/defaults"));
        Files.createDirectories(dir.resolve("roles/r/vars"));
        Files.createDirectories(dir.resolve("roles/r/tasks"));
        Files.writeString(dir.resolve("roles/r/defaults/main.yml"), "d: from-defaults\nh: \"${inventory_hostname}\"\n");
        Files.writeString(dir.resolve("roles/r/vars/main.yml"), "v: from-vars\n");
        String task = "- name: show\n  t: {msg: \"${d} ${v} ${h}\"}\n";
        Files.writeString(dir.resolve("roles/r/tasks/main.yml"), task);
        Files.writeString(dir.resolve("roles/r/tasks/other.yml"), task);
        String play = "- hosts: g\n  gather_facts: false\n  " + call + "\n";
        RunOptions opts = new RunOptions(false, false, 5, null, TagFilter.ALL, Map.of(), null, false, 0, List.of());
        RunHarness h = RunHarness.run(dir, "[g]\nh1 ansible_connection=local\n", play, opts);
        String seen = h.events.stream().filter(e -> e instanceof Event.HostResult r && r.task().endsWith("show"))
                .map(e -> String.valueOf(((Event.HostResult) e).result().get("msg"))).findFirst().orElse("<none: " + h.results() + ">");
        assertEquals("from-defaults from-vars h1", seen, how);
    }
}
