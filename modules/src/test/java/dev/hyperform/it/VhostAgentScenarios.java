package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What the patched KubeVirt relies on from spdk-vhost-agent, played from virt-launcher's side of /var/tmp/vhost.message
 * ({@link VirtLauncherSide}) against a node ({@link AgentNode}): the same scenarios run locally (unit test) and on a
 * lab host (lab test).
 */
final class VhostAgentScenarios {
    /** virt-launcher gives up after 5 tries, 3 s apart (WSF patch 0019). */
    static final long LAUNCHER_WAIT_MS = 15_000;

    private VhostAgentScenarios() {
    }

    /** New -> WIP -> Complete: image, bdev, controller, and exactly the RESULT line virt-launcher parses. */
    static void newRequestIsAnsweredWithTheResultLine(AgentNode node) {
        VirtLauncherSide launcher = new VirtLauncherSide(node.messageFile());
        VirtLauncherSide.Request r = launcher.request("virt-launcher-vm1-abcde", 0, 51200);
        String written = launcher.text();
        await(node, () -> launcher.answered(r), "virt-launcher sees status complete with its uuid for " + r);
        String now = launcher.text();
        String result = lineOf(now, "RESULT={status:complete;vhost_ctrl:vhost." + r.name() + ";");
        assertTrue(result.matches("RESULT=\\{status:complete;vhost_ctrl:vhost\\.virt-launcher-vm1-abcde-0;size:51200M;"
                + "time:\\d\\d-\\d\\d-\\d\\d-\\d\\d-\\d\\d;uuid:" + r.uuid() + ";}"), result);
        // the agent may already have marked the header WIP when the file was read back after the request
        String expected = written.replace("WorkItemStatus=New\n", "WorkItemStatus=Complete\n")
                .replace("WorkItemStatus=WIP\n", "WorkItemStatus=Complete\n")
                .replace("UUID=" + r.uuid() + "\nUNIT=M\nCAPACITY=51200\nWORKSTATUS=NEW\nRESULT={}\n",
                        "UUID=" + r.uuid() + "\nUNIT=M\nCAPACITY=51200\nWORKSTATUS=complete\n" + result + "\n");
        assertEquals(expected, now, "only the header status, WORKSTATUS and RESULT change");
        assertTrue(node.socket(r.socket()), "controller socket /var/tmp/vhost." + r.name());
        String ctrl = node.rpc("vhost_get_controllers", "{\"name\":\"" + r.socket() + "\"}");
        assertTrue(ctrl.contains("\"bdev\":\"" + r.name() + "\""), ctrl);
        assertTrue(node.rpc("bdev_get_bdevs", "{\"name\":\"" + r.name() + "\"}").contains("\"rbd_name\":\"" + r.name() + "\""));
        assertEquals(51200, node.imageMib(r.name()), "the RBD image, of the size asked for");
        assertTrue(node.marker(), "marker while SPDK serves");
    }

    /** Delete -> Deleting: controller and bdev gone, the image kept (spdk_vhost_agent_remove_image: false). */
    static void deleteRemovesControllerAndBdev(AgentNode node) {
        VirtLauncherSide launcher = new VirtLauncherSide(node.messageFile());
        VirtLauncherSide.Request r = launcher.request("virt-launcher-vm2-fghij", 0, 1024);
        await(node, () -> launcher.answered(r), "answer for " + r);
        launcher.delete(r);
        await(node, () -> !node.socket(r.socket()), "controller socket removed after Delete");
        await(node, () -> launcher.text().startsWith(VirtLauncherSide.header(r.queue(), "Deleting")), "header says Deleting");
        assertFalse(node.rpc("vhost_get_controllers", null).contains("\"" + r.socket() + "\""));
        assertTrue(node.rpc("bdev_get_bdevs", "{\"name\":\"" + r.name() + "\"}").contains("\"error\""), "bdev deleted");
        assertEquals(1024, node.imageMib(r.name()), "image kept");
    }

