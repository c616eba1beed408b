package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node layer of playbooks/site.yaml converges on the lab's fresh Debian hosts: real apt installs of QEMU and
 * libvirt, a real libvirtd, hugepages really allocated, the spdk role against the SPDK JSON-RPC test double; a
 * second run and a check run change nothing; after the SPDK target restarts empty, its controllers come back.
 */
@Tag("lab")
class NodeRolesLabTest {

    @Test
    void nodeLayerConvergesThenChangesNothing(@TempDir Path dir) throws Exception {
        Path home = Lab.home();
        // the hosts share the machine's pool: pages others hold stay in it, so ask for the lab's 64 on top of them
        long pages = 64 + HugepagesRoleLabTest.pagesInUse("node1");
        String[] args = {"-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/site.yaml").toString(), "--tags", "node", "-e", "{\"hugepages_count\": " + pages + "}"};
        Lab.Run first = Lab.play(dir, args);
        assertEquals(ExitCode.OK, first.exitCode(), first.console());

        for (String n : List.of("node1", "node2", "node3")) {
            assertTrue(Lab.ssh(n, "qemu-system-x86_64 --version").contains("version 7."), "QEMU installed on " + n);
            assertEquals("active", Lab.ssh(n, "systemctl is-active libvirtd"));
            assertTrue(Lab.ssh(n, "grep '^cgroup_controllers' /etc/libvirt/qemu.conf").contains("[  ]")
                    || Lab.ssh(n, "grep '^cgroup_controllers' /etc/libvirt/qemu.conf").contains("[ ]"));
            assertEquals(pages, Long.parseLong(Lab.ssh(n, "cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages")),
                    "hugepages allocated and verified on " + n);
            assertEquals("vm.nr_hugepages = " + pages, Lab.ssh(n, "cat /etc/sysctl.d/80-hyperform-hugepages.conf"));
            assertEquals("active", Lab.ssh(n, "systemctl is-active spdk-vhost"));
            assertEquals("socket socket", Lab.ssh(n, "stat -c %F /var/tmp/vhost.vm1-0 /var/tmp/vhost.vm2-0 | sed 's/^.* //' | xargs"));
        }

        Lab.Run second = Lab.play(dir, args);
        assertEquals(ExitCode.OK, second.exitCode(), second.console());
        Lab.Run check = Lab.play(dir, Lab.plus(args, "--check"));
        assertEquals(ExitCode.OK, check.exitCode(), check.console());
        for (String n : List.of("node1", "node2", "node3")) {
            assertEquals(0, second.recap(n).path("changed").asInt(), "second run changed something on " + n);
            assertEquals(0, check.recap(n).path("changed").asInt(), "check on converged host reports a change on " + n);
        }

