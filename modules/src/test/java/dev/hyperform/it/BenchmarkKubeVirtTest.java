package dev.hyperform.it;

import static dev.hyperform.it.KubeVirtRoleTest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperform.error.ExitCode;
import dev.hyperform.modules.kubernetes.ScriptedKubeVirtOperator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * playbooks/benchmark.yaml in KubeVirt mode against the DECLARED Kubernetes API double with the scripted KubeVirt
 * controller: for every point the kubevirt_vms role's VMs of the point's kind and count are applied and their VMIs
 * become Ready; VMs of the other kind are removed when the kind changes. The double cannot run guests, so no guest
 * answers over ssh: every point is recorded failed with that reason (never as 0), the report says so, and the VMs
 * are gone at the end.
 */
class BenchmarkKubeVirtTest {
    private static final Path BENCHMARK = Lab.home().resolve("playbooks/benchmark.yaml");
    private static final String KEY = KubeVirtVmsTest.KEY;
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

    private List<String> vms() {
        return k.client.genericKubernetesResources("kubevirt.io/v1", "VirtualMachine").inNamespace("default").list().getItems()
                .stream().map(v -> v.getMetadata().getName() + ":" + v.getMetadata().getLabels().get("hyperform.dev/vm-kind")).sorted().toList();
    }

    /** The statuses of a task's results that were not skipped. */
    private static List<String> applied(Lab.Run r, String task) {
        return r.results(task).stream().map(x -> x.path("status").asText()).filter(s -> !s.equals("skipped")).toList();
    }

    @Test
    void everyPointAppliesItsVmsAndWithoutGuestsEveryPointIsFailedWithTheReason(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("run");
        Path key = Lab.write(dir, "id", "not a key\n");
        try (var kubevirt = ScriptedKubeVirtOperator.deploying(k.client, 10, 200)) {
            assertEquals(ExitCode.OK, KubeVirtRoleTest.site(k, inventory).exitCode());
            String vars = ("{\"bench_mode\": \"kubevirt\", \"bench_vm_counts\": [1, 2], \"bench_cases\": [\"randread-4k\"],"
                    + " \"bench_results_dir\": \"%s\", \"bench_guest_private_key\": \"%s\", \"bench_guest_connect_timeout\": 2,"
                    + " \"bench_keep_vms\": true, \"bench_report_command\": \"true\", \"vm_ssh_public_key\": \"%s\", \"vm_memory\": \"1Gi\"}")
                    .formatted(results, key, KEY);
            Lab.Run r = k.playbook(inventory, BENCHMARK, "-e", vars);
            // the points: virtio 1, virtio 2, spdk 1, spdk 2; the VMs applied for each (once per point, not per node)
            assertEquals(List.of("changed", "changed"), applied(r, "kubevirt_vms : VirtIO VMs and their data disks' PVCs"), r.console());
            assertEquals(List.of("changed", "changed"), applied(r, "kubevirt_vms : SPDK-vhost VMs"), r.console());
            // the last point's VMs are kept (bench_keep_vms): 2 SPDK-vhost VMs; the VirtIO ones went when the kind changed
            assertEquals(List.of("bench-vm1:spdk_vhost", "bench-vm2:spdk_vhost"), vms(), r.console());
            GenericKubernetesResource vm = k.get("kubevirt.io", "v1", "virtualmachines", "default", "bench-vm2");
            assertEquals(Map.of("capacity", "50Gi"), at(vm, "spec", "template", "spec", "volumes", "2", "spdkVhostBlkDisk"));
            assertEquals("True", at(k.get("kubevirt.io", "v1", "virtualmachineinstances", "default", "bench-vm2"), "status", "conditions", "0", "status"));
            for (String point : List.of("virtio_randread-4k_1", "virtio_randread-4k_2", "spdk_randread-4k_1", "spdk_randread-4k_2")) {
                JsonNode p = Lab.JSON.readTree(Files.readString(results.resolve("points/" + point + "/point.json")));
                assertEquals("failed", p.path("status").asText(), point + ": " + p);
                int vms = p.path("vms").asInt();
                for (int i = 1; i <= vms; i++) {
                    assertTrue(p.path("reason").asText().contains("bench-vm" + i + ": no ssh through node"), point + ": " + p);
                }
                try (var files = Files.list(results.resolve("points/" + point + "/fio"))) {
                    assertEquals(List.of(), files.toList(), "no fio output is made up: " + point);
                }
            }
            assertTrue(Files.readString(results.resolve("environment.json")).contains("\"parameters\""));
            assertEquals(ExitCode.OK, r.exitCode(), r.console());

            // again without keeping them: a resumed benchmark skips the points done (one is marked done here) and runs
            // the failed ones again; the VMs are removed at the end
            Files.writeString(results.resolve("points/virtio_randread-4k_1/point.json"),
                    "{\"kind\": \"virtio\", \"case\": \"randread-4k\", \"vms\": 1, \"status\": \"done\"}");
            Lab.Run again = k.playbook(inventory, BENCHMARK, "-e", vars.replace("\"bench_keep_vms\": true", "\"bench_keep_vms\": false"));
            assertTrue(again.console().contains("1 already done, 3 to run"), again.console());
            assertTrue(again.console().contains("virtio_randread-4k_2 (virtio, randread-4k, 2 VMs on 3 nodes): starting"), again.console());
            assertFalse(again.console().contains("virtio_randread-4k_1 (virtio"), again.console());
            assertEquals(List.of(), vms(), again.console());

            // other parameters in the same results folder are refused before anything is applied
            Lab.Run other = k.playbook(inventory, BENCHMARK, "-e", vars.replace("[1, 2]", "[1, 3]"));
            assertEquals(ExitCode.TASK_FAILED, other.exitCode(), other.console());
            assertTrue(other.console().contains("holds a benchmark with other parameters"), other.console());
            assertEquals(List.of(), vms(), other.console());
        }
    }
}
