package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mechanism behind SPDK live recovery, on a real QEMU 7.2 / libvirt 9.0 in the lab (TCG): a VM whose disk is a
 * vhost-user-blk socket with reconnect on keeps running while the vhost-user server restarts, and its disk
 * reconnects. qemu-storage-daemon is the real vhost-user-blk server here, standing in for SPDK.
 */
@Tag("lab")
class VhostReconnectLabTest {
    private static final String QSD = "systemd-run --unit hf-qsd qemu-storage-daemon"
            + " --blockdev driver=file,node-name=file0,filename=/var/lib/hf-disk.raw"
            + " --blockdev driver=raw,node-name=disk0,file=file0"
            + " --export type=vhost-user-blk,id=exp0,node-name=disk0,addr.type=unix,addr.path=/var/tmp/vhost.qsd0,writable=on,num-queues=2"
            + " >/dev/null 2>&1; for i in $(seq 50); do [ -S /var/tmp/vhost.qsd0 ] && break; sleep 0.1; done";

    /** The same VM through --check and real runs: a changed argument, autostart, shut, absent. */
    private static void updatesAutostartShutAndAbsent(Path dir, String running) throws Exception {
        String memory = "virsh dumpxml --inactive hf-vm | grep -o '<memory unit=.KiB.>[0-9]*'";
        String before = Lab.ssh("node1", memory);
        Path more = Lab.write(dir, "more.yaml", running.replace("memory_mib: 256", "memory_mib: 320"));
        String[] args = {"-i", Lab.INVENTORY.toString(), more.toString()};
        Lab.Run check = Lab.play(dir, Lab.plus(args, "--check", "--diff"));
        assertEquals(1, check.recap("node1").path("changed").asInt(), check.console());
        assertTrue(check.console().contains("+memory_kib=327680"), "the diff names the change: " + check.console());
        assertTrue(check.console().contains("keeps its old definition until it is shut down and started again"), check.console());
        assertEquals(before, Lab.ssh("node1", memory), "check mode defined nothing");
        Lab.Run update = Lab.play(dir, args);
        assertEquals(1, update.recap("node1").path("changed").asInt(), update.console());
        assertTrue(Lab.ssh("node1", memory).endsWith(">327680"), "the new definition is stored");
        assertEquals("running", Lab.ssh("node1", "virsh domstate hf-vm"), "a define leaves the running domain alone");

        String autostart = "virsh dominfo hf-vm | awk '/^Autostart:/ {print $2}'";
        Path auto = Lab.write(dir, "auto.yaml", running.replace("memory_mib: 256", "memory_mib: 320").replace("state: running",
                "state: running\n        autostart: true"));
        assertEquals(1, Lab.play(dir, "-i", Lab.INVENTORY.toString(), auto.toString(), "--check").recap("node1").path("changed").asInt());
        assertEquals("disable", Lab.ssh("node1", autostart), "check mode left autostart alone");
        assertEquals(1, Lab.play(dir, "-i", Lab.INVENTORY.toString(), auto.toString()).recap("node1").path("changed").asInt());
        assertEquals("enable", Lab.ssh("node1", autostart));
        assertEquals(0, Lab.play(dir, "-i", Lab.INVENTORY.toString(), auto.toString()).recap("node1").path("changed").asInt());

        for (String[] step : new String[][] {{"shut", "shut off"}, {"absent", "absent"}}) {
            Path p = Lab.write(dir, step[0] + ".yaml", running.replace("memory_mib: 256", "memory_mib: 320")
                    .replace("state: running", "state: " + step[0]));
            String state = "virsh domstate hf-vm 2>/dev/null || echo absent";
            String was = Lab.ssh("node1", state);
            Lab.Run c = Lab.play(dir, "-i", Lab.INVENTORY.toString(), p.toString(), "--check");
            assertEquals(1, c.recap("node1").path("changed").asInt(), c.console());
            assertEquals(was, Lab.ssh("node1", state), "check mode changed nothing for state " + step[0]);
            Lab.Run r = Lab.play(dir, "-i", Lab.INVENTORY.toString(), p.toString());
            assertEquals(ExitCode.OK, r.exitCode(), r.console());
            assertEquals(step[1], Lab.ssh("node1", state));
            assertEquals(0, Lab.play(dir, "-i", Lab.INVENTORY.toString(), p.toString()).recap("node1").path("changed").asInt(),
                    "state " + step[0] + " again");
        }
    }

    @Test
    void aVmKeepsRunningAndItsVhostUserDiskReconnectsWhenTheServerRestarts(@TempDir Path dir) throws Exception {
        Path home = Lab.home();
        Lab.Run node = Lab.play(dir, "-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/site.yaml").toString(), "--tags", "qemu,libvirt", "-l", "node1");
        assertEquals(ExitCode.OK, node.exitCode(), node.console());
        Lab.ssh("node1", "virsh destroy hf-vm >/dev/null 2>&1; virsh undefine hf-vm >/dev/null 2>&1; systemctl stop hf-qsd >/dev/null 2>&1;"
                + " systemctl reset-failed hf-qsd >/dev/null 2>&1; truncate -s 64M /var/lib/hf-disk.raw; " + QSD + "; true");
        Path pb = Lab.write(dir, "vm.yaml", """
                - hosts: node1
                  gather_facts: false
                  tasks:
                    - name: VM with a vhost-user-blk disk
                      libvirt_domain:
                        name: hf-vm
                        domain_type: qemu
                        machine: pc
                        memory_mib: 256
                        disks: [{type: vhostuser, socket: /var/tmp/vhost.qsd0, queues: 2, reconnect: 1}]
                        state: running
                """);
        try {
            Lab.Run vm = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString());
            assertEquals(ExitCode.OK, vm.exitCode(), vm.console());
            assertEquals("running", Lab.ssh("node1", "virsh domstate hf-vm"));
            assertTrue(Lab.ssh("node1", "virsh dumpxml hf-vm").contains("<reconnect enabled='yes' timeout='1'/>"));
            assertTrue(Lab.vhostUserChardev("node1", "hf-vm").endsWith("filename=unix:"), "connected to the server");

            Lab.ssh("node1", "systemctl stop hf-qsd; sleep 0.5");
            assertTrue(Lab.vhostUserChardev("node1", "hf-vm").contains("disconnected:unix:/var/tmp/vhost.qsd0"), "QEMU saw the server go");
            assertEquals("running", Lab.ssh("node1", "virsh domstate hf-vm"), "the VM survives the server's absence");

            Lab.ssh("node1", "systemctl reset-failed hf-qsd >/dev/null 2>&1; " + QSD + "; sleep 3");
            assertTrue(Lab.vhostUserChardev("node1", "hf-vm").endsWith("filename=unix:"), "the disk reconnected");
            assertEquals("running", Lab.ssh("node1", "virsh domstate hf-vm"));

            Lab.Run again = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString());
            assertEquals(0, again.recap("node1").path("changed").asInt(), "libvirt_domain is idempotent: " + again.console());
            updatesAutostartShutAndAbsent(dir, Files.readString(pb));
        } finally {
            Lab.ssh("node1", "virsh destroy hf-vm >/dev/null 2>&1; virsh undefine hf-vm >/dev/null 2>&1; systemctl stop hf-qsd >/dev/null 2>&1; true");
        }
    }
}