        // SPDK keeps nothing across a restart (the double behaves the same): the role re-declares the controllers
        Lab.ssh("node1", "systemctl restart spdk-vhost; sleep 1");
        assertEquals("absent", Lab.ssh("node1", "test -S /var/tmp/vhost.vm1-0 && echo present || echo absent"));
        Lab.Run again = Lab.play(dir, Lab.plus(args, "--tags", "spdk"));
        assertEquals(ExitCode.OK, again.exitCode(), again.console());
        assertEquals(1, again.recap("node1").path("changed").asInt(), again.console());
        assertEquals(0, again.recap("node2").path("changed").asInt(), again.console());
        assertEquals("socket socket", Lab.ssh("node1", "stat -c %F /var/tmp/vhost.vm1-0 /var/tmp/vhost.vm2-0 | sed 's/^.* //' | xargs"),
                "re-created with identical names and socket paths");
    }


    /**
     * hugepages_reboot: a changed kernel command line updates the boot loader and then reboots the host, once.
     * The lab's hosts have no boot loader of their own (they share the machine's kernel), so the update command is
     * replaced by {@code true} here; the drop-in, the handler order and the real reboot are what is tested.
     */
    @Test
    void hugepagesRebootsOnceWhenTheKernelCommandLineChanges(@TempDir Path dir) throws Exception {
        Lab.ssh("node3", "rm -f /etc/default/grub.d/80-hyperform-hugepages.cfg");
        Path pb = Lab.write(dir, "hp.yaml", "- hosts: node3\n  become: true\n  roles: [" + Lab.home().resolve("playbooks/roles/hugepages") + "]\n");
        long pages = 64 + HugepagesRoleLabTest.pagesInUse("node3"); // the machine's pool: pages others hold stay
        String[] args = {"-i", Lab.INVENTORY.toString(), "-i", Lab.home().resolve("inventories/lab").toString(), pb.toString(),
                "-e", "{\"hugepages_kernel_cmdline\": true, \"hugepages_reboot\": true, \"hugepages_grub_update_command\": \"true\", "
                + "\"hugepages_count\": " + pages + "}"};
        String boot = Lab.ssh("node3", "cat /proc/sys/kernel/random/boot_id");
        Lab.Run first = Lab.play(dir, args);
        assertEquals(ExitCode.OK, first.exitCode(), first.console());
        assertTrue(Lab.ssh("node3", "cat /etc/default/grub.d/80-hyperform-hugepages.cfg").contains("hugepagesz=2M hugepages=" + pages));
        assertEquals("changed", first.results("hugepages : reboot for the kernel command line").get(0).path("status").asText());
        String bootAfter = Lab.ssh("node3", "cat /proc/sys/kernel/random/boot_id");
        assertTrue(!boot.equals(bootAfter), "the host rebooted after the kernel command line changed");
        assertEquals(pages, Long.parseLong(Lab.ssh("node3", "cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages")));

        Lab.Run second = Lab.play(dir, args);
        assertEquals(ExitCode.OK, second.exitCode(), second.console());
        assertEquals(0, second.recap("node3").path("changed").asInt(), second.console());
        assertEquals(bootAfter, Lab.ssh("node3", "cat /proc/sys/kernel/random/boot_id"), "no second reboot");
        Lab.ssh("node3", "rm -f /etc/default/grub.d/80-hyperform-hugepages.cfg");
    }

    /**
     * Without hugepages_reboot, hugepages_reboot_required says whether /proc/cmdline lacks the reservation's arguments
     * (and a message tells the user to reboot); nothing reboots. The lab's /proc/cmdline is the machine's.
     */
    @Test
    void hugepagesRebootRequiredFollowsTheKernelCommandLine(@TempDir Path dir) throws Exception {
        Path pb = Lab.write(dir, "hp.yaml", "- hosts: node2\n  become: true\n  roles: [" + Lab.home().resolve("playbooks/roles/hugepages") + "]\n"
                + "- hosts: node2\n  gather_facts: false\n  tasks:\n    - {name: show, debug: {msg: \"${hugepages_reboot_required?c}\"}}\n");
        String boot = Lab.ssh("node2", "cat /proc/sys/kernel/random/boot_id");
        String present = Lab.ssh("node2", "cut -d' ' -f1 /proc/cmdline");
        try {
            for (String[] c : new String[][] {{"", "true"}, {", \"hugepages_cmdline_args\": [\"" + present + "\"]", "false"}}) {
                Lab.Run r = Lab.play(dir, "-i", Lab.INVENTORY.toString(), "-i", Lab.home().resolve("inventories/lab").toString(), pb.toString(),
                        "-e", "{\"hugepages_kernel_cmdline\": true, \"hugepages_grub_update_command\": \"true\"" + c[0] + "}");
                assertEquals(ExitCode.OK, r.exitCode(), r.console());
                assertEquals(c[1], r.results("show").get(0).path("result").path("msg").asText(), r.console());
                String told = r.results("hugepages : reboot required").get(0).path("status").asText();
                assertEquals(c[1].equals("true") ? "ok" : "skipped", told, r.console());
                if (c[1].equals("true")) {
                    assertTrue(r.console().contains("the kernel command line lacks default_hugepagesz=2M hugepagesz=2M hugepages=64: reboot node2"),
                            r.console());
                }
            }
            assertEquals(boot, Lab.ssh("node2", "cat /proc/sys/kernel/random/boot_id"), "nothing rebooted");
        } finally {
            Lab.ssh("node2", "rm -f /etc/default/grub.d/80-hyperform-hugepages.cfg");
        }
    }
}
