package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import dev.hyperform.modules.kubernetes.ScriptedMigrationController;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * playbooks/migrate.yaml in KubeVirt mode against the DECLARED Kubernetes API double with a scripted migration
 * controller ({@link ScriptedMigrationController}: no VM moves, the VMIM phases and the VMI's migrationState and node
 * are what KubeVirt 0.58 writes): named VMs and a node's evacuation within the KubeVirt CR's parallel limits, a
 * failed migration and a timeout ending with the reason, a VMI that is not live-migratable refused before anything
 * is created, check mode creating nothing.
 */
class KubevirtMigrateTest {
    private static final Path MIGRATE = Lab.home().resolve("playbooks/migrate.yaml");
    private static final List<String> NODES = List.of("node1", "node2", "node3");
    private static final ResourceDefinitionContext VMIM = context("VirtualMachineInstanceMigration", "virtualmachineinstancemigrations");
    private static final ResourceDefinitionContext KUBEVIRT = context("KubeVirt", "kubevirts");
    private KubeDoublePlay k;
    private Path inventory;
    private ScriptedMigrationController controller;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        k = new KubeDoublePlay(dir);
        inventory = k.hci(NODES.toArray(String[]::new));
        controller = new ScriptedMigrationController(k.client, NODES, 100);
    }

    @AfterEach
    void stop() {
        controller.close();
        k.close();
    }

    private void kubevirt(Map<String, Object> migrations) {
        GenericKubernetesResource kv = new GenericKubernetesResource();
        kv.setApiVersion("kubevirt.io/v1");
        kv.setKind("KubeVirt");
        kv.setMetadata(new ObjectMetaBuilder().withName("kubevirt").withNamespace("kubevirt").build());
        kv.setAdditionalProperty("spec", migrations == null ? Map.of() : Map.of("configuration", Map.of("migrations", migrations)));
        k.client.genericKubernetesResources(KUBEVIRT).inNamespace("kubevirt").resource(kv).create();
    }

    private Lab.Run migrate(String vars, String... more) throws Exception {
        return k.playbook(inventory, MIGRATE, Lab.plus(new String[] {"-e", "vm_platform=kubevirt", "-e", "vm_migrate_poll_ms=100", "-e", vars}, more));
    }

    private String node(String vmi) {
        return String.valueOf(KubeVirtRoleTest.at(k.get("kubevirt.io", "v1", "virtualmachineinstances", "default", vmi), "status", "nodeName"));
    }

    private List<GenericKubernetesResource> migrations() {
        return k.client.genericKubernetesResources(VMIM).inNamespace("default").list().getItems();
    }

    @Test
    void aNamedVmMovesThroughEveryPhaseAndItsDurationIsReported() throws Exception {
        kubevirt(null);
        ScriptedMigrationController.runningVmi(k.client, "default", "vm1", "node2", null, null);
        Lab.Run check = migrate("{\"vm_migrate_vms\": [\"vm1\"]}", "--check");
        assertEquals(ExitCode.OK, check.exitCode(), check.console());
        assertEquals("changed", KubeDoublePlay.status(check, "vm_migrate : live-migrate vm1"), check.console());
        assertEquals(List.of(), migrations(), "check mode creates no migration");
        assertEquals("node2", node("vm1"));

        Lab.Run r = migrate("{\"vm_migrate_vms\": [\"vm1\"]}");
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        assertNotEquals("node2", node("vm1"), "the VMI runs on another node");
        GenericKubernetesResource m = migrations().get(0);
        assertEquals("vm1", KubeVirtRoleTest.at(m, "spec", "vmiName"));
        assertEquals("Succeeded", KubeVirtRoleTest.at(m, "status", "phase"));
        var result = r.results("vm_migrate : live-migrate vm1").get(0).path("result").path("migrations").path(0);
        assertEquals("node2", result.path("from").asText(), result.toString());
        assertEquals(node("vm1"), result.path("to").asText(), result.toString());
        assertTrue(result.path("seconds").asDouble() >= 0.6, "seven phases 100 ms apart: " + result);
        assertEquals(List.of("Pending", "Scheduling", "Scheduled", "PreparingTarget", "TargetReady", "Running", "Succeeded"),
                iterable(result.path("phases").fieldNames()), "every phase with its time: " + result);
        assertTrue(r.console().contains("vm1: node2 -> " + node("vm1") + " in "), r.console());
    }

    @Test
    void aFailedMigrationEndsWithTheVmisReason() throws Exception {
        kubevirt(null);
        ScriptedMigrationController.runningVmi(k.client, "default", "vm1", "node1", "fail", null);
        Lab.Run r = migrate("{\"vm_migrate_vms\": [\"vm1\"]}");
        assertEquals(ExitCode.TASK_FAILED, r.exitCode(), r.console());
        String msg = KubeDoublePlay.message(r, "vm_migrate : live-migrate vm1");
        assertTrue(msg.contains("default/vm1: migration vm1-migration-") && msg.contains("Failed"), msg);
        assertTrue(msg.contains(ScriptedMigrationController.FAILURE), "the VMI's failureReason: " + msg);
        assertEquals("node1", node("vm1"));
    }

    @Test
    void aMigrationThatDoesNotEndInTimeIsAbortedAndWhatWasLastSeenIsShown() throws Exception {
        kubevirt(null);
        ScriptedMigrationController.runningVmi(k.client, "default", "vm1", "node1", "hang", null);
        long t0 = System.nanoTime();
        Lab.Run r = migrate("{\"vm_migrate_vms\": [\"vm1\"], \"vm_migrate_timeout\": 2}");
        assertEquals(ExitCode.TASK_FAILED, r.exitCode(), r.console());
        assertTrue((System.nanoTime() - t0) / 1e9 < 30, "it did not wait longer than asked");
        String msg = KubeDoublePlay.message(r, "vm_migrate : live-migrate vm1");
        assertTrue(msg.contains("did not end within 2 s") && msg.contains("Last seen: phase Running") && msg.contains("targetNode="), msg);
        assertEquals(List.of(), migrations(), "the migration was deleted (KubeVirt aborts it)");
    }

    @Test
    void aVmiThatIsNotLiveMigratableIsRefusedBeforeAnythingIsCreated() throws Exception {
        kubevirt(null);
        ScriptedMigrationController.runningVmi(k.client, "default", "vm1", "node1", null, null);
        ScriptedMigrationController.runningVmi(k.client, "default", "vm2", "node1", null,
                "cannot migrate VMI: PVC vm2-data is not shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)");
        Lab.Run r = migrate("{\"evacuate_node\": \"node1\"}");
        assertEquals(ExitCode.TASK_FAILED, r.exitCode(), r.console());
        String msg = r.console();
        assertTrue(msg.contains("default/vm2 is not live-migratable: DisksNotLiveMigratable: cannot migrate VMI: PVC vm2-data is not shared"), msg);
        assertEquals(List.of(), migrations(), "nothing was created");
        assertEquals("node1", node("vm1"));
    }

    @ParameterizedTest(name = "cluster limit {0}, per-node limit {1}: at most {2} at once")
    @CsvSource({"5, 2, 2", "1, 2, 1", "5, 3, 3", ", , 2"})
    void evacuationMovesEveryVmOffTheNodeWithinTheParallelLimits(Integer perCluster, Integer perNode, int expected) throws Exception {
        kubevirt(perCluster == null ? null : Map.of("parallelMigrationsPerCluster", perCluster, "parallelOutboundMigrationsPerNode", perNode));
        for (int i = 1; i <= 5; i++) {
            ScriptedMigrationController.runningVmi(k.client, "default", "vm" + i, "node1", null, null);
        }
        ScriptedMigrationController.runningVmi(k.client, "default", "other", "node3", null, null);
        Lab.Run r = migrate("{\"evacuate_node\": \"node1\"}");
        assertEquals(ExitCode.OK, r.exitCode(), r.console());
        for (int i = 1; i <= 5; i++) {
            assertNotEquals("node1", node("vm" + i), "vm" + i + " left node1");
        }
        assertEquals("node3", node("other"), "a VMI on another node stays");
        assertEquals(5, migrations().size());
        assertEquals(expected, controller.maxConcurrent(), "the double saw at most the allowed migrations at once (and used them)");
        Lab.Run again = migrate("{\"evacuate_node\": \"node1\"}");
        assertEquals(ExitCode.OK, again.exitCode(), again.console());
        assertEquals(0, KubeVirtRoleTest.changed(again), "an evacuated node has nothing to move: " + again.console());
        assertEquals(5, migrations().size());
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("kubevirt.io").withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }
}
