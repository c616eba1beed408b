package dev.hyperform.modules.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Offline validation against the bundled upstream schemas (KubeVirt 0.58 with the patched spdkVhostBlkDisk volume
 * source, rook 1.10.10) and fabric8's typed model for core kinds: problems name file:line, object, path and why.
 */
public class ManifestValidatorTest {
    public static final String VM = """
            apiVersion: kubevirt.io/v1
            kind: VirtualMachine
            metadata: {name: vm1, namespace: default}
            spec:
              running: %s
              template:
                spec:
                  domain:
                    cpu: {cores: %s}
                    memory: {hugepages: {pageSize: "2Mi"}}
                    devices:
                      disks:
                      - name: spdk-vhost-blk1
                        disk: {bus: virtio}
                    resources:
                      requests: {memory: 16Gi, hugepages-2Mi: 16Gi}
                  volumes:
                  - name: spdk-vhost-blk1
                    spdkVhostBlkDisk:
                      %s
            """;

    private static List<String> problems(String text) {
        return ManifestValidator.validate(text, "vm.yaml").stream().map(Object::toString).toList();
    }

    @Test
    void aVirtualMachineWithAnSpdkVhostBlkDiskValidates() {
        assertEquals(List.of(), problems(VM.formatted("true", "2", "capacity: 50G")));
    }

    @Test
    void wrongTypesMissingRequiredFieldsAndUnknownFieldsNameFileLinePathAndSchema() {
        List<String> p = problems(VM.formatted("\"yes\"", "two", "size: 50G"));
        assertTrue(p.stream().anyMatch(s -> s.startsWith("vm.yaml:5: VirtualMachine vm1: /spec/running: ")
                && s.contains("boolean") && s.contains("schema: ")), String.join("\n", p));
        assertTrue(p.stream().anyMatch(s -> s.startsWith("vm.yaml:9: VirtualMachine vm1: /spec/template/spec/domain/cpu/cores: ")
                && s.contains("integer") && s.contains("value \"two\"")), String.join("\n", p));
        assertTrue(p.stream().anyMatch(s -> s.contains("/spec/template/spec/volumes/0/spdkVhostBlkDisk") && s.contains("capacity")),
                String.join("\n", p));
        assertTrue(p.stream().anyMatch(s -> s.startsWith("vm.yaml:20:") && s.contains("/spec/template/spec/volumes/0/spdkVhostBlkDisk/size")),
                String.join("\n", p));
    }

    @Test
    void coreKindsGoThroughTheTypedModelWithUnknownFieldDetection() {
        String good = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, labels: {app.kubernetes.io/name: web}}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: nginx}]
                """;
        assertEquals(List.of(), problems(good));
        List<String> typo = problems(good.replace("replicas: 2", "replicaz: 2").replace("image: nginx", "imagee: nginx"));
        assertEquals(2, typo.size(), String.join("\n", typo));
        assertTrue(typo.get(0).startsWith("vm.yaml:5: Deployment web: /spec/replicaz: unknown field"), typo.get(0));
        assertTrue(typo.get(1).startsWith("vm.yaml:10: Deployment web: /spec/template/spec/containers/0/imagee: unknown field"), typo.get(1));
        List<String> type = problems(good.replace("replicas: 2", "replicas: three"));
        assertEquals(1, type.size(), String.join("\n", type));
        assertTrue(type.get(0).startsWith("vm.yaml:5: Deployment web: /spec/replicas: ") && type.get(0).contains("\"three\""), type.get(0));
    }

    @Test
    void rookKindsValidateAgainstRooksCrds() {
        String pool = """
                apiVersion: ceph.rook.io/v1
                kind: CephBlockPool
                metadata: {name: replicapool, namespace: rook-ceph}
                spec:
                  failureDomain: host
                  replicated: {size: %s}
                ---
                apiVersion: ceph.rook.io/v1
                kind: CephBlokPool
                metadata: {name: typo}
                """;
        List<String> p = problems(pool.formatted("3"));
        assertEquals(1, p.size(), String.join("\n", p));
        assertTrue(p.get(0).startsWith("vm.yaml:8: CephBlokPool typo: /kind: no CephBlokPool"), p.get(0));
        assertTrue(problems(pool.formatted("three")).stream().anyMatch(s -> s.startsWith("vm.yaml:6: CephBlockPool replicapool: /spec/replicated/size")));
    }
}
