package dev.hyperform.it;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * spdk-vhost-agent (role spdk_vhost_agent) run locally: the agent script and the SPDK JSON-RPC test double as
 * processes on this machine, a temp directory standing for /var/tmp, virt-launcher's side played byte for byte.
 * The same scenarios run on a lab host under systemd in SpdkVhostAgentLabTest.
 */
class SpdkVhostAgentTest {
    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> theAgentAnswersVirtLauncher() {
        return Stream.of(
                scenario("New -> Complete with the RESULT line", VhostAgentScenarios::newRequestIsAnsweredWithTheResultLine),
                scenario("Delete -> Deleting removes controller and bdev", VhostAgentScenarios::deleteRemovesControllerAndBdev),
                scenario("Delete over a shorter header that eats the label", VhostAgentScenarios::deleteOverAShorterHeader),
                scenario("two requests at once", VhostAgentScenarios::twoRequestsAtOnce),
                scenario("a request while the agent restarts", VhostAgentScenarios::requestWhileTheAgentRestarts),
                scenario("SPDK restart: controllers re-created, marker follows", VhostAgentScenarios::spdkRestartRecreatesControllers),
                scenario("malformed and truncated files left alone", VhostAgentScenarios::malformedFilesAreLoggedAndLeftAlone),
                scenario("cores in turn, image removal", Map.of("AGENT_CPUMASKS", "0x1 0x2", "AGENT_REMOVE_IMAGE", "true"),
                        VhostAgentScenarios::coresInTurnAndImageRemoval));
    }

    /**
     * A second virt-launcher writes while the agent is in the middle of the first request (held in its image step):
     * the agent answers both, and does not mark the second one's header Complete before answering it.
     */
    @org.junit.jupiter.api.Test
    void aRequestWrittenWhileTheAgentWorksIsAnsweredToo() throws Exception {
        try (LocalAgentNode node = new LocalAgentNode(java.nio.file.Files.createDirectories(dir.resolve("gate")))) {
            VirtLauncherSide one = new VirtLauncherSide(node.messageFile());
            node.armGate();
            VirtLauncherSide.Request a = one.request("virt-launcher-vm11-iiiii", 0, 1024);
            VhostAgentScenarios.await(node, node::paused, "the agent is creating the first image");
            VirtLauncherSide two = new VirtLauncherSide(node.messageFile());
            VirtLauncherSide.Request b = two.request("virt-launcher-vm12-jjjjj", 0, 2048);
            node.resume();
            VhostAgentScenarios.await(node, () -> VhostAgentScenarios.sectionDone(one.text(), a), "first answered");
            org.junit.jupiter.api.Assertions.assertTrue(one.text().startsWith(VirtLauncherSide.header(b.queue(), "New"))
                    || one.text().startsWith(VirtLauncherSide.header(b.queue(), "WIP"))
                    || VhostAgentScenarios.sectionDone(one.text(), b), "the second request's header is not Complete before its answer:\n" + one.text());
            VhostAgentScenarios.await(node, () -> two.answered(b), "second answered");
            org.junit.jupiter.api.Assertions.assertTrue(one.text().startsWith(VirtLauncherSide.header(b.queue(), "Complete")), one.text());
        }
    }

    private DynamicTest scenario(String name, Consumer<AgentNode> body) {
        return scenario(name, Map.of(), body);
    }

    private DynamicTest scenario(String name, Map<String, String> settings, Consumer<AgentNode> body) {
        return DynamicTest.dynamicTest(name, () -> {
            // short paths: a Unix socket path has at most 107 bytes
            Path own = java.nio.file.Files.createDirectories(dir.resolve("s" + name.hashCode() % 1000));
            try (LocalAgentNode node = new LocalAgentNode(own, settings)) {
                body.accept(node);
            }
        });
    }
}
