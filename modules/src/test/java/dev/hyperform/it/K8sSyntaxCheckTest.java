package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.cli.Main;
import dev.hyperform.error.ExitCode;
import dev.hyperform.modules.kubernetes.ManifestValidatorTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hyperform syntax-check} validates the manifests of k8s tasks offline (a role's files/ and its rendered
 * templates) and names the schema path and file:line; connects to nothing.
 */
class K8sSyntaxCheckTest {

    static String[] check(Path playbook) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            code = Main.run(new String[] {"syntax-check", playbook.toString()});
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new String[] {String.valueOf(code), buf.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void aBrokenKubeVirtVmFailsSyntaxCheckWithSchemaPathAndFileLine(@TempDir Path dir) throws Exception {
        Path role = dir.resolve("roles/vms");
        Files.createDirectories(role.resolve("tasks"));
        Files.createDirectories(role.resolve("files"));
        Files.createDirectories(role.resolve("templates"));
        Files.createDirectories(role.resolve("defaults"));
        Files.writeString(role.resolve("defaults/main.yml"), "vm_cores: 2\nvm_running: true\n");
        Files.writeString(role.resolve("tasks/main.yml"), """
                - name: vm from a file
                  k8s: {src: vm.yaml}
                - name: vm from a template
                  k8s: {template: vm.yaml.ftl}
                """);
        Files.writeString(role.resolve("files/vm.yaml"), ManifestValidatorTest.VM.formatted("true", "2", "capacity: 50G"));
        Files.writeString(role.resolve("templates/vm.yaml.ftl"), ManifestValidatorTest.VM.formatted("${vm_running?c}", "${vm_cores}", "capacity: 50G"));
        Path pb = Lab.write(dir, "site.yaml", "- hosts: all\n  gather_facts: false\n  roles: [vms]\n");
        String[] ok = check(pb);
        assertEquals(String.valueOf(ExitCode.OK), ok[0], ok[1]);

        Files.writeString(role.resolve("files/vm.yaml"), ManifestValidatorTest.VM.formatted("true", "two", "capacity: 50G"));
        String[] bad = check(pb);
        assertEquals(String.valueOf(ExitCode.INVALID_INPUT), bad[0], bad[1]);
        assertTrue(bad[1].contains(role.resolve("files/vm.yaml") + ":9: VirtualMachine vm1: /spec/template/spec/domain/cpu/cores: ")
                && bad[1].contains("integer"), bad[1]);

        Files.writeString(role.resolve("files/vm.yaml"), ManifestValidatorTest.VM.formatted("true", "2", "capacity: 50G"));
        Files.writeString(role.resolve("defaults/main.yml"), "vm_cores: two\nvm_running: true\n");
        String[] badTemplate = check(pb);
        assertEquals(String.valueOf(ExitCode.INVALID_INPUT), badTemplate[0], badTemplate[1]);
        assertTrue(badTemplate[1].contains("vm.yaml.ftl (rendered):9: VirtualMachine vm1: /spec/template/spec/domain/cpu/cores"), badTemplate[1]);
    }
}
