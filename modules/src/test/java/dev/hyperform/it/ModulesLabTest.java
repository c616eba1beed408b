package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * System modules on a real host: check mode first reports exactly as many changes as the real run then makes and
 * changes nothing; the real run changes; the second run and a second check change nothing.
 */
@Tag("lab")
class ModulesLabTest {

    @Test
    void checkThenApplyThenIdempotentOnARealHost(@TempDir Path dir) throws Exception {
        Lab.ssh("node2", "userdel -r hf-u >/dev/null 2>&1; groupdel hf-g >/dev/null 2>&1; rm -f /etc/hf-block /etc/sysctl.d/hf.conf;"
                + " umount /mnt/hf-tmp >/dev/null 2>&1; sed -i '/hf-tmp/d' /etc/fstab; DEBIAN_FRONTEND=noninteractive apt-get -y -q purge jq libjq1 >/dev/null 2>&1; true");
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: node2
                  gather_facts: true
                  tasks:
                    - group: {name: hf-g}
                    - user: {name: hf-u, groups: [hf-g], shell: /bin/sh}
                    - blockinfile: {path: /etc/hf-block, block: "a = 1\\nb = 2", create: true, mode: '0600'}
                    - sysctl: {name: vm.swappiness, value: "10", sysctl_file: /etc/sysctl.d/hf.conf, sysctl_set: false}
                    - mount: {path: /mnt/hf-tmp, src: tmpfs, fstype: tmpfs, opts: size=1m, state: mounted}
                    - apt: {name: [jq], state: present, update_cache: true, cache_valid_time: 3600}
                    - systemd: {name: ssh, state: started, enabled: true}
                    - wait_for: {port: 22, timeout: 5}
                """);
        String[] args = {"-i", Lab.INVENTORY.toString(), pb.toString()};
        Lab.Run check = Lab.play(dir, Lab.plus(args, "--check"));
        assertEquals(ExitCode.OK, check.exitCode(), check.console());
        assertEquals("absent", Lab.ssh("node2", "id hf-u >/dev/null 2>&1 && echo present || echo absent"), "check changed nothing");
        Lab.Run real = Lab.play(dir, args);
        assertEquals(ExitCode.OK, real.exitCode(), real.console());
        int checked = check.recap("node2").path("changed").asInt();
        assertEquals(6, checked, check.console());
        assertEquals(checked, real.recap("node2").path("changed").asInt(), "check mode predicted the real run");
        assertTrue(Lab.ssh("node2", "id -nG hf-u").contains("hf-g"));
        assertEquals("600", Lab.ssh("node2", "stat -c %a /etc/hf-block"));
        assertTrue(Lab.ssh("node2", "grep hf-tmp /proc/mounts").contains("tmpfs"));
        assertTrue(Lab.ssh("node2", "jq --version").startsWith("jq-"));
        Lab.Run second = Lab.play(dir, args);
        Lab.Run check2 = Lab.play(dir, Lab.plus(args, "--check"));
        assertEquals(0, second.recap("node2").path("changed").asInt(), second.console());
        assertEquals(0, check2.recap("node2").path("changed").asInt(), check2.console());
    }


    @Test
    void rebootWaitsForTheHostToComeBackOnTheSameRun(@TempDir Path dir) throws Exception {
        String bootBefore = Lab.ssh("node3", "cat /proc/sys/kernel/random/boot_id");
        Path pb = Lab.write(dir, "p.yaml", """
                - hosts: node3
                  gather_facts: false
                  tasks:
                    - {name: reboot, reboot: {reboot_timeout: 120}}
                    - {name: after, command: "cat /proc/sys/kernel/random/boot_id", register: b, changed_when: false}
                """);
        Lab.Run check = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString(), "--check");
        assertEquals(ExitCode.OK, check.exitCode(), check.console());
        assertEquals(1, check.recap("node3").path("changed").asInt(), "check mode reports the reboot");
        assertEquals(bootBefore, Lab.ssh("node3", "cat /proc/sys/kernel/random/boot_id"), "check mode did not reboot");
        Lab.Run r = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString());
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        String bootAfter = Lab.ssh("node3", "cat /proc/sys/kernel/random/boot_id");
        assertTrue(!bootAfter.equals(bootBefore), "the host really rebooted");
        assertTrue(r.console().contains("changed: [node3]"), r.console());
    }
}
