package dev.hyperform.it;

import static dev.hyperform.it.KubeVirtRoleTest.at;
import static dev.hyperform.it.KubeVirtRoleTest.changed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import dev.hyperform.modules.kubernetes.ScriptedKubeVirtOperator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * playbooks/vms.yaml against the DECLARED Kubernetes API double: N VMs of a kind as WSF defines them (VirtIO on RWX
 * Block PVCs, SPDK-vhost with spdkVhostBlkDisk volumes on hugepages), created once per play and waited for until
 * their VMIs are Ready (the scripted KubeVirt controllers start them); a second run and {@code --check} change
 * nothing.
 */
class KubeVirtVmsTest {
    private static final Path VMS = Lab.home().resolve("playbooks/vms.yaml");
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHyperformTestKeyOnlyXXXXXXXXXXXXXXXXXXXXXX hyperform@controller";
    private KubeDoublePlay k;
    private Path inventory;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        k = new KubeDoublePlay(dir);
        inventory = k.hci("node1", "node2", "node3");
    }

    @AfterEach
    void stop() {
        k.close();
    }

    private Lab.Run vms(String extraVars, String... more) throws Exception {
        return k.playbook(inventory, VMS, Lab.plus(new String[] {"-e", extraVars}, more));
    }

    private GenericKubernetesResource vmi(String name) {
        return k.get("kubevirt.io", "v1", "virtualmachineinstances", "default", name);
    }

    @Test
    void spdkVhostVmsAreCreatedAsWsfDefinesThemAndThePlayEndsWhenTheirVmisAreReady() throws Exception {
        try (var kubevirt = ScriptedKubeVirtOperator.deploying(k.client, 10, 1500)) {
            assertEquals(ExitCode.OK, KubeVirtRoleTest.site(k, inventory).exitCode());
            String vars = "{\"vm_kind\": \"spdk_vhost\", \"vm_count\": 3, \"vm_memory\": \"4Gi\", \"vm_ssh_public_key\": \"" + KEY + "\"}";
            long t0 = System.nanoTime();
            Lab.Run r = vms(vars);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(ExitCode.OK, r.exitCode(), r.console());
            assertTrue(seconds >= 1.5, "the play waited for the VMIs: " + seconds + " s");
            for (String name : List.of("vm1", "vm2", "vm3")) {
                assertEquals("Running", at(vmi(name), "status", "phase"), name);
                assertEquals("True", at(vmi(name), "status", "conditions", "0", "status"), name);
                GenericKubernetesResource vm = k.get("kubevirt.io", "v1", "virtualmachines", "default", name);
                assertEquals("2Mi", at(vm, "spec", "template", "spec", "domain", "memory", "hugepages", "pageSize"));
                assertEquals(Map.of("memory", "4Gi", "hugepages-2Mi", "4Gi"), at(vm, "spec", "template", "spec", "domain", "resources", "requests"));
                assertEquals(Map.of("memory", "4Gi", "hugepages-2Mi", "4Gi"), at(vm, "spec", "template", "spec", "domain", "resources", "limits"));
                assertEquals(Map.of("capacity", "50Gi"), at(vm, "spec", "template", "spec", "volumes", "2", "spdkVhostBlkDisk"));
                assertEquals(Map.of("capacity", "50Gi"), at(vm, "spec", "template", "spec", "volumes", "4", "spdkVhostBlkDisk"));
                assertEquals(Map.of("name", "data3", "disk", Map.of("bus", "virtio")), at(vm, "spec", "template", "spec", "domain", "devices", "disks", "4"));
                assertEquals(List.of(Map.of("key", "HAS-SETUP-CEPH-STORAGE", "operator", "In", "values", List.of("yes")),
                        Map.of("key", "HAS-SETUP-HUGEPAGE-2048kB-32768", "operator", "In", "values", List.of("yes"))),
                        at(vm, "spec", "template", "spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
                                "nodeSelectorTerms", "0", "matchExpressions"));
                assertTrue(String.valueOf(at(vm, "spec", "template", "spec", "volumes", "1", "cloudInitNoCloud", "userData")).contains(KEY));
                assertEquals(true, at(vm, "spec", "template", "spec", "domain", "cpu", "dedicatedCpuPlacement"));
                assertEquals(Map.of("hyperform.dev/vm-set", "vm"), at(vm, "spec", "template", "spec", "affinity", "podAntiAffinity",
                        "preferredDuringSchedulingIgnoredDuringExecution", "0", "podAffinityTerm", "labelSelector", "matchLabels"));
            }
            assertNull(vmi("vm4"));
            assertEquals(1, r.results("kubevirt_vms : SPDK-vhost VMs").size(), "applied once per play, not once per node");

            Map<String, String> converged = k.api.snapshot();
            Lab.Run again = vms(vars);
            assertEquals(ExitCode.OK, again.exitCode(), again.console());
            assertEquals(0, changed(again), again.console());
            Lab.Run check = vms(vars, "--check");
            assertEquals(0, changed(check), check.console());
            assertEquals(converged, k.api.snapshot(), "a second run and --check stored nothing");
        }
    }

    @Test
    void virtioVmsGetRwxBlockPvcsOnRookCephBlockAndNoHugepages() throws Exception {
        try (var kubevirt = ScriptedKubeVirtOperator.deploying(k.client, 10, 100)) {
            assertEquals(ExitCode.OK, KubeVirtRoleTest.site(k, inventory).exitCode());
            Lab.Run r = vms("{\"vm_count\": 2, \"vm_disk_count\": 2, \"vm_name_prefix\": \"base\", \"vm_anti_affinity\": \"required\","
                    + " \"vm_ssh_public_key\": \"" + KEY + "\"}");
            assertEquals(ExitCode.OK, r.exitCode(), r.console());
            for (String name : List.of("base1", "base2")) {
                GenericKubernetesResource vm = k.get("kubevirt.io", "v1", "virtualmachines", "default", name);
                assertNull(at(vm, "spec", "template", "spec", "domain", "memory"));
                assertNull(at(vm, "spec", "template", "spec", "affinity", "nodeAffinity"));
                assertEquals(Map.of("claimName", name + "-data2"), at(vm, "spec", "template", "spec", "volumes", "3", "persistentVolumeClaim"));
                assertEquals("kubernetes.io/hostname", at(vm, "spec", "template", "spec", "affinity", "podAntiAffinity",
                        "requiredDuringSchedulingIgnoredDuringExecution", "0", "topologyKey"));
                assertEquals("True", at(vmi(name), "status", "conditions", "0", "status"));
                for (String disk : List.of("-data1", "-data2")) {
                    PersistentVolumeClaim pvc = k.client.persistentVolumeClaims().inNamespace("default").withName(name + disk).get();
                    assertEquals("rook-ceph-block", pvc.getSpec().getStorageClassName());
                    assertEquals("Block", pvc.getSpec().getVolumeMode());
                    assertEquals(List.of("ReadWriteMany"), pvc.getSpec().getAccessModes());
                    assertEquals("50Gi", pvc.getSpec().getResources().getRequests().get("storage").toString());
                }
            }
            assertNull(k.client.persistentVolumeClaims().inNamespace("default").withName("base1-data3").get());
        }
    }

    @Test
    void vmisThatNeverBecomeReadyFailThePlayWithTheStatusSeen() throws Exception {
        try (var kubevirt = ScriptedKubeVirtOperator.deploying(k.client, 10, 600_000)) {
            assertEquals(ExitCode.OK, KubeVirtRoleTest.site(k, inventory).exitCode());
            Lab.Run r = vms("{\"vm_count\": 1, \"vm_wait_timeout\": 2, \"vm_ssh_public_key\": \"" + KEY + "\"}");
            assertEquals(ExitCode.TASK_FAILED, r.exitCode(), r.console());
            assertTrue(r.console().contains("timed out after 2 s waiting for VirtualMachineInstance default/vm1 to reach condition "
                    + "Ready=True; last status: {phase=Scheduling}"), r.console());
        }
    }

    @Test
    void settingsThatCannotWorkAreRefusedBeforeAnyApiWrite() throws Exception {
        for (String vars : List.of("{\"vm_ssh_public_key\": \"\"}", "{\"vm_kind\": \"vhost\", \"vm_ssh_public_key\": \"" + KEY + "\"}",
                "{\"vm_kind\": \"spdk_vhost\", \"vm_hugepages_page_size\": \"\", \"vm_ssh_public_key\": \"" + KEY + "\"}")) {
            k.api.resetCounts();
            Lab.Run r = vms(vars);
            assertEquals(ExitCode.TASK_FAILED, r.exitCode(), r.console());
            assertEquals("failed", KubeDoublePlay.status(r, "kubevirt_vms : the VM settings make sense (checked before anything is applied)"), r.console());
            assertEquals(0, k.api.count("ALL"), "the API was not asked anything");
        }
    }
}
