package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The role spdk_recover through the whole engine on the local connection, against the SPDK JSON-RPC TEST DOUBLE
 * (no-I/O mode, a local process) and a declared TEST DOUBLE of virsh (first on PATH through the play's
 * environment; QEMU's chardev shown connected after a few monitor calls). What it cannot do here: restart a systemd
 * unit (the lab test does), so these runs take the paths that need none: a target found empty (a crash), and
 * spdk_recover_restart: false.
 */
class SpdkRecoverPlaybookTest {
    @TempDir
    Path dir;
    private Process spdk;

    @BeforeEach
    void setUp() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.copy(Path.of(getClass().getResource("/libvirt/virsh-double.sh").toURI()), bin.resolve("virsh"));
        Files.setPosixFilePermissions(bin.resolve("virsh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("running"), "vm1\n");
        Files.writeString(dir.resolve("vm1.labels"), "chr-vu-virtio-disk0\n");
        Files.writeString(dir.resolve("vm1.after"), "2\n");
        vm(true);
        Path roles = Lab.home().resolve("playbooks/roles");
        Files.createSymbolicLink(dir.resolve("roles"), roles);
        Lab.write(dir, "hosts", """
                [hci]
                localhost ansible_connection=local ansible_become=false
                [hci:vars]
                spdk_rpc_socket=%s/spdk.sock
                spdk_socket_dir=%s
                spdk_recover_state_file=%s/state/served.json
                spdk_recover_service=hf-test-no-such-unit
                spdk_install_method=double
                spdk_prefix=%s/opt
                """.formatted(dir, dir, dir, dir));
        Lab.write(dir, "recover.yaml", """
                - hosts: hci
                  gather_facts: false
                  environment: {PATH: "%s:/usr/local/bin:/usr/bin:/bin", HF_VIRSH: "%s"}
                  roles: [spdk_recover]
                """.formatted(bin, dir));
        Lab.write(dir, "declare.yaml", """
                - hosts: hci
                  gather_facts: false
                  tasks:
                    - spdk_rpc:
                        socket: %s/spdk.sock
                        bdevs: [{name: m0, type: malloc, num_blocks: 2048, block_size: 512}]
                        vhost_blk_controllers: [{ctrlr: vhost.m0, dev_name: m0}]
                """.formatted(dir));
        startSpdk();
    }

    private void vm(boolean reconnect) throws Exception {
        Files.writeString(dir.resolve("vm1.xml"), """
                <domain type='qemu'><name>vm1</name><devices><disk type='vhostuser' device='disk'>
                <source type='unix' path='%s/vhost.m0'>%s</source><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/></disk></devices></domain>
                """.formatted(dir, reconnect ? "<reconnect enabled='yes' timeout='1'/>" : ""));
        Files.deleteIfExists(dir.resolve("vm1.calls"));
    }

    private void startSpdk() throws Exception {
        Files.deleteIfExists(dir.resolve("spdk.sock"));
        spdk = new ProcessBuilder("python3", Lab.home().resolve("lab/spdk-double/spdk-rpc-double").toString(), "-S", dir.toString(),
                "-r", dir.resolve("spdk.sock").toString(), "-m", "0x3", "--qsd", "none")
                .redirectErrorStream(true).redirectOutput(dir.resolve("double.log").toFile()).start();
        for (int i = 0; i < 200 && !Files.exists(dir.resolve("spdk.sock")); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(dir.resolve("spdk.sock")), "the SPDK double started");
    }

    @AfterEach
    void stopSpdk() throws Exception {
        spdk.destroy();
        spdk.waitFor(5, TimeUnit.SECONDS);
    }

    /** The controllers the double serves, asked over its RPC socket (a crashed target leaves stale socket files). */
    private String served() throws Exception {
        Process p = new ProcessBuilder("socat", "-", "UNIX-CONNECT:" + dir.resolve("spdk.sock")).start();
        p.getOutputStream().write("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"vhost_get_controllers\"}".getBytes());
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(5, TimeUnit.SECONDS);
        return out;
    }

    private Lab.Run play(String book, String... more) throws Exception {
        return Lab.play(dir, Lab.plus(new String[] {"-i", dir.resolve("hosts").toString(), dir.resolve(book).toString()}, more));
    }

    @Test
    void aCrashedTargetGetsItsControllersBackFromTheRecordAndTheDiskIsWaitedFor() throws Exception {
        assertEquals(ExitCode.OK, play("declare.yaml").exitCode());
        Lab.Run record = play("recover.yaml", "-e", "spdk_recover_record_only=true");
        assertEquals(ExitCode.OK, record.exitCode(), record.console());
        assertEquals(1, record.recap("localhost").path("changed").asInt(), "the record written: " + record.console());
        assertTrue(Files.readString(dir.resolve("state/served.json")).contains("vhost.m0"));

        spdk.destroyForcibly().waitFor();
        startSpdk();
        assertFalse(served().contains("vhost.m0"), "the restarted target serves nothing");
        Lab.Run check = play("recover.yaml", "--check");
        assertEquals(ExitCode.OK, check.exitCode(), check.console());
        assertFalse(served().contains("vhost.m0"), "--check re-creates nothing");
        Files.deleteIfExists(dir.resolve("vm1.calls"));
        Lab.Run run = play("recover.yaml");
        assertEquals(ExitCode.OK, run.exitCode(), run.console());
        assertTrue(run.console().contains("SPDK serves no controller; the state_file record gives back 1: vhost.m0"), run.console());
        assertTrue(served().contains("\"socket\":\"" + dir + "/vhost.m0\""), "the controller is back under its name");
        assertTrue(run.console().contains("vm1 vda: connected"), "QEMU's chardev waited for: " + run.console());
        assertTrue(Integer.parseInt(Files.readString(dir.resolve("vm1.calls")).strip()) >= 3, "polled until QEMU showed it connected");

        Lab.Run repair = play("recover.yaml", "-e", "spdk_recover_restart=false");
        assertEquals(ExitCode.OK, repair.exitCode(), repair.console());
        assertEquals(0, repair.recap("localhost").path("changed").asInt(), "nothing missing, nothing restarted: " + repair.console());
    }

    @Test
    void aVmWithoutReconnectStopsTheNodeBeforeAnythingIsTouchedUnlessForced() throws Exception {
        assertEquals(ExitCode.OK, play("declare.yaml").exitCode());
        vm(false);
        spdk.destroyForcibly().waitFor();
        startSpdk();
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("state/served.json"), "{\"rbd_clusters\":[],\"bdevs\":[{\"name\":\"m0\",\"type\":\"malloc\",\"num_blocks\":2048,"
                + "\"block_size\":512}],\"vhost_blk_controllers\":[{\"ctrlr\":\"vhost.m0\",\"dev_name\":\"m0\"}]}");
        Lab.Run refused = play("recover.yaml");
        assertEquals(ExitCode.TASK_FAILED, refused.exitCode(), refused.console());
        assertTrue(refused.console().contains("VM 'vm1' disk vda (socket " + dir + "/vhost.m0) has no reconnect"), refused.console());
        assertTrue(refused.console().contains("spdk_recover_force: true"), refused.console());
        assertFalse(served().contains("vhost.m0"), "SPDK was not touched");

        Lab.Run forced = play("recover.yaml", "-e", "spdk_recover_force=true");
        assertEquals(ExitCode.OK, forced.exitCode(), forced.console());
        assertTrue(served().contains("vhost.m0"), "forced: the controller is back");
    }

    @Test
    void anUpgradeIsRefusedForAnInstallMethodWithoutReleasesAndSkippedWhenTheBuildIsThatRelease() throws Exception {
        assertEquals(ExitCode.OK, play("declare.yaml").exitCode());
        Files.createDirectories(dir.resolve("opt"));
        Files.writeString(dir.resolve("opt/.hyperform-build"), "version=v23.09 source=x flags=--with-rbd\n");
        Lab.Run other = play("recover.yaml", "-e", "spdk_recover_version=v24.01", "-e", "spdk_recover_restart=false");
        assertEquals(ExitCode.TASK_FAILED, other.exitCode(), other.console());
        assertTrue(other.console().contains("spdk_recover_version is v24.01 but spdk_install_method is 'double'"), other.console());
        Lab.Run same = play("recover.yaml", "-e", "spdk_recover_version=v23.09", "-e", "spdk_recover_restart=false");
        assertEquals(ExitCode.OK, same.exitCode(), "the installed build is that release: no upgrade, no restart: " + same.console());
    }
}
