package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SPDK JSON-RPC TEST DOUBLE's data path on the lab with its Ceph: an RBD bdev and a vhost-blk controller declared
 * through the spdk_rpc module on node1 are a real vhost-user-blk export of the image (qemu-storage-daemon, QEMU's rbd
 * driver); bytes a vhost-user frontend (lab/vhost-user-blk-io) writes through the controller's socket are read back
 * from the image with rbd on node2; SIGKILL of the double takes the export down with it; the restarted double, given
 * the same declaration, serves the same socket path and I/O resumes. The bdev reports the image's real size, and a
 * missing image or pool is refused as the real target refuses it.
 */
@Tag("lab")
class SpdkDoubleDataPathLabTest {
    private static final String IO = "/usr/local/bin/vhost-user-blk-io";
    private static final String SOCKET = "/var/tmp/vhost.hf-dp";
    private static final String IMAGE = "replicapool/hf-dp";
    private static final String DECLARATION = """
            - hosts: node1
              gather_facts: false
              tasks:
                - name: an RBD bdev in the lab's Ceph and a vhost-blk controller on it
                  spdk_rpc:
                    rbd_clusters: [{name: lab, user_id: spdk, config_file: /etc/ceph/ceph.conf, key_file: /etc/ceph/ceph.client.spdk.keyring}]
                    bdevs: [{name: hf-dp, type: rbd, cluster_name: lab, pool_name: replicapool, rbd_name: hf-dp, block_size: 512}]
                    vhost_blk_controllers: [{ctrlr: vhost.hf-dp, dev_name: hf-dp}]
            """;

    @AfterAll
    static void cleanUp() throws Exception {
        Lab.ssh("node1", "systemctl restart spdk-vhost; rbd --id spdk rm " + IMAGE + " >/dev/null 2>&1; rm -f /var/tmp/hf-dp.*; true");
        LabCeph.stop();
    }

    @Test
    void bytesWrittenThroughTheControllerLandInTheRbdImageAndSurviveAKilledDouble(@TempDir Path dir) throws Exception {
        long start = System.nanoTime();
        LabCeph.up(dir, "SpdkDoubleDataPathLabTest");
        Path home = Lab.home();
        Lab.Run role = Lab.play(dir, "-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/site.yaml").toString(), "--tags", "spdk", "-l", "node1");
        assertEquals(ExitCode.OK, role.exitCode(), role.console());
        Lab.ssh("node1", "printf %s " + Base64.getEncoder().encodeToString(Files.readAllBytes(home.resolve("lab/vhost-user-blk-io/vhost-user-blk-io")))
                + " | base64 -d > " + IO + " && chmod 755 " + IO + "; rbd --id spdk rm " + IMAGE + " >/dev/null 2>&1;"
                + " rbd --id spdk create " + IMAGE + " --size 64");

        // the role's malloc bdev: memory behind its controller, of the declared size
        assertEquals(String.valueOf(131072 * 512), Lab.ssh("node1", IO + " /var/tmp/vhost.vm1-0 capacity"));
        assertEquals(writeThrough("/var/tmp/vhost.vm1-0", 4096, "m"), Lab.ssh("node1", IO + " /var/tmp/vhost.vm1-0 read 4096 1048576 | sha256sum"));
        assertTrue(journal().contains("data path: /usr/bin/qemu-storage-daemon"), "the double says it serves I/O: " + journal());

