package dev.hyperform.modules.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.Location;
import dev.hyperform.module.ModuleException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every domain XML libvirt_domain emits validates against libvirt 9.0.0's RelaxNG schema (xmllint). */
class DomainXmlSchemaTest {
    private static final Path RNG = Path.of("src/test/resources/libvirt-9.0.0-schemas/domain.rng");
    private final LibvirtDomainModule module = new LibvirtDomainModule();

    static Stream<Map<String, Object>> shapes() {
        return Stream.of(
                Map.of("name", "vm1", "domain_type", "qemu",
                        "disks", List.of(Map.of("type", "vhostuser", "socket", "/var/tmp/vhost.vm1-0", "queues", 2, "reconnect", 10))),
                Map.of("name", "vm-huge", "hugepages", true, "memory_mib", 2048, "vcpus", 4,
                        "disks", List.of(Map.of("type", "vhostuser", "socket", "/var/tmp/vhost.a", "queues", 4, "reconnect", 1),
                                Map.of("type", "vhostuser", "socket", "/var/tmp/vhost.b"))),
                Map.of("name", "virtio-baseline", "disks", List.of(Map.of("type", "file", "path", "/var/lib/libvirt/images/d.qcow2", "format", "qcow2"))),
                Map.of("name", "kernel-boot", "domain_type", "qemu", "machine", "pc", "kernel", "/boot/vmlinuz", "initrd", "/boot/initrd.img",
                        "cmdline", "console=ttyS0 root=/dev/vda", "disks", List.of(Map.of("type", "vhostuser", "socket", "/run/x & <y>.sock"))),
                Map.of("name", "lab-guest", "domain_type", "qemu", "kernel", "/var/lib/g/vmlinuz", "serial_log", "/var/log/g & <1>.serial",
                        "ssh_port", 2222, "disks", List.of(Map.of("type", "file", "path", "/var/lib/g/disk.raw"))),
                Map.of("name", "no-reconnect", "disks", List.of(Map.of("type", "vhostuser", "socket", "/var/tmp/vhost.n", "reconnect", 0))),
                Map.of("name", "virtio-rbd", "domain_type", "qemu", "disks", List.of(Map.of("type", "rbd", "name", "replicapool/vm1-disk",
                        "hosts", List.of("172.31.250.11:6789", "mon-b"), "user", "qemu", "secret_uuid", "5d3c8a4e-6f0b-4c1e-9a43-2f7e1b2c9d10"))),
                Map.of("name", "virtio-rbd-defaults", "disks", List.of(Map.of("type", "rbd", "name", "replicapool/vm2-disk"))));
    }

