package dev.hyperform.modules.libvirt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.Location;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Diff;
import dev.hyperform.modules.testing.LocalShellTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What libvirt_domain plans against an existing domain, with a test double of {@code virsh} first on PATH (it
 * answers domstate, dumpxml and dominfo from files; it defines nothing): every argument the module writes into the
 * XML plans a define when it changes, and the diff names the change; the same arguments plan nothing; a running
 * domain is told to need a restart; a missing virt-xml-validate is said, not skipped silently. The real define runs
 * in VhostReconnectLabTest.
 */
class LibvirtDomainPlanTest {
    private static final Map<String, Object> BASE = Map.of("name", "vm1", "domain_type", "kvm", "machine", "q35", "memory_mib", 512,
            "kernel", "/boot/vmlinuz", "initrd", "/boot/initrd.img", "cmdline", "console=ttyS0",
            "disks", List.of(Map.of("type", "vhostuser", "socket", "/var/tmp/vhost.0", "queues", 2, "reconnect", 10),
                    Map.of("type", "file", "path", "/var/lib/d.raw", "format", "raw")));
    private final LibvirtDomainModule module = new LibvirtDomainModule();

    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of("emulator", "/opt/qemu/bin/qemu-system-x86_64", "emulator=/opt/qemu/bin/qemu-system-x86_64"),
                Arguments.of("machine", "pc", "machine=pc"),
                Arguments.of("domain_type", "qemu", "domain_type=qemu"),
                Arguments.of("memory_mib", 1024, "memory_kib=1048576"),
                Arguments.of("vcpus", 2, "vcpu=2"),
                Arguments.of("hugepages", true, "hugepages=2048 KiB"),
                Arguments.of("kernel", "/boot/vmlinuz-new", "kernel=/boot/vmlinuz-new"),
                Arguments.of("initrd", "/boot/initrd-new", "initrd=/boot/initrd-new"),
                Arguments.of("cmdline", "console=ttyS0 quiet", "cmdline=console=ttyS0 quiet"),
                Arguments.of("serial_log", "/var/log/vm1.serial", "serial_log=/var/log/vm1.serial"),
                Arguments.of("ssh_port", 2222, "ssh_port=2222"),
                Arguments.of("disks", List.of(Map.of("type", "vhostuser", "socket", "/var/tmp/vhost.0", "queues", 4, "reconnect", 10),
                        Map.of("type", "file", "path", "/var/lib/d.raw", "format", "raw")), "queues=4"),
                Arguments.of("disks", List.of(Map.of("type", "vhostuser", "socket", "/var/tmp/vhost.0", "queues", 2, "reconnect", 0),
                        Map.of("type", "file", "path", "/var/lib/d.raw", "format", "raw")), "reconnect=no"),
                Arguments.of("disks", List.of(Map.of("type", "vhostuser", "socket", "/var/tmp/vhost.1", "queues", 2, "reconnect", 10),
                        Map.of("type", "file", "path", "/var/lib/d.raw", "format", "raw")), "/var/tmp/vhost.1"),
                Arguments.of("disks", List.of(Map.of("type", "vhostuser", "socket", "/var/tmp/vhost.0", "queues", 2, "reconnect", 10),
                        Map.of("type", "file", "path", "/var/lib/d.raw", "format", "qcow2")), "format=qcow2"),
                Arguments.of("disks", List.of(Map.of("type", "vhostuser", "socket", "/var/tmp/vhost.0", "queues", 2, "reconnect", 10),
                        Map.of("type", "file", "path", "/var/lib/d.raw", "format", "raw", "target", "vdc")), "disk vdc"),
                Arguments.of("disks", List.of(Map.of("type", "vhostuser", "socket", "/var/tmp/vhost.0", "queues", 2, "reconnect", 10),
                        Map.of("type", "rbd", "name", "replicapool/d", "hosts", List.of("10.0.0.1:6789"), "user", "qemu", "secret_uuid", "u1")),
                        "disk vdb network rbd:replicapool/d hosts=10.0.0.1:6789 user=qemu secret=u1"));
    }

    /** An existing domain as libvirt reports it: defined from {@code args}, with the machine alias resolved. */
    private LocalShellTarget virsh(Path dir, Map<String, Object> args, String state, boolean validator) throws Exception {
        String xml = DomainXml.write(LibvirtDomainModule.spec(validate(args)))
                .replace("machine=\"q35\"", "machine=\"pc-q35-7.2\"").replace("<vcpu>", "<uuid>0b0e</uuid><vcpu placement=\"static\">");
        Files.writeString(dir.resolve("domain.xml"), xml);
        Files.writeString(dir.resolve("state"), state + "\n");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("virsh"), """
                #!/bin/sh
                case "$1" in
                  domstate) cat %1$s/state ;;
                  dumpxml) cat %1$s/domain.xml ;;
                  dominfo) echo 'Autostart:      disable' ;;
                  *) echo "the virsh test double does not $1" >&2; exit 1 ;;
                esac
                """.formatted(dir));
        bin.resolve("virsh").toFile().setExecutable(true);
        if (validator) {
            Files.writeString(bin.resolve("virt-xml-validate"), "#!/bin/sh\nexit 0\n");
            bin.resolve("virt-xml-validate").toFile().setExecutable(true);
        }
        return new LocalShellTarget(dir, true, Map.of("PATH", bin + ":/usr/bin:/bin"));
    }

    private Args validate(Map<String, Object> raw) {
        return module.spec().validate("libvirt_domain", raw, Location.UNKNOWN);
    }

    private static String diffText(Change c) {
        return c.diffs().stream().map(Diff::toString).collect(Collectors.joining("\n"));
    }

    @Test
    void theSameArgumentsPlanNothing(@TempDir Path dir) throws Exception {
        Change c = module.plan(virsh(dir, BASE, "running", true), validate(BASE));
        assertTrue(c.isNone(), c.summary() + "\n" + diffText(c));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("changes")
    void everyWrittenArgumentPlansADefineAndTheDiffSaysWhat(String arg, Object value, String line, @TempDir Path dir) throws Exception {
        Map<String, Object> changed = new HashMap<>(BASE);
        changed.put(arg, value);
        Change c = module.plan(virsh(dir, BASE, "shut off", true), validate(changed));
        assertFalse(c.isNone(), arg + " changed but nothing is planned");
        assertTrue(c.commands().get(0).display().startsWith("virsh define"), c.commands().toString());
        String defined = new String(c.commands().get(0).stdin().orElseThrow(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(defined.contains("<uuid>0b0e</uuid>"), "redefined with the existing uuid (libvirt refuses it otherwise): " + defined);
        assertTrue(diffText(c).contains(line), "the diff names the change " + line + ":\n" + diffText(c));
    }

    @Test
    void aRunningDomainIsToldToNeedARestart(@TempDir Path dir) throws Exception {
        Map<String, Object> changed = new HashMap<>(BASE);
        changed.put("emulator", "/opt/qemu/bin/qemu-system-x86_64");
        Change c = module.plan(virsh(dir, BASE, "running", true), validate(changed));
        assertTrue(c.summary().contains("the running domain keeps its old definition until it is shut down and started again"), c.summary());
        assertTrue(diffText(c).contains("running: the new definition applies at its next start"), diffText(c));
        assertFalse(c.summary().contains("not validated"), c.summary());
    }

    @Test
    void aMissingValidatorIsSaidNotSkippedSilently(@TempDir Path dir) throws Exception {
        Map<String, Object> changed = new HashMap<>(BASE);
        changed.put("vcpus", 2);
        Change c = module.plan(virsh(dir, BASE, "shut off", false), validate(changed));
        assertTrue(c.summary().contains("the XML is not validated: virt-xml-validate is not installed"), c.summary());
        assertTrue(c.commands().get(0).display().contains("not validated"), c.commands().get(0).display());
    }
}