        Path pb = Lab.write(dir, "rbd.yaml", DECLARATION);
        Lab.Run declared = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString());
        assertEquals(ExitCode.OK, declared.exitCode(), declared.console() + "\nthe double's log:\n" + journal());
        String bdev = rpc("bdev_get_bdevs", "{\"name\":\"hf-dp\"}");
        assertTrue(bdev.contains("\"num_blocks\":131072"), "the image's real size (64 MiB of 512-byte blocks): " + bdev);
        assertTrue(rpc("vhost_get_controllers", "{\"name\":\"vhost.hf-dp\"}").contains("\"socket\":\"" + SOCKET + "\""));
        assertEquals(String.valueOf(64 << 20), Lab.ssh("node1", IO + " " + SOCKET + " capacity"));

        String first = writeThrough(SOCKET, 1 << 20, "a");
        assertEquals(first, imageBytes("node2", 1 << 20), "node2 reads from the RBD image what went through the socket on node1");

        String missing = "\"error\":{\"code\":-1,\"message\":\"Operation not permitted\"}";
        assertTrue(rpc("bdev_rbd_create", "{\"name\":\"nope\",\"pool_name\":\"replicapool\",\"rbd_name\":\"no-such-image\","
                + "\"block_size\":512,\"cluster_name\":\"lab\"}").contains(missing), "a missing image");
        assertTrue(rpc("bdev_rbd_create", "{\"name\":\"nope\",\"pool_name\":\"no-such-pool\",\"rbd_name\":\"hf-dp\","
                + "\"block_size\":512,\"cluster_name\":\"lab\"}").contains(missing), "a missing pool");

        // SIGKILL of the double alone (not its unit's other processes): qemu-storage-daemon goes with it
        String qsd = Lab.ssh("node1", "pgrep -P $(systemctl show -p MainPID --value spdk-vhost) -f qemu-storage-daemon");
        Lab.ssh("node1", "systemctl kill -s KILL --kill-who=main spdk-vhost; sleep 0.5");
        assertEquals("gone", Lab.ssh("node1", "test -d /proc/" + qsd + " && echo alive || echo gone"), "qemu-storage-daemon " + qsd);
        String refused = Lab.ssh("node1", IO + " " + SOCKET + " capacity 2>&1 || true");
        assertTrue(refused.contains("cannot connect to " + SOCKET), "no vhost-user server behind the socket: " + refused);

        // systemd starts the double again (empty, as SPDK restarts); the same declaration gives the same socket path
        for (int i = 0; i < 50 && !rpc("spdk_get_version", null).contains("SPDK v23.09"); i++) {
            Thread.sleep(200);
        }
        Lab.Run again = Lab.play(dir, "-i", Lab.INVENTORY.toString(), pb.toString());
        assertEquals(ExitCode.OK, again.exitCode(), again.console());
        assertEquals(1, again.recap("node1").path("changed").asInt(), "re-created: " + again.console());
        assertTrue(rpc("vhost_get_controllers", "{\"name\":\"vhost.hf-dp\"}").contains("\"socket\":\"" + SOCKET + "\""));
        assertEquals(first, Lab.ssh("node1", IO + " " + SOCKET + " read 1048576 1048576 | sha256sum"), "the bytes from before are there");
        // the killed daemon's librbd still holds the image's exclusive lock: Ceph gives it to the new writer once the
        // dead client's watch times out (osd_client_watch_timeout, 30 s), as it would for a crashed SPDK
        long resumed = System.nanoTime();
        String second = writeThrough(SOCKET, 4 << 20, "b", 90);
        System.out.printf("SpdkDoubleDataPathLabTest: first write after the restart took %.1f s%n", (System.nanoTime() - resumed) / 1e9);
        assertEquals(second, imageBytes("node3", 4 << 20), "I/O resumed after the restart");
        System.out.printf("SpdkDoubleDataPathLabTest: %d s in all%n", (System.nanoTime() - start) / 1_000_000_000L);
    }

    /** 1 MiB of fresh random bytes written at offset through a controller's socket on node1; their sha256sum line. */
    private static String writeThrough(String socket, long offset, String tag) throws Exception {
        return writeThrough(socket, offset, tag, 10);
    }

    private static String writeThrough(String socket, long offset, String tag, int timeout) throws Exception {
        String file = "/var/tmp/hf-dp." + tag;
        return Lab.ssh("node1", "head -c 1048576 /dev/urandom > " + file + " && " + IO + " " + socket + " write " + offset
                + " --timeout " + timeout + " < " + file + " && sha256sum < " + file);
    }

    /** sha256sum of 1 MiB of the RBD image at offset, read with rbd (client.qemu) on another host. */
    private static String imageBytes(String node, long offset) throws Exception {
        return Lab.ssh(node, "rbd --id qemu export " + IMAGE + " - 2>/dev/null | tail -c +" + (offset + 1) + " | head -c 1048576 | sha256sum");
    }

    /** One JSON-RPC call to the double on node1 (the agent tests' way: socat over the lab's ssh). */
    private static String rpc(String method, String params) {
        return new LabAgentNode("node1").rpc(method, params);
    }

    private static String journal() throws Exception {
        return Lab.ssh("node1", "journalctl -u spdk-vhost -o cat --no-pager | tail -50");
    }
}
