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

    static String[] check(Path playbook, String... options) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("syntax-check"));
            args.addAll(java.util.List.of(options));
            args.add(playbook.toString());
            code = Main.run(args.toArray(String[]::new));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new String[] {String.valueOf(code), buf.toString(StandardCharsets.UTF_8)};
    }

    /** Role {@code vms} under {@code dir} with its tasks/, files/, templates/ and defaults/ (the given defaults). */
    private static Path role(Path dir, String defaults) throws Exception {
        Path role = dir.resolve("roles/vms");
        for (String d : new String[] {"tasks", "files", "templates", "defaults"}) {
            Files.createDirectories(role.resolve(d));
        }
        Files.writeString(role.resolve("defaults/main.yml"), defaults);
        return role;
    }

    @Test
    void aBrokenKubeVirtVmFailsSyntaxCheckWithSchemaPathAndFileLine(@TempDir Path dir) throws Exception {
        Path role = role(dir, "vm_cores: 2\nvm_running: true\n");
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

    @Test
    void withAnInventoryTemplatesAreRenderedWithTheVariablesARunHasOnEachHost(@TempDir Path dir) throws Exception {
        Path role = role(dir, "vm_running: true\n");
        Files.writeString(role.resolve("tasks/main.yml"), "- name: vm from a template\n  k8s: {template: vm.yaml.ftl}\n");
        Path template = role.resolve("templates/vm.yaml.ftl");
        Files.writeString(template, ManifestValidatorTest.VM.formatted("${vm_running?c}", "${vm_cores}", "capacity: ${vm_disk}"));
        Path pb = Lab.write(dir, "site.yaml", "- hosts: hv\n  gather_facts: false\n  roles: [vms]\n");
        Path inv = Files.createDirectories(dir.resolve("inventory"));
        Files.writeString(inv.resolve("hosts"), "[hv]\nnode1\nnode2\n");
        Files.createDirectories(inv.resolve("group_vars"));
        Files.createDirectories(inv.resolve("host_vars"));
        // a group variable that refers to another one: resolved as a run resolves it
        Files.writeString(inv.resolve("group_vars/hv.yml"), "vm_cores: 2\nvm_disk_gb: 50\nvm_disk: \"${vm_disk_gb}G\"\n");

        String[] withoutInventory = check(pb);
        assertEquals(String.valueOf(ExitCode.INVALID_INPUT), withoutInventory[0], withoutInventory[1]);
        assertTrue(withoutInventory[1].contains("vm_cores"), withoutInventory[1]);

        String[] ok = check(pb, "-i", inv.toString());
        assertEquals(String.valueOf(ExitCode.OK), ok[0], ok[1]);

        // one host's own value breaks the manifest: the schema error names that host
        Files.writeString(inv.resolve("host_vars/node2.yml"), "vm_cores: two\n");
        String[] bad = check(pb, "-i", inv.toString());
        assertEquals(String.valueOf(ExitCode.INVALID_INPUT), bad[0], bad[1]);
        assertTrue(bad[1].contains("vm.yaml.ftl (rendered for node2):9: VirtualMachine vm1: /spec/template/spec/domain/cpu/cores"), bad[1]);
        // extra vars win over the inventory, as in a run
        String[] extra = check(pb, "-i", inv.toString(), "-e", "vm_cores=8");
        assertEquals(String.valueOf(ExitCode.OK), extra[0], extra[1]);

        // a variable no layer defines is still an error with the template's file:line
        Files.delete(inv.resolve("host_vars/node2.yml"));
        Files.writeString(inv.resolve("group_vars/hv.yml"), "vm_cores: 2\n");
        String[] undefined = check(pb, "-i", inv.toString());
        assertEquals(String.valueOf(ExitCode.INVALID_INPUT), undefined[0], undefined[1]);
        assertTrue(undefined[1].contains("vm_disk") && undefined[1].contains(template + ":20"), undefined[1]);
    }
}
