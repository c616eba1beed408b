package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spdk_vhost_agent role on a real lab host: site.yaml's cluster layer with kubevirt_spdk_vhost: true converges
 * (the spdk role runs the SPDK JSON-RPC test double), a second run and --check change nothing, and the agent under
 * systemd answers virt-launcher's side of /var/tmp/vhost.message in every scenario of {@link VhostAgentScenarios}.
 * The lab has no Ceph: the RBD image step goes to the declared rbd test double (lab/rbd-double).
 */
@Tag("lab")
class SpdkVhostAgentLabTest {

    @Test
    void theAgentRoleConvergesAndAnswersVirtLauncher(@TempDir Path dir) throws Exception {
        Path home = Lab.home();
        LabAgentNode node = new LabAgentNode("node1");
        node.ssh("systemctl stop spdk-vhost-agent 2>/dev/null; rm -rf /var/tmp/vhost.message /var/lib/spdk-vhost-agent /var/lib/rbd-double; "
                + "printf %s " + Base64.getEncoder().encodeToString(Files.readAllBytes(home.resolve("lab/rbd-double/rbd-double")))
                + " | base64 -d > /usr/local/bin/rbd-double && chmod 755 /usr/local/bin/rbd-double");
        String[] args = {"-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                home.resolve("playbooks/site.yaml").toString(), "--tags", "spdk,cluster", "-l", "node1",
                "-e", "{\"kubevirt_spdk_vhost\": true, \"spdk_vhost_agent_rbd\": \"/usr/local/bin/rbd-double\"}"};
        Lab.Run first = Lab.play(dir, args);
        assertEquals(ExitCode.OK, first.exitCode(), first.console());
        assertEquals("active", node.ssh("systemctl is-active spdk-vhost-agent"));
        assertTrue(node.ssh("cat /etc/default/spdk-vhost-agent").contains("AGENT_RBD=/usr/local/bin/rbd-double"));
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
