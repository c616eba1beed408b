package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperform.error.ExitCode;
import dev.hyperform.modules.kubernetes.ScriptedKubeVirtOperator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubevirt role (playbooks/cluster.yaml, tag kubevirt) against the DECLARED Kubernetes API double, with a
 * scripted stand-in for KubeVirt's operator ({@link ScriptedKubeVirtOperator}): it converges, a second run and
 * {@code --check} change nothing, the gate passes only once the operator reports Available and Deployed, a bad
 * feature gate is refused before any write, and SPDK-vhost VMs without hugepages are refused. Three inventory hosts
 * (all local) stand for the cluster's nodes: the role talks to the API once per play, not once per node.
 */
class KubeVirtRoleTest {
    private static final Path HOME = Lab.home();
    private KubeDoublePlay k;
    private Path inventory;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        k = new KubeDoublePlay(dir);
        inventory = k.hci("node1", "node2", "node3");
        Files.createSymbolicLink(dir.resolve("roles"), HOME.resolve("playbooks/roles"));
    }

    @AfterEach
    void stop() {
        k.close();
    }

    /** site.yaml, only the kubevirt role. */
    static Lab.Run site(KubeDoublePlay k, Path inventory, String... more) throws Exception {
        return k.playbook(inventory, HOME.resolve("playbooks/site.yaml"), Lab.plus(new String[] {"--tags", "kubevirt"}, more));
    }

    private Lab.Run site(String... more) throws Exception {
        return site(k, inventory, more);
    }

    private GenericKubernetesResource kubevirt() {
        return k.get("kubevirt.io", "v1", "kubevirts", "kubevirt", "kubevirt");
    }

    @SuppressWarnings("unchecked")
    static Object at(GenericKubernetesResource o, String... path) {
        Object cur = o.getAdditionalProperties();
        for (String p : path) {
            cur = cur instanceof Map<?, ?> m ? m.get(p) : cur instanceof List<?> l ? l.get(Integer.parseInt(p)) : null;
        }
        return cur;
    }

    static int changed(Lab.Run r) {
        int n = 0;
        for (String h : List.of("node1", "node2", "node3")) {
            n += r.recap(h).path("changed").asInt();
        }
        return n;
    }

    @Test
    void theRoleConvergesThroughTheGateAndASecondRunAndCheckChangeNothing() throws Exception {
        try (var operator = ScriptedKubeVirtOperator.deploying(k.client, 1500, 100)) {
            long t0 = System.nanoTime();
            Lab.Run first = site();
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(ExitCode.OK, first.exitCode(), first.console());
            assertTrue(seconds >= 1.5, "the gate waited for the operator: " + seconds + " s");
            JsonNode gate = first.results("kubevirt : gate: the KubeVirt CR is Available and Deployed").get(0);
            assertEquals("ok", gate.path("status").asText(), first.console());
            assertEquals(1, first.results("kubevirt : gate: the KubeVirt CR is Available and Deployed").size(), "once per play, not per node");
            assertTrue(first.eventsText().contains("\"phase\":\"Deployed\""), "the gate saw the operator's Deployed status");

            GenericKubernetesResource kv = kubevirt();
            assertEquals(List.of("CPUManager", "LiveMigration"), at(kv, "spec", "configuration", "developerConfiguration", "featureGates"));
            assertEquals(800, at(kv, "spec", "configuration", "migrations", "completionTimeoutPerGiB"));
            assertEquals("quay.io/kubevirt", at(kv, "spec", "imageRegistry"));
            assertEquals("v0.58.0", at(kv, "spec", "imageTag"));
            assertNull(at(kv, "spec", "configuration", "evictionStrategy"), "KubeVirt's own default unless set");
            var deployment = k.client.apps().deployments().inNamespace("kubevirt").withName("virt-operator").get();
            assertEquals("quay.io/kubevirt/virt-operator:v0.58.0", deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
            assertNotNull(k.client.apiextensions().v1().customResourceDefinitions().withName("kubevirts.kubevirt.io").get());

            Map<String, String> converged = k.api.snapshot();
            Lab.Run again = site();
            assertEquals(ExitCode.OK, again.exitCode(), again.console());
            assertEquals(0, changed(again), again.console());
            assertEquals(converged, k.api.snapshot(), "a second run stored nothing");
            Lab.Run check = site("--check");
            assertEquals(ExitCode.OK, check.exitCode(), check.console());
            assertEquals(0, changed(check), check.console());
            assertEquals(converged, k.api.snapshot());

            Lab.Run site = site("-e", "{\"kubevirt_image_registry\": \"registry.example:5000/kubevirt-spdk\", \"kubevirt_image_tag\": \"v0.58.0-spdk\","
                    + " \"kubevirt_eviction_strategy\": \"LiveMigrate\", \"kubevirt_migrations\": {\"bandwidthPerMigration\": \"1Gi\"}}");
            assertEquals(ExitCode.OK, site.exitCode(), site.console());
            kv = kubevirt();
            assertEquals("registry.example:5000/kubevirt-spdk", at(kv, "spec", "imageRegistry"));
            assertEquals("v0.58.0-spdk", at(kv, "spec", "imageTag"));
            assertEquals("LiveMigrate", at(kv, "spec", "configuration", "evictionStrategy"));
            assertEquals(Map.of("bandwidthPerMigration", "1Gi"), at(kv, "spec", "configuration", "migrations"));
            assertEquals("registry.example:5000/kubevirt-spdk/virt-operator:v0.58.0-spdk", k.client.apps().deployments()
                    .inNamespace("kubevirt").withName("virt-operator").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        }
    }

    @Test
    void aKubeVirtThatNeverBecomesAvailableFailsThePlayAtTheGateWithTheStatusSeenAndNothingAfterRuns() throws Exception {
        try (var operator = ScriptedKubeVirtOperator.stuckDeploying(k.client)) {
            Path pb = Lab.write(k.dir, "stuck.yaml", """
                    - hosts: hci
                      gather_facts: false
                      roles: [kubevirt]
                      tasks:
                        - name: after kubevirt
                          k8s: {definition: {apiVersion: v1, kind: ConfigMap, metadata: {name: after-kubevirt, namespace: default}}}
                    """);
            Lab.Run r = k.playbook(inventory, pb, "-e", "kubevirt_wait_timeout=3");
            assertEquals(ExitCode.TASK_FAILED, r.exitCode(), r.console());
            String gate = "kubevirt : gate: the KubeVirt CR is Available and Deployed";
            assertEquals("failed", KubeDoublePlay.status(r, gate), r.console());
            String msg = KubeDoublePlay.message(r, gate);
            assertTrue(msg.contains("timed out after 3 s") && msg.contains("phase=Deploying") && msg.contains("Available"), msg);
            assertEquals(List.of(), r.results("after kubevirt"), "nothing ran after the gate");
            assertNull(k.client.configMaps().inNamespace("default").withName("after-kubevirt").get());
        }
    }

    @Test
    void aFeatureGateKubeVirt058DoesNotHaveIsRefusedBeforeAnyApiWriteWithTheNameItMostLikelyMeant() throws Exception {
        for (String[] c : new String[][] {
                {"[\"CPUManagr\", \"LiveMigration\"]", "'CPUManagr' is not a feature gate of KubeVirt 0.58; did you mean CPUManager?"},
                {"[\"SpdkVhost\"]", "'SpdkVhost' is not a feature gate of KubeVirt 0.58 (its gates: ExpandDisks, CPUManager, NUMA"}}) {
            k.api.resetCounts();
            Lab.Run r = site("-e", "{\"kubevirt_feature_gates\": " + c[0] + "}");
            assertEquals(ExitCode.TASK_FAILED, r.exitCode(), r.console());
            assertTrue(r.console().contains(c[1]), r.console());
            for (String write : List.of("POST", "PUT", "PATCH", "DELETE")) {
                assertEquals(0, k.api.count(write), write + " requests reached the API:\n" + r.console());
            }
            assertNull(kubevirt());
        }
    }

    @Test
    void theSpdkVhostSwitchWithUpstreamImagesSaysOnceThatThePatchedImagesAreNeeded() throws Exception {
        try (var operator = ScriptedKubeVirtOperator.deploying(k.client, 10, 10)) {
            String note = "which have no spdkVhostBlkDisk volume source";
            Lab.Run upstream = site("-e", "kubevirt_spdk_vhost=true");
            assertEquals(ExitCode.OK, upstream.exitCode(), upstream.console());
            assertEquals(1, upstream.console().split(note, -1).length - 1, upstream.console());
            Lab.Run patched = site("-e", "{\"kubevirt_spdk_vhost\": true, \"kubevirt_image_registry\": \"registry.example/kv\"}");
            assertEquals(ExitCode.OK, patched.exitCode(), patched.console());
            assertTrue(!patched.console().contains(note), patched.console());
            Lab.Run off = site();
            assertTrue(!off.console().contains(note), off.console());
        }
    }

    @Test
    void withTheSpdkVhostSwitchAVmWithSpdkVhostDisksButNoHugepagesIsRefusedByName() throws Exception {
        try (var operator = ScriptedKubeVirtOperator.deploying(k.client, 10, 10)) {
            assertEquals(ExitCode.OK, site().exitCode());
            for (String vm : List.of(vm("with-hugepages", "memory: {hugepages: {pageSize: 2Mi}}"), vm("no-hugepages", "cpu: {cores: 1}"),
                    vm("virtio-only", "cpu: {cores: 1}").replace("spdkVhostBlkDisk: {capacity: 1Gi}", "emptyDisk: {capacity: 1Gi}"))) {
                k.client.genericKubernetesResources("kubevirt.io/v1", "VirtualMachine").inNamespace("default")
                        .resource(Serialization.unmarshal(vm, GenericKubernetesResource.class)).create();
            }
            Lab.Run on = site("-e", "kubevirt_spdk_vhost=true");
            assertEquals(ExitCode.TASK_FAILED, on.exitCode(), on.console());
            String msg = KubeDoublePlay.message(on, "kubevirt : every VM and VMI with spdkVhostBlkDisk volumes has spec.domain.memory.hugepages");
            assertTrue(msg.contains("VirtualMachine default/no-hugepages") && !msg.contains("with-hugepages") && !msg.contains("virtio-only"), msg);
            assertEquals(ExitCode.OK, site().exitCode(), "without the switch the role does not look");
        }
    }

    static String vm(String name, String memory) {
        return """
                apiVersion: kubevirt.io/v1
                kind: VirtualMachine
                metadata: {name: %s, namespace: default}
                spec:
                  running: false
                  template:
                    spec:
                      domain:
                        %s
                        devices: {disks: [{name: d1, disk: {bus: virtio}}]}
                      volumes:
                      - name: d1
                        spdkVhostBlkDisk: {capacity: 1Gi}
                """.formatted(name, memory);
    }
}