    /**
     * virt-launcher writes its header at offset 0 without truncating: a Delete header over a WIP one is 3 bytes
     * longer and eats "Que" of the "Queue1:" label. The agent still finds section 1 by its Q_INDEX line.
     */
    static void deleteOverAShorterHeader(AgentNode node) {
        VirtLauncherSide launcher = new VirtLauncherSide(node.messageFile());
        VirtLauncherSide.Request r = launcher.request("virt-launcher-vm9-ggggg", 0, 1024);
        await(node, () -> launcher.answered(r), "answer for " + r);
        String text = launcher.text();
        String wip = VirtLauncherSide.header(r.queue(), "WIP") + text.substring(text.indexOf("Queue" + r.queue() + ":\n"));
        node.messageFile().create(VirtLauncherSide.bytes(wip));
        launcher.delete(r);
        assertTrue(launcher.text().contains("---\nue" + r.queue() + ":\nQ_INDEX="), launcher.text());
        await(node, () -> !node.rpc("vhost_get_controllers", null).contains("\"" + r.socket() + "\""), "controller deleted");
    }

    /**
     * With AGENT_CPUMASKS="0x1 0x2" and AGENT_REMOVE_IMAGE=true: controllers take the cores in turn and keep them
     * when SPDK restarts; Delete removes the image too.
     */
    static void coresInTurnAndImageRemoval(AgentNode node) {
        VirtLauncherSide launcher = new VirtLauncherSide(node.messageFile());
        VirtLauncherSide.Request a = launcher.request("virt-launcher-vm10-hhhhh", 0, 1024);
        await(node, () -> launcher.answered(a), "answer for " + a);
        VirtLauncherSide.Request b = launcher.request("virt-launcher-vm10-hhhhh", 1, 1024);
        await(node, () -> launcher.answered(b), "answer for " + b);
        for (int round = 0; round < 2; round++) {
            assertTrue(node.rpc("vhost_get_controllers", "{\"name\":\"" + a.socket() + "\"}").contains("\"cpumask\":\"0x1\""));
            assertTrue(node.rpc("vhost_get_controllers", "{\"name\":\"" + b.socket() + "\"}").contains("\"cpumask\":\"0x2\""));
            node.killAndRestartSpdk();
            await(node, () -> node.rpc("vhost_get_controllers", null).contains("\"ctrlr\":\"" + b.socket() + "\""), "re-created");
        }
        launcher.delete(a);
        await(node, () -> node.imageMib(a.name()) < 0, "image removed on Delete");
        assertEquals(1024, node.imageMib(b.name()), "only the deleted disk's image");
    }

    /** Two virt-launchers write before the agent looks: both get their own RESULT, both controllers exist. */
    static void twoRequestsAtOnce(AgentNode node) {
        VirtLauncherSide one = new VirtLauncherSide(node.messageFile());
        VirtLauncherSide two = new VirtLauncherSide(node.messageFile());
        VirtLauncherSide.Request a = one.request("virt-launcher-vm3-aaaaa", 0, 2048);
        VirtLauncherSide.Request b = two.request("virt-launcher-vm4-bbbbb", 1, 4096);
        await(node, () -> sectionDone(one.text(), a) && sectionDone(one.text(), b), "both sections answered");
        assertTrue(two.answered(b), "the last request's RESULT is the last RESULT line");
        assertTrue(node.socket(a.socket()) && node.socket(b.socket()), "both controller sockets");
    }

    /** A request written while the agent is down is answered once it is back. */
    static void requestWhileTheAgentRestarts(AgentNode node) {
        VirtLauncherSide launcher = new VirtLauncherSide(node.messageFile());
        node.stopAgent();
        VirtLauncherSide.Request r = launcher.request("virt-launcher-vm5-ccccc", 0, 512);
        node.startAgent();
        await(node, () -> launcher.answered(r), "answer after the agent restarted");
        assertTrue(node.socket(r.socket()));
    }

