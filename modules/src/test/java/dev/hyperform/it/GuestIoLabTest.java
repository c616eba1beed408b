package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guest VMs on a lab host, booted through libvirt (the libvirt_domain module) from the lab's guest image: hf-iocheck
 * runs in each at boot and reports 0 I/O errors, 0 mismatches and its longest stall on the serial console. One guest
 * has a virtio file-backed disk and is then logged into over ssh (the host's forwarded port) to run fio and the
 * checker again; one has a vhost-user-blk disk served by qemu-storage-daemon, whose backing file the host then
 * verifies with the same checker. KVM where `hyperform-lab guest accel` finds the guest boots under it, TCG otherwise;
 * the test prints which.
 */
@Tag("lab")
class GuestIoLabTest {
    // node1: VhostReconnectLabTest installs QEMU and libvirt there too, so in CI the second install is a no-op
    private static final String NODE = "node1";
    private static final String CLEANUP = "for d in hf-guest hf-guest-vu; do virsh destroy $d >/dev/null 2>&1; virsh undefine $d >/dev/null 2>&1; done;"
            + " systemctl stop hf-guest-qsd >/dev/null 2>&1; systemctl reset-failed hf-guest-qsd >/dev/null 2>&1; true";
    private static String image;
    private static String domainType;

    @BeforeAll
    static void hostWithQemuAndTheImage(@TempDir Path dir) throws Exception {
        Lab.labOutput("guest", "image");
        Path home = Lab.home();
        Lab.Run node = Lab.play(dir, "-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/site.yaml").toString(), "--tags", "qemu,libvirt", "-l", NODE);
        assertEquals(ExitCode.OK, node.exitCode(), node.console());
        image = Lab.labOutput("guest", "push", NODE);
        String accel = Lab.labOutput("guest", "accel", NODE);
        domainType = accel.equals("kvm") ? "kvm" : "qemu";
        System.out.println("guest accelerator on " + NODE + ": " + accel);
    }

    private static String accel() {
        return domainType.equals("kvm") ? "KVM" : "TCG";
    }

    /** Define and start a guest that checks /dev/vda at boot; its summary from the serial log, asserted clean. */
    private static Map<String, String> bootAndCheck(Path dir, String name, String disk, String more) throws Exception {
        String serial = "/var/log/" + name + ".serial";
        Lab.ssh(NODE, "rm -f " + serial);
        Path pb = Lab.write(dir, name + ".yaml", LabGuest.checkingGuestPlay(NODE, name, domainType, image, 5, serial, disk, "", more));
        long start = System.nanoTime();
        Lab.Run vm = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString());
        assertEquals(ExitCode.OK, vm.exitCode(), vm.console());
        String log = LabGuest.awaitSummary(NODE, serial, 120);
        assertTrue(log.contains("HF-GUEST up"), "the guest reached its init: " + log);
        Map<String, String> s = LabGuest.summary(log);
        assertEquals("0", s.get("errors"), s.toString());
        assertEquals("0", s.get("mismatches"), s.toString());
        assertEquals("ok", s.get("result"), s.toString());
        assertEquals("/dev/vda", s.get("device"));
        assertEquals("1", s.get("direct"), "the checker bypasses the guest's page cache: " + s);
        assertTrue(Long.parseLong(s.get("writes")) >= 8192, "at least one whole pass over the 32 MiB disk: " + s);
        System.out.printf("%s on %s (%s, %s): %s errors, %s mismatches, longest stall %s ms, %s passes; %d s from define to the summary%n",
                name, NODE, accel(), disk, s.get("errors"), s.get("mismatches"), s.get("longest_stall_ms"), s.get("passes"),
                (System.nanoTime() - start) / 1_000_000_000L);
        return s;
    }

    @Test
    void aGuestOnAVirtioDiskChecksItAndCanBeLoggedInto(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        Lab.ssh(NODE, CLEANUP + "; rm -f /var/lib/hf-guest-disk.raw; truncate -s 32M /var/lib/hf-guest-disk.raw");
        try {
            bootAndCheck(dir, "hf-guest", "{type: file, path: /var/lib/hf-guest-disk.raw}", "        ssh_port: 2222\n");
            String again = "";
            for (int i = 0; i < 30 && !again.contains("HF-IOCHECK "); i++) {
                try {
                    again = Lab.labOutput("guest", "ssh", NODE, "hf-iocheck --seed 9 --blocks 1024 /dev/vda; uname -r");
                } catch (IllegalStateException notYet) {
                    Thread.sleep(1000);
                }
            }
            assertEquals("ok", LabGuest.summary(again).get("result"), "checker over ssh: " + again);
            String fio = Lab.labOutput("guest", "ssh", NODE, "fio --name=r --filename=/dev/vda --rw=randread --bs=4k --size=16M"
                    + " --runtime=2 --time_based --ioengine=libaio --direct=1 --iodepth=8 --output-format=terse");
            String[] f = fio.lines().filter(l -> l.startsWith("3;")).findFirst().orElseThrow(() -> new AssertionError("fio: " + fio)).split(";");
            assertEquals("0", f[4], "fio reports no errors: " + fio);
            assertTrue(Long.parseLong(f[7]) > 0, "fio read something: " + fio);
            System.out.printf("fio in the guest over ssh (%s): randread 4k QD8 %s IOPS; test took %d s%n", accel(), f[7],
                    (System.nanoTime() - t0) / 1_000_000_000L);
        } finally {
            Lab.ssh(NODE, CLEANUP);
        }
    }

    @Test
    void aGuestOnAVhostUserBlkDiskChecksItAndTheBytesAreInTheBackingFile(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        String file = "/var/lib/hf-guest-vu.raw";
        Lab.ssh(NODE, CLEANUP + "; rm -f " + file + " /var/tmp/vhost.guest0; truncate -s 32M " + file
                + "; systemd-run --unit hf-guest-qsd qemu-storage-daemon"
                + " --blockdev driver=file,node-name=f0,filename=" + file
                + " --blockdev driver=raw,node-name=d0,file=f0"
                + " --export type=vhost-user-blk,id=e0,node-name=d0,addr.type=unix,addr.path=/var/tmp/vhost.guest0,writable=on,num-queues=1"
                + " >/dev/null 2>&1; for i in $(seq 50); do [ -S /var/tmp/vhost.guest0 ] && break; sleep 0.1; done; test -S /var/tmp/vhost.guest0");
        try {
            Map<String, String> s = bootAndCheck(dir, "hf-guest-vu",
                    "{type: vhostuser, socket: /var/tmp/vhost.guest0, queues: 1, reconnect: 1}", "");
            Lab.ssh(NODE, CLEANUP);
            // the guest's last pass, read from the backing file on the host: the bytes went through vhost-user-blk
            long lastPass = Long.parseLong(s.get("passes")) - 1;
            String host = Lab.ssh(NODE, image + "/hf-iocheck --mode verify --pass " + lastPass + " " + file + " 2>&1; true");
            Map<String, String> h = LabGuest.summary(host);
            assertEquals("8192", h.get("reads"), host);
            assertEquals("0", h.get("mismatches"), "the guest's last pass is in the backing file: " + host);
            assertEquals("0", h.get("errors"), host);
            System.out.printf("vhost-user-blk guest: the host read the guest's pass %d back from %s: %s; test took %d s%n", lastPass, file,
                    h.get("result"), (System.nanoTime() - t0) / 1_000_000_000L);
        } finally {
            Lab.ssh(NODE, CLEANUP);
        }
    }
}
