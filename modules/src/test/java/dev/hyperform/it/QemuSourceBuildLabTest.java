package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The qemu role's source path on a lab host: QEMU 7.2 (Debian's orig tarball, given from the controller) with the
 * repository's ordered patch series, configured and built on the host, installed into /opt/qemu-7.2.0; the patch
 * is in the binary, a second run and --check build nothing, a changed patch makes --check announce a rebuild; then
 * a VM on the built QEMU (through the distribution's libvirt) with a vhost-user-blk disk served by the built
 * qemu-storage-daemon. The tarball comes from -Dhyperform.src.cache (.ci/run downloads it from Debian's mirror);
 * without it the test is skipped, and .ci/test fails on that skip.
 */
@Tag("lab")
class QemuSourceBuildLabTest {
    private static final String QSD = "systemd-run --unit hf-src-qsd /opt/qemu-7.2.0/bin/qemu-storage-daemon"
            + " --blockdev driver=file,node-name=file0,filename=/var/lib/hf-src-disk.raw"
            + " --blockdev driver=raw,node-name=disk0,file=file0"
            + " --export type=vhost-user-blk,id=exp0,node-name=disk0,addr.type=unix,addr.path=/var/tmp/vhost.src0,writable=on"
            + " >/dev/null 2>&1; for i in $(seq 50); do [ -S /var/tmp/vhost.src0 ] && break; sleep 0.1; done";
    private static final String CLEANUP = "virsh destroy hf-src-vm >/dev/null 2>&1; virsh undefine hf-src-vm >/dev/null 2>&1;"
            + " systemctl stop hf-src-qsd >/dev/null 2>&1; systemctl reset-failed hf-src-qsd >/dev/null 2>&1; true";

    @Test
    void qemuFromSourceWithItsPatchSeriesRunsAVm(@TempDir Path dir) throws Exception {
        Path tarball = Path.of(System.getProperty("hyperform.src.cache", "/var/cache/hyperform-src")).resolve("qemu_7.2+dfsg.orig.tar.xz");
        assumeTrue(Files.isRegularFile(tarball), "no QEMU source tarball at " + tarball + " (.ci/run downloads it): source build not tested");
        Path home = Lab.home();
        Path pb = Lab.write(dir, "qemu-src.yaml", """
                - hosts: node3
                  become: true
                  vars:
                    qemu_install_method: source
                    qemu_source_archive: %s
                  roles: [%s]
                """.formatted(tarball, home.resolve("playbooks/roles/qemu")));
        String[] args = {"-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(), pb.toString()};
        Lab.Run built = Lab.play(dir, args);
        assertEquals(ExitCode.OK, built.exitCode(), built.console());
        String version = Lab.ssh("node3", "/opt/qemu-7.2.0/bin/qemu-system-x86_64 --version");
        assertTrue(version.startsWith("QEMU emulator version 7.2.0") && version.contains("Patched by hyperform"), version);
        assertTrue(Lab.ssh("node3", "/opt/qemu-7.2.0/bin/qemu-system-x86_64 -device help").contains("\"vhost-user-blk-pci\""));

        Lab.Run again = Lab.play(dir, args);
        assertEquals(ExitCode.OK, again.exitCode(), again.console());
        assertEquals(0, again.recap("node3").path("changed").asInt(), again.console());
        Lab.Run check = Lab.play(dir, Lab.plus(args, "--check"));
        assertEquals(ExitCode.OK, check.exitCode(), check.console());
        assertEquals(0, check.recap("node3").path("changed").asInt(), check.console());

        Path patches = Files.createDirectories(dir.resolve("patches"));
        try (Stream<Path> files = Files.list(home.resolve("templates/qemu/patches"))) {
            for (Path f : files.toList()) {
                Files.copy(f, patches.resolve(f.getFileName()));
            }
        }
        Path first = patches.resolve("0001-vl-name-the-hyperform-build-in-version.patch");
        Files.writeString(first, Files.readString(first).replace("vhost-user-blk node build", "vhost-user-blk node build (v2)"));
        Lab.Run changed = Lab.play(dir, Lab.plus(args, "--check", "-e", "qemu_patches_dir=" + patches));
        assertEquals(ExitCode.OK, changed.exitCode(), changed.console());
        assertTrue(changed.console().contains("build pending"), "a changed patch announces a rebuild: " + changed.console());

        Lab.Run libvirt = Lab.play(dir, "-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/site.yaml").toString(), "--tags", "libvirt", "-l", "node3");
        assertEquals(ExitCode.OK, libvirt.exitCode(), libvirt.console());
        Lab.ssh("node3", CLEANUP + "; truncate -s 64M /var/lib/hf-src-disk.raw; " + QSD);
        Path vm = Lab.write(dir, "vm.yaml", """
                - hosts: node3
                  gather_facts: false
                  tasks:
                    - libvirt_domain:
                        name: hf-src-vm
                        domain_type: qemu
                        machine: pc
                        memory_mib: 256
                        emulator: /opt/qemu-7.2.0/bin/qemu-system-x86_64
                        disks: [{type: vhostuser, socket: /var/tmp/vhost.src0, queues: 1, reconnect: 1}]
                        state: running
                """);
        try {
            Lab.Run started = Lab.play(dir, "-i", Lab.INVENTORY.toString(), vm.toString());
            assertEquals(ExitCode.OK, started.exitCode(), started.console());
            assertEquals("running", Lab.ssh("node3", "virsh domstate hf-src-vm"));
            assertTrue(Lab.ssh("node3", "virsh dumpxml hf-src-vm").contains("<emulator>/opt/qemu-7.2.0/bin/qemu-system-x86_64</emulator>"));
            assertTrue(Lab.vhostUserChardev("node3", "hf-src-vm").endsWith("filename=unix:"),
                    "the disk is connected to the built qemu-storage-daemon");
        } finally {
            Lab.ssh("node3", CLEANUP);
        }
    }
}