    /** SPDK killed (live recovery): the agent's controllers come back under the same names; the marker follows SPDK. */
    static void spdkRestartRecreatesControllers(AgentNode node) {
        VirtLauncherSide launcher = new VirtLauncherSide(node.messageFile());
        VirtLauncherSide.Request a = launcher.request("virt-launcher-vm6-ddddd", 0, 1024);
        await(node, () -> launcher.answered(a), "answer for " + a);
        VirtLauncherSide.Request b = launcher.request("virt-launcher-vm6-ddddd", 1, 1024);
        await(node, () -> launcher.answered(b), "answer for " + b);
        node.killAndRestartSpdk();
        // a killed target leaves its socket files behind: only the target's own list tells
        await(node, () -> node.rpc("vhost_get_controllers", null).contains("\"ctrlr\":\"" + a.socket() + "\"")
                && node.rpc("vhost_get_controllers", null).contains("\"ctrlr\":\"" + b.socket() + "\""), "controllers re-created after SPDK restarted");
        assertTrue(node.socket(a.socket()) && node.socket(b.socket()), "same socket paths");
        node.stopSpdk();
        await(node, () -> !node.marker(), "marker removed while SPDK does not serve");
        node.startSpdk();
        await(node, () -> node.marker() && node.rpc("vhost_get_controllers", null).contains("\"ctrlr\":\"" + a.socket() + "\""),
                "marker and controllers back");
    }

    /** Malformed and truncated files: logged, skipped, left byte for byte; the agent keeps answering. */
    static void malformedFilesAreLoggedAndLeftAlone(AgentNode node) {
        String h = VirtLauncherSide.header(1, "New");
        String s = VirtLauncherSide.section(1, 0, "virt-launcher-vm7-eeeee-0", "3f1c2a9e-1d2b-4c3d-8e4f-5a6b7c8d9e0f", 1024);
        List<String> cases = List.of(
                "not a message file\n\u0000\u0001binary\n",
                h.substring(0, 30),
                h + s.substring(0, 70),
                h + s.replace("NAME=virt-launcher-vm7-eeeee-0", "NAME=../../etc/x\";rm -rf /"),
                h + s.replace("CAPACITY=1024", "CAPACITY=1k"),
                h.replace("WorkItemStatus=New", "WorkItemStatus=Maybe") + s);
        for (String bad : cases) {
            int before = count(node.agentLog(), "malformed");
            node.messageFile().create(VirtLauncherSide.bytes(bad));
            await(node, () -> count(node.agentLog(), "malformed") > before, "malformed content logged: " + bad);
            pause(1500);
            assertTrue(Arrays.equals(VirtLauncherSide.bytes(bad), node.messageFile().read()), "file left as it was: " + bad);
        }
        assertFalse(node.rpc("vhost_get_controllers", null).contains("eeeee"), "nothing created from malformed sections");
        VirtLauncherSide launcher = new VirtLauncherSide(node.messageFile());
        node.messageFile().delete();
        VirtLauncherSide.Request r = launcher.request("virt-launcher-vm8-fffff", 0, 256);
        await(node, () -> launcher.answered(r), "the agent still answers after malformed files");
    }

    static boolean sectionDone(String content, VirtLauncherSide.Request r) {
        int at = content.indexOf("UUID=" + r.uuid() + "\n");
        return at >= 0 && content.startsWith("UUID=" + r.uuid() + "\nUNIT=M\nCAPACITY=" + r.mib() + "\nWORKSTATUS=complete\nRESULT={status:complete;vhost_ctrl:"
                + r.socket() + ";size:" + r.mib() + "M;", at) && content.indexOf(";uuid:" + r.uuid() + ";}\n", at) > 0;
    }

    private static String lineOf(String content, String prefix) {
        return Arrays.stream(content.split("\n")).filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with " + prefix + " in:\n" + content));
    }

    private static int count(String text, String word) {
        return text.split(word, -1).length - 1;
    }

    static void await(AgentNode node, BooleanSupplier condition, String what) {
        long end = System.currentTimeMillis() + LAUNCHER_WAIT_MS;
        while (System.currentTimeMillis() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            pause(200);
        }
        fail("not within " + LAUNCHER_WAIT_MS + " ms: " + what + "\nmessage file:\n"
                + (node.messageFile().exists() ? new String(node.messageFile().read()) : "(none)") + "\nagent log:\n" + node.agentLog());
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
