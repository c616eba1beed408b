package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest VM on a lab host, booted through libvirt (the libvirt_domain module) from the lab's guest image, with a
 * virtio file-backed disk: hf-iocheck runs in it at boot and reports 0 I/O errors, 0 mismatches and its longest
 * stall on the serial console; then a login through the host's forwarded port runs fio and the checker again. KVM
 * where `hyperform-lab guest accel` finds a guest boots under it, TCG otherwise; the test prints which.
 */
@Tag("lab")
class GuestIoLabTest {
    // node1: VhostReconnectLabTest installs QEMU and libvirt there too, so in CI the second install is a no-op
    private static final String NODE = "node1";
    private static final String SERIAL = "/var/log/hf-guest.serial";
    private static final String CLEANUP = "virsh destroy hf-guest >/dev/null 2>&1; virsh undefine hf-guest >/dev/null 2>&1; true";

    private static Map<String, String> summary(String text) {
        String line = text.lines().filter(l -> l.startsWith("HF-IOCHECK ")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no HF-IOCHECK summary line in:\n" + text)).strip();
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : line.substring("HF-IOCHECK ".length()).split(" ")) {
            m.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        return m;
    }

    @Test
    void aGuestBootsOnALabHostAndItsCheckerFindsNoErrors(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        Lab.labOutput("guest", "image");
        Path home = Lab.home();
        Lab.Run node = Lab.play(dir, "-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/site.yaml").toString(), "--tags", "qemu,libvirt", "-l", NODE);
        assertEquals(ExitCode.OK, node.exitCode(), node.console());
        String image = Lab.labOutput("guest", "push", NODE);
        String accel = Lab.labOutput("guest", "accel", NODE);
        String domainType = accel.equals("kvm") ? "kvm" : "qemu";
        System.out.println("guest accelerator on " + NODE + ": " + accel);
        Lab.ssh(NODE, CLEANUP + "; rm -f " + SERIAL + "; rm -f /var/lib/hf-guest-disk.raw; truncate -s 32M /var/lib/hf-guest-disk.raw");
        Path pb = Lab.write(dir, "guest.yaml", """
                - hosts: %s
                  gather_facts: false
                  tasks:
                    - name: a lab guest that checks its disk at boot
                      libvirt_domain:
                        name: hf-guest
                        domain_type: %s
                        machine: pc
                        memory_mib: 512
                        kernel: %s/vmlinuz
                        initrd: %s/initrd.img
                        cmdline: console=ttyS0 panic=-1 hf.check=/dev/vda hf.duration=5
                        serial_log: %s
                        ssh_port: 2222
                        disks: [{type: file, path: /var/lib/hf-guest-disk.raw}]
                        state: running
                """.formatted(NODE, domainType, image, image, SERIAL));
        try {
            long booting = System.nanoTime();
            Lab.Run vm = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString());
            assertEquals(ExitCode.OK, vm.exitCode(), vm.console());
            String serial = "";
            for (int i = 0; i < 120 && !serial.contains("HF-IOCHECK "); i++) {
                Thread.sleep(1000);
                serial = Lab.ssh(NODE, "cat " + SERIAL + " 2>/dev/null | tr -d '\\r'; true");
            }
            long checked = System.nanoTime();
            assertTrue(serial.contains("HF-GUEST up"), "the guest reached its init: " + serial);
            Map<String, String> s = summary(serial);
            assertEquals("0", s.get("errors"), s.toString());
            assertEquals("0", s.get("mismatches"), s.toString());
            assertEquals("ok", s.get("result"), s.toString());
            assertEquals("/dev/vda", s.get("device"));
            assertEquals("1", s.get("direct"), "the checker bypasses the guest's page cache: " + s);
            assertTrue(Long.parseLong(s.get("writes")) >= 8192, "at least one whole pass over the 32 MiB disk: " + s);
            System.out.printf("guest on %s (%s): %s errors, %s mismatches, longest stall %s ms; %d s from define to the summary%n",
                    NODE, domainType.equals("kvm") ? "KVM" : "TCG", s.get("errors"), s.get("mismatches"), s.get("longest_stall_ms"),
                    (checked - booting) / 1_000_000_000L);

            String again = "";
            for (int i = 0; i < 30 && !again.contains("HF-IOCHECK "); i++) {
                try {
                    again = Lab.labOutput("guest", "ssh", NODE, "hf-iocheck --seed 9 --blocks 1024 /dev/vda; uname -r");
                } catch (IllegalStateException notYet) {
                    Thread.sleep(1000);
                }
            }
            assertEquals("ok", summary(again).get("result"), "checker over ssh: " + again);
            String fio = Lab.labOutput("guest", "ssh", NODE, "fio --name=r --filename=/dev/vda --rw=randread --bs=4k --size=16M"
                    + " --runtime=2 --time_based --ioengine=libaio --direct=1 --iodepth=8 --output-format=terse");
            String[] f = fio.lines().filter(l -> l.startsWith("3;")).findFirst().orElseThrow(() -> new AssertionError("fio: " + fio)).split(";");
            assertEquals("0", f[4], "fio reports no errors: " + fio);
            assertTrue(Long.parseLong(f[7]) > 0, "fio read something: " + fio);
            System.out.printf("fio in the guest (%s): randread 4k QD8 %s IOPS; test took %d s%n", domainType.equals("kvm") ? "KVM" : "TCG",
                    f[7], (System.nanoTime() - t0) / 1_000_000_000L);
        } finally {
            Lab.ssh(NODE, CLEANUP);
        }
    }
}
