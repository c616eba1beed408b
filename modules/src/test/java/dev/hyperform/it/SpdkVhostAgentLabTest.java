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
 * The spdk_vhost_agent role on a real lab host: site.yaml's cluster layer with kubevirt_spdk_vhost: true converges
 * (the spdk role runs the SPDK JSON-RPC test double), a second run and --check change nothing, and the agent under
 * systemd answers virt-launcher's side of /var/tmp/vhost.message in every scenario of {@link VhostAgentScenarios}.
 * The lab's Ceph is up for it (lab/ceph/ceph.yaml): the agent creates and removes the RBD images with the real rbd CLI
 * (client.spdk), and the double opens them through qemu-storage-daemon, so each controller serves its image.
 */
@Tag("lab")
class SpdkVhostAgentLabTest {
    @AfterAll
    static void stopCeph() throws Exception {
        LabCeph.stop();
    }

    @Test
    void theAgentRoleConvergesAndAnswersVirtLauncher(@TempDir Path dir) throws Exception {
        Path home = Lab.home();
        LabCeph.up(dir, "SpdkVhostAgentLabTest");
        LabAgentNode node = new LabAgentNode("node1");
        node.ssh("systemctl stop spdk-vhost-agent 2>/dev/null; rm -rf /var/tmp/vhost.message /var/lib/spdk-vhost-agent; "
                + "for i in $(rbd --id spdk ls replicapool | grep '^virt-launcher-'); do rbd --id spdk rm replicapool/$i >/dev/null 2>&1; done; true");
        String[] args = {"-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/site.yaml").toString(), "--tags", "spdk,cluster", "-l", "node1",
                "-e", "{\"kubevirt_spdk_vhost\": true, \"spdk_vhost_agent_rbd_args\": [\"--id\", \"spdk\"], \"spdk_vhost_agent_rbd_user\": \"spdk\"}"};
        Lab.Run first = Lab.play(dir, args);
        assertEquals(ExitCode.OK, first.exitCode(), first.console());
        assertEquals("active", node.ssh("systemctl is-active spdk-vhost-agent"));
        assertTrue(node.ssh("cat /etc/default/spdk-vhost-agent").contains("AGENT_RBD=auto"));
        assertTrue(node.ssh("journalctl -u spdk-vhost -o cat --no-pager").contains("data path: /usr/bin/qemu-storage-daemon"),
                "the double serves real I/O");
        Lab.Run second = Lab.play(dir, args);
        assertEquals(ExitCode.OK, second.exitCode(), second.console());
        assertEquals(0, second.recap("node1").path("changed").asInt(), "second run changed something: " + second.console());
        Lab.Run check = Lab.play(dir, Lab.plus(args, "--check"));
        assertEquals(ExitCode.OK, check.exitCode(), check.console());
        assertEquals(0, check.recap("node1").path("changed").asInt(), "check reports a change: " + check.console());

        VhostAgentScenarios.newRequestIsAnsweredWithTheResultLine(node);
        VhostAgentScenarios.deleteRemovesControllerAndBdev(node);
        VhostAgentScenarios.deleteOverAShorterHeader(node);
        VhostAgentScenarios.twoRequestsAtOnce(node);
        VhostAgentScenarios.requestWhileTheAgentRestarts(node);
        VhostAgentScenarios.spdkRestartRecreatesControllers(node);
        VhostAgentScenarios.malformedFilesAreLoggedAndLeftAlone(node);
        // the first request's controller, re-created after SPDK's restarts, serves its 50 GiB image in Ceph
        node.ssh("printf %s " + Base64.getEncoder().encodeToString(Files.readAllBytes(home.resolve("lab/vhost-user-blk-io/vhost-user-blk-io")))
                + " | base64 -d > /usr/local/bin/vhost-user-blk-io && chmod 755 /usr/local/bin/vhost-user-blk-io");
        assertEquals(String.valueOf(51200L << 20), node.ssh("vhost-user-blk-io /var/tmp/vhost.virt-launcher-vm1-abcde-0 capacity"));
        assertEquals("active", node.ssh("systemctl is-active spdk-vhost-agent"), "the agent never crashed");
        assertEquals("0", node.ssh("systemctl show -p NRestarts --value spdk-vhost-agent"), "and systemd never restarted it");

        // without the switch the cluster layer leaves the node alone
        Lab.Run off = Lab.play(dir, "-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/site.yaml").toString(), "--tags", "cluster", "-l", "node2");
        assertEquals(ExitCode.OK, off.exitCode(), off.console());
        assertEquals(0, off.recap("node2").path("changed").asInt(), off.console());
        node.ssh("systemctl disable --now spdk-vhost-agent; rm -f /var/tmp/vhost.message");
    }
}
