package dev.hyperform.modules.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.Location;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.ModuleException;
import dev.hyperform.modules.testing.LocalShellTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * vhost_user_disks against a declared TEST DOUBLE of virsh (a shell script put first on PATH): {@code list}
 * prints the running domains, {@code dumpxml} each one's XML from a fixture, {@code qemu-monitor-command} answers
 * QMP {@code query-chardev} with the disk's chardev disconnected until a given number of calls, as QEMU shows a
 * vhost-user client socket whose backend went away ({@code disconnected:unix:PATH}) and came back ({@code unix:}).
 */
class VhostUserDisksModuleTest {
    private static final String VIRSH_DOUBLE = """
            #!/bin/sh
            # TEST DOUBLE of virsh: list --name --state-running, dumpxml D, qemu-monitor-command D JSON
            d="$HF_VIRSH"
            case "$1" in
              list) cat "$d/running" ;;
              dumpxml) cat "$d/$2.xml" ;;
              qemu-monitor-command)
                n=$(cat "$d/$2.calls" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$d/$2.calls"
                after=$(cat "$d/$2.after" 2>/dev/null || echo 0)
                printf '{"return":['; first=1
                for label in $(cat "$d/$2.labels"); do
                  [ $first = 1 ] || printf ','; first=0
                  if [ $n -gt $after ]; then f='unix:'; else f="disconnected:unix:/var/tmp/x"; fi
                  printf '{"frontend-open":true,"filename":"%s","label":"%s"}' "$f" "$label"
                done
                printf '],"id":"libvirt-1"}\\n' ;;
              *) echo "virsh double: unknown $1" >&2; exit 1 ;;
            esac
            """;
    private static final Map<String, String> DOMAINS = Map.of(
            "vm-ok", libvirtDisk("vm-ok", "/var/tmp/vhost.a", "<reconnect enabled='yes' timeout='1'/>"),
            "vm-noreconnect", libvirtDisk("vm-noreconnect", "/var/tmp/vhost.b", ""),
            "vm-reconnect-off", libvirtDisk("vm-reconnect-off", "/var/tmp/vhost.c", "<reconnect enabled='no'/>"),
            "vm-elsewhere", libvirtDisk("vm-elsewhere", "/run/other/vhost.d", ""),
            "kv-noreconnect", passthrough("kv-noreconnect", "socket,id=spdkvhostblk_disk0,path=/var/tmp/vhost.kv-0"),
            "kv-reconnect", passthrough("kv-reconnect", "socket,id=spdkvhostblk_disk0,path=/var/tmp/vhost.kv-1,reconnect=1"));

    @TempDir
    Path dir;
    private final VhostUserDisksModule module = new VhostUserDisksModule();

    private static String libvirtDisk(String name, String socket, String reconnect) {
        return """
                <domain type='qemu'><name>%s</name><devices>
                  <disk type='file' device='disk'><source file='/var/lib/x.img'/><target dev='vdb' bus='virtio'/><alias name='virtio-disk1'/></disk>
                  <disk type='vhostuser' device='disk'><driver name='qemu' type='raw' queues='1'/>
                    <source type='unix' path='%s'>%s</source><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/></disk>
                </devices></domain>""".formatted(name, socket, reconnect);
    }

    private static String passthrough(String name, String chardev) {
        return """
                <domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><name>%s</name><devices/>
                  <qemu:commandline><qemu:arg value='-chardev'/><qemu:arg value='%s'/>
                    <qemu:arg value='-device'/><qemu:arg value='vhost-user-blk-pci,chardev=spdkvhostblk_disk0,num-queues=2'/></qemu:commandline>
                </domain>""".formatted(name, chardev);
    }

