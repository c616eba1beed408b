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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hyperform syntax-check} validates the manifests of k8s tasks offline (a role's files/ and its rendered
 * templates) and names the schema path and file:line; connects to nothing.
 */
class K8sSyntaxCheckTest {

    private static String[] check(Path playbook) {
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

    @Test
    void theClusterAndVmPlaybooksValidateOfflineAndEveryTemplateOfThemIsChecked(@TempDir Path dir) throws Exception {
        Path home = Lab.home();
        for (String book : List.of("playbooks/site.yaml", "playbooks/vms.yaml")) {
            String[] ok = check(home.resolve(book));
            assertEquals(String.valueOf(ExitCode.OK), ok[0], ok[1]);
        }
        // a copy of the roles with one default broken at a time: each template is rendered and validated, the
        // SPDK-vhost VMs (spdkVhostBlkDisk) against the schema with the patched field
        String[][] cases = {
                {"kubevirt_vms", "vm_cpu_cores: two", "vms-virtio.yaml.ftl (rendered)", "/spec/template/spec/domain/cpu/cores"},
                {"kubevirt_vms", "vm_spdk_vhost_node_labels: {HAS-SETUP-CEPH-STORAGE: [1]}", "vms-spdk-vhost.yaml.ftl (rendered)", "matchExpressions"},
                {"kubevirt", "kubevirt_migrations: {parallelMigrationsPerClustre: 5}", "kubevirt-cr.yaml.ftl (rendered)", "parallelMigrationsPerClustre"},
                {"kubevirt", "kubevirt_image_pull_policy: \"{a: 1}\"", "virt-operator.yaml.ftl (rendered)", "imagePullPolicy"}};
        for (String[] c : cases) {
            Path roles = Files.createDirectories(dir.resolve(c[0] + "-" + c[1].hashCode()).resolve("roles"));
            for (String role : List.of("kubevirt", "kubevirt_vms")) {
                copy(home.resolve("playbooks/roles").resolve(role), roles.resolve(role));
            }
            Path defaults = roles.resolve(c[0]).resolve("defaults/main.yml");
            String key = c[1].substring(0, c[1].indexOf(':'));
            Files.writeString(defaults, Files.readString(defaults).replaceAll("(?ms)^" + key + ":.*?(?=^[a-z#])", "") + c[1] + "\n");
            Path pb = Lab.write(roles.getParent(), "p.yaml", "- hosts: all\n  gather_facts: false\n  roles: [" + c[0] + "]\n");
            String[] bad = check(pb);
            assertEquals(String.valueOf(ExitCode.INVALID_INPUT), bad[0], c[1] + ":\n" + bad[1]);
            assertTrue(bad[1].contains(c[2]) && bad[1].contains(c[3]), c[1] + ":\n" + bad[1]);
        }
    }

    private static void copy(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
    }
}
