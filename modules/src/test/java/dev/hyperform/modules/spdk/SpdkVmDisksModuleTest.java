package dev.hyperform.modules.spdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.Location;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.modules.testing.LocalShellTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spdk_vm_disks and spdk_rpc {@code state: absent}, the two halves of moving a VM's vhost-user disk between nodes,
 * against two SPDK JSON-RPC TEST DOUBLES (no I/O) and a {@code virsh} test double: the declaration read on the
 * source creates the same controller (same name, so the same socket path) on the same RBD image with the same bdev
 * UUID on the destination, where it reads back the same; absent removes the source's controller and bdev once and
 * then nothing; a disk on a malloc bdev or one whose socket has no controller is refused with the reason.
 */
class SpdkVmDisksModuleTest {
    private static final String UUID = "6f0c5b7e-1d2a-4c3b-9e8f-0a1b2c3d4e5f";
    private final SpdkVmDisksModule disks = new SpdkVmDisksModule();
    private final SpdkRpcModule rpc = new SpdkRpcModule();

    private static LocalShellTarget virsh(Path dir, String socket) throws Exception {
        Files.writeString(dir.resolve("domain.xml"), "<domain><name>vm1</name><devices><disk type='vhostuser' device='disk'>"
                + "<source type='unix' path='" + socket + "'><reconnect enabled='yes' timeout='1'/></source><target dev='vda'/></disk></devices></domain>");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("virsh"), "#!/bin/sh\ncase \"$1\" in domstate) echo running ;; dumpxml) cat " + dir + "/domain.xml ;; esac\n");
        bin.resolve("virsh").toFile().setExecutable(true);
        return new LocalShellTarget(dir, false, Map.of("PATH", bin + ":/usr/bin:/bin"));
    }

    private ModuleResult converge(Path dir, Map<String, Object> raw) {
        Args a = rpc.spec().validate("spdk_rpc", raw, Location.UNKNOWN);
        LocalShellTarget t = new LocalShellTarget(dir, false);
        Change c = rpc.plan(t, a);
        return c.isNone() ? ModuleResult.ok(c.summary(), c.values()) : rpc.apply(t, a, c);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read(Path dir, SpdkDoubleProcess spdk, String socket) throws Exception {
        Args a = disks.spec().validate("spdk_vm_disks", Map.of("domain", "vm1", "spdk_socket", spdk.socket.toString()), Location.UNKNOWN);
        Change c = disks.plan(virsh(dir, socket), a);
        assertTrue(c.isNone(), "read only: " + c.summary());
        return (Map<String, Object>) c.values().get("spdk");
    }

    private static Map<String, Object> declared(SpdkDoubleProcess spdk, Map<String, Object> decl) {
        Map<String, Object> raw = new LinkedHashMap<>(decl);
        raw.put("socket", spdk.socket.toString());
        return raw;
    }

    @Test
    void theSourcesDeclarationServesTheSameDiskOnTheDestinationAndAbsentRemovesItFromTheSource(@TempDir Path src, @TempDir Path dst) throws Exception {
        Path conf = Files.writeString(src.resolve("ceph.conf"), "[global]\n");
        Path key = Files.writeString(src.resolve("keyring"), "[client.spdk]\n");
        try (SpdkDoubleProcess a = SpdkDoubleProcess.start(src, "0x3"); SpdkDoubleProcess b = SpdkDoubleProcess.start(dst, "0x3")) {
            assertTrue(converge(src, declared(a, Map.of(
                    "rbd_clusters", List.of(Map.of("name", "lab", "user_id", "spdk", "config_file", conf.toString(), "key_file", key.toString())),
                    "bdevs", List.of(Map.of("name", "vm1", "type", "rbd", "cluster_name", "lab", "pool_name", "replicapool", "rbd_name", "vm1-disk",
                            "block_size", 512, "uuid", UUID)),
                    "vhost_blk_controllers", List.of(Map.of("ctrlr", "vhost.vm1", "dev_name", "vm1", "cpumask", "0x2"))))).changed());

            Map<String, Object> decl = read(src, a, src.resolve("vhost.vm1").toString());
            assertEquals(List.of(Map.of("name", "lab", "user_id", "spdk", "config_file", conf.toString(), "key_file", key.toString())), decl.get("rbd_clusters"));
            assertEquals(List.of(Map.of("name", "vm1", "type", "rbd", "pool_name", "replicapool", "rbd_name", "vm1-disk", "block_size", 512L,
                    "uuid", UUID, "cluster_name", "lab")), decl.get("bdevs"));
            assertEquals(List.of(Map.of("ctrlr", "vhost.vm1", "dev_name", "vm1", "cpumask", "0x2")), decl.get("vhost_blk_controllers"));

            assertTrue(converge(dst, declared(b, decl)).changed(), "the destination creates it");
            assertTrue(!converge(dst, declared(b, decl)).changed(), "and then has it");
            assertTrue(Files.exists(dst.resolve("vhost.vm1")), "the same socket name on the destination");
            assertEquals(decl, read(dst, b, dst.resolve("vhost.vm1").toString()), "the destination serves the same disk: same image, same bdev UUID");

            Map<String, Object> absent = new LinkedHashMap<>(declared(a, decl));
            absent.remove("rbd_clusters");
            absent.put("state", "absent");
            ModuleResult gone = converge(src, absent);
            assertTrue(gone.changed(), gone.message());
            assertEquals(List.of(), gone.values().get("controllers"));
            assertEquals(List.of(), gone.values().get("bdevs"));
            assertEquals(List.of("lab"), gone.values().get("rbd_clusters"), "the cluster registration stays");
            assertTrue(!converge(src, absent).changed(), "absent twice changes nothing");
        }
    }

    @Test
    void aDiskThatCannotMoveIsRefusedWithItsReason(@TempDir Path dir) throws Exception {
        try (SpdkDoubleProcess a = SpdkDoubleProcess.start(dir, "0x3")) {
            converge(dir, declared(a, Map.of("bdevs", List.of(Map.of("name", "m", "type", "malloc", "num_blocks", 2048, "block_size", 512)),
                    "vhost_blk_controllers", List.of(Map.of("ctrlr", "vhost.m", "dev_name", "m")))));
            ModuleException malloc = assertThrows(ModuleException.class, () -> read(dir, a, dir.resolve("vhost.m").toString()));
            assertTrue(malloc.getMessage().contains("bdev 'm', which is not an RBD bdev"), malloc.getMessage());
            ModuleException none = assertThrows(ModuleException.class, () -> read(dir, a, dir.resolve("vhost.other").toString()));
            assertTrue(none.getMessage().contains("vhost.other has no SPDK controller on this host"), none.getMessage());
        }
    }
}