    @BeforeEach
    void virshDouble() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("virsh"), VIRSH_DOUBLE);
        Files.setPosixFilePermissions(bin.resolve("virsh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void running(List<String> names, int connectedAfter) throws Exception {
        Files.writeString(dir.resolve("running"), String.join("\n", names) + "\n");
        for (String n : names) {
            Files.writeString(dir.resolve(n + ".xml"), DOMAINS.get(n));
            Files.writeString(dir.resolve(n + ".labels"), n.startsWith("kv-") ? "spdkvhostblk_disk0" : "chr-vu-virtio-disk0 charserial0");
            Files.writeString(dir.resolve(n + ".after"), Integer.toString(connectedAfter));
            Files.deleteIfExists(dir.resolve(n + ".calls"));
        }
    }

    private LocalShellTarget target(boolean check) {
        return new LocalShellTarget(dir, check, Map.of("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"), "HF_VIRSH", dir.toString()));
    }

    private Args args(Map<String, Object> more) {
        Map<String, Object> raw = new LinkedHashMap<>(Map.of("socket_dir", "/var/tmp/"));
        raw.putAll(more);
        return module.spec().validate("vhost_user_disks", raw, Location.UNKNOWN);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(List.of("vm-ok", "vm-noreconnect"), Map.of(), List.of("'vm-noreconnect'", "disk vda", "/var/tmp/vhost.b", "no reconnect")),
                Arguments.of(List.of("vm-reconnect-off"), Map.of(), List.of("'vm-reconnect-off'", "/var/tmp/vhost.c", "no reconnect")),
                Arguments.of(List.of("kv-noreconnect"), Map.of(), List.of("'kv-noreconnect'", "qemu:commandline spdkvhostblk_disk0", "/var/tmp/vhost.kv-0")),
                Arguments.of(List.of("vm-ok"), Map.of("controllers", List.of("vhost.z")), List.of("'vm-ok'", "needs controller 'vhost.a'")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("refusals")
    void refusesADiskThatWouldBeLostNamingTheVmTheDiskAndWhatToDo(List<String> vms, Map<String, Object> more, List<String> named) throws Exception {
        running(vms, 0);
        for (boolean check : new boolean[] {true, false}) {
            ModuleException e = assertThrows(ModuleException.class, () -> module.plan(target(check), args(more)));
            for (String n : named) {
                assertTrue(e.getMessage().contains(n), n + " in: " + e.getMessage());
            }
            assertTrue(e.hint().contains("reconnect enabled='yes'") && e.hint().contains("spdk_recover_force: true"), e.hint());
        }
        Map<String, Object> forced = new LinkedHashMap<>(more);
        forced.put("refuse_unsafe", false);
        assertEquals(vms, module.plan(target(false), args(forced)).values().get("vms"), "refuse_unsafe: false (the role's force) goes ahead");
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of(List.of("vm-ok"), List.of("vm-ok"), 1L),
                Arguments.of(List.of("kv-reconnect"), List.of("kv-reconnect"), 1L),
                Arguments.of(List.of("vm-elsewhere"), List.of(), null),
                Arguments.of(List.of(), List.of(), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void listsOnlyTheDisksOnSpdksSocketsWithTheirReconnect(List<String> running, List<String> vms, Long reconnect) throws Exception {
        running(running, 0);
        Change c = module.plan(target(false), args(Map.of("controllers", List.of("vhost.a", "vhost.kv-1"))));
        assertTrue(c.isNone(), "it changes nothing");
        assertEquals(vms, c.values().get("vms"));
        List<?> disks = (List<?>) c.values().get("disks");
        if (reconnect != null) {
            assertEquals(reconnect, ((Map<?, ?>) disks.get(0)).get("reconnect"));
            assertEquals(true, ((Map<?, ?>) disks.get(0)).get("connected"), "QEMU shows the chardev connected");
        }
    }

    @Test
    void waitsUntilQemuShowsEveryDiskConnectedAndReportsThePauseFromSince() throws Exception {
        running(List.of("vm-ok", "kv-reconnect"), 5);
        double since = System.currentTimeMillis() / 1000.0;
        Change c = module.plan(target(false), args(Map.of("wait", "connected", "since", Double.toString(since), "timeout", 30)));
        List<?> disks = (List<?>) c.values().get("disks");
        for (Object d : disks) {
            assertEquals(true, ((Map<?, ?>) d).get("connected"));
            double pause = (Double) ((Map<?, ?>) d).get("pause_s");
            assertTrue(pause >= 0.8 && pause < 20, "5 polls 0.2 s apart before QEMU shows it connected: " + pause);
        }
        assertEquals(List.of("vm-ok", "kv-reconnect"), List.copyOf(((Map<?, ?>) c.values().get("pauses")).keySet()));
        assertTrue(c.summary().contains("all reconnected"), c.summary());
    }

    @Test
    void aDiskThatStaysDisconnectedFailsNamingItAndCheckModeDoesNotWait() throws Exception {
        running(List.of("vm-ok"), 1_000_000);
        ModuleException e = assertThrows(ModuleException.class, () -> module.plan(target(false), args(Map.of("wait", "connected", "timeout", 1))));
        assertTrue(e.getMessage().contains("did not reconnect") && e.getMessage().contains("'vm-ok' disk vda (socket /var/tmp/vhost.a)"), e.getMessage());
        assertTrue(e.hint().contains("vhost_get_controllers"), e.hint());
        Change check = module.plan(target(true), args(Map.of("wait", "connected", "timeout", 1)));
        assertTrue(check.summary().contains("check mode: not waited"), check.summary());
        assertEquals(false, ((Map<?, ?>) ((List<?>) check.values().get("disks")).get(0)).get("connected"));
        assertFalse(check.values().containsKey("pause_s"));
    }
}