    private static int validate(String xml, Path dir) throws Exception {
        Path f = dir.resolve("d.xml");
        Files.writeString(f, xml);
        Process p = new ProcessBuilder("xmllint", "--noout", "--relaxng", RNG.toString(), f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        if (rc != 0) {
            System.err.println(out);
        }
        return rc;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void emittedXmlValidates(Map<String, Object> args, @TempDir Path dir) throws Exception {
        String xml = DomainXml.write(LibvirtDomainModule.spec(module.spec().validate("libvirt_domain", args, Location.UNKNOWN)));
        assertEquals(0, validate(xml, dir), xml);
    }

    @Test
    void vhostUserDiskHasReconnectAndSharedMemory() {
        String xml = DomainXml.write(LibvirtDomainModule.spec(module.spec().validate("libvirt_domain", shapes().findFirst().orElseThrow(),
                Location.UNKNOWN)));
        assertTrue(xml.contains("<disk device=\"disk\" type=\"vhostuser\">"), xml);
        assertTrue(xml.contains("<reconnect enabled=\"yes\" timeout=\"10\"/>"), xml);
        assertTrue(xml.contains("<access mode=\"shared\"/>") && xml.contains("memAccess=\"shared\""), xml);
    }

    @Test
    void theSchemaRejectsARelativeSocketPathAndTheModuleSaysSoFirst(@TempDir Path dir) throws Exception {
        DomainSpec relative = new DomainSpec("bad", 512, 1, false, 2048, "qemu", "q35", "/usr/bin/qemu-system-x86_64", null, null, null,
                List.of(new DomainSpec.Disk("vhostuser", "vda", "vhost.0", 1, 10, null, null)), null, 0, null);
        assertNotEquals(0, validate(DomainXml.write(relative), dir), "libvirt's RNG must reject a relative socket path");
        ModuleException e = assertThrows(ModuleException.class, () -> LibvirtDomainModule.spec(module.spec().validate("libvirt_domain",
                Map.of("name", "bad", "disks", List.of(Map.of("type", "vhostuser", "socket", "vhost.0"))), Location.UNKNOWN)));
        assertTrue(e.getMessage().contains("absolute path"), e.getMessage());
    }

    /** The VirtIO baseline on Ceph: a network disk through QEMU's rbd driver, cephx with the key in a libvirt secret. */
    @Test
    void anRbdDiskIsANetworkDiskWithCephxAuth() {
        Map<String, Object> args = shapes().filter(m -> m.get("name").equals("virtio-rbd")).findFirst().orElseThrow();
        String xml = DomainXml.write(LibvirtDomainModule.spec(module.spec().validate("libvirt_domain", args, Location.UNKNOWN)));
        assertTrue(xml.contains("<disk device=\"disk\" type=\"network\">"), xml);
        assertTrue(xml.replaceAll(">\\s+<", "><").contains("<source name=\"replicapool/vm1-disk\" protocol=\"rbd\"><host name=\"172.31.250.11\" port=\"6789\"/>"
                + "<host name=\"mon-b\"/><auth username=\"qemu\"><secret type=\"ceph\" uuid=\"5d3c8a4e-6f0b-4c1e-9a43-2f7e1b2c9d10\"/></auth>"), xml);
        assertTrue(DomainXml.managed(xml).contains("disk vda network rbd:replicapool/vm1-disk hosts=172.31.250.11:6789,mon-b user=qemu"
                + " secret=5d3c8a4e-6f0b-4c1e-9a43-2f7e1b2c9d10 format=raw"), DomainXml.managed(xml).toString());
    }

    static Stream<Arguments> badRbdDisks() {
        return Stream.of(
                Arguments.of(Map.of("type", "rbd", "name", "vm1-disk"), "is not POOL/IMAGE"),
                Arguments.of(Map.of("type", "rbd", "name", "replicapool/vm1-disk", "user", "qemu"), "needs both user and secret_uuid"),
                Arguments.of(Map.of("type", "rbd", "name", "replicapool/vm1-disk", "hosts", "172.31.250.11"), "hosts must be a list"),
                Arguments.of(Map.of("type", "nbd", "name", "x"), "use vhostuser, file or rbd"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badRbdDisks")
    void aDiskTheModuleCannotWriteIsRefusedSayingWhy(Map<String, Object> disk, String message) {
        ModuleException e = assertThrows(ModuleException.class, () -> LibvirtDomainModule.spec(module.spec().validate("libvirt_domain",
                Map.of("name", "bad", "disks", List.of(disk)), Location.UNKNOWN)));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    /**
     * The guest's sshd reachable at the host's port (QEMU user networking, forwarded) on all its addresses or only on
     * one (ssh_listen: 127.0.0.1 = only from the host), its serial console kept in a file.
     */
    @Test
    void sshPortForwardsToTheGuestAndTheSerialConsoleIsLogged() {
        Map<String, Object> args = Map.of("name", "g", "serial_log", "/var/log/g.serial", "ssh_port", 2222);
        String xml = DomainXml.write(LibvirtDomainModule.spec(module.spec().validate("libvirt_domain", args, Location.UNKNOWN)));
        assertTrue(xml.contains("<qemu:arg value=\"user,id=hfnet0,hostfwd=tcp::2222-:22\"/>"), xml);
        assertTrue(xml.contains("<qemu:arg value=\"virtio-net-pci,netdev=hfnet0,addr=0x1e\"/>"), xml);
        assertTrue(xml.contains("<log append=\"off\" file=\"/var/log/g.serial\"/>"), xml);
        assertTrue(DomainXml.managed(xml).containsAll(List.of("serial_log=/var/log/g.serial", "ssh_port=2222")), DomainXml.managed(xml).toString());
        String local = DomainXml.write(LibvirtDomainModule.spec(module.spec().validate("libvirt_domain",
                Map.of("name", "g", "ssh_port", 2222, "ssh_listen", "127.0.0.1"), Location.UNKNOWN)));
        assertTrue(local.contains("<qemu:arg value=\"user,id=hfnet0,hostfwd=tcp:127.0.0.1:2222-:22\"/>"), local);
        assertTrue(DomainXml.managed(local).containsAll(List.of("ssh_port=2222", "ssh_listen=127.0.0.1")), DomainXml.managed(local).toString());
        assertTrue(DomainXml.managed(xml).contains("ssh_listen="), "all addresses: " + DomainXml.managed(xml));
        ModuleException noPort = assertThrows(ModuleException.class, () -> LibvirtDomainModule.spec(module.spec().validate("libvirt_domain",
                Map.of("name", "g", "ssh_listen", "127.0.0.1"), Location.UNKNOWN)));
        assertTrue(noPort.getMessage().contains("ssh_listen needs ssh_port"), noPort.getMessage());
        String none = DomainXml.write(LibvirtDomainModule.spec(module.spec().validate("libvirt_domain", Map.of("name", "g"), Location.UNKNOWN)));
        assertFalse(none.contains("qemu:commandline") || none.contains("<log "), none);
    }

    @Test
    void managedPartsIgnoreWhatLibvirtAdds() {
        String ours = DomainXml.write(LibvirtDomainModule.spec(module.spec().validate("libvirt_domain", shapes().findFirst().orElseThrow(),
                Location.UNKNOWN)));
        String libvirts = ours.replace("<vcpu>1</vcpu>", "<uuid>6f1c...</uuid><vcpu placement='static'>1</vcpu><on_poweroff>destroy</on_poweroff>");
        assertEquals(DomainXml.managed(ours), DomainXml.managed(libvirts));
    }
}
