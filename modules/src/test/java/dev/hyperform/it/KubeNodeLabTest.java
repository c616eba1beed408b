package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.error.ExitCode;
import dev.hyperform.modules.kubernetes.KubeApiDouble;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kube_node role on a real lab host whose kubelet is the DECLARED kubelet test double (lab/kubelet-double: a
 * systemd unit that records each start with its flags and, like kubelet, refuses to start over a CPU manager state
 * file of another policy), with the Node object in the DECLARED Kubernetes API double on the controller's loopback.
 * The test plays kubelet's side of the API: it sets the Node's hugepage capacity as a restarted kubelet would.
 */
@Tag("lab")
class KubeNodeLabTest {
    private static final String NODE = "node1";
    private static final String FLAGS = "/etc/default/kubelet";

    /** One run: extra variables, whether it runs in check mode, and what it must do to kubelet. */
    record Step(String name, String vars, boolean check, boolean changes, int restarts, String line) {
    }

    @Test
    void kubeletFlagsLabelsAndHugepages(@TempDir Path dir) throws Exception {
        Path home = Lab.home();
        ssh("systemctl stop kubelet 2>/dev/null; rm -rf /var/lib/kubelet-double /var/lib/kubelet; mkdir -p /var/lib/kubelet; "
                + "cp /etc/environment /etc/environment.kube-node-test 2>/dev/null; "
                + "printf 'PATH=/usr/bin:/bin\\nno_proxy=localhost,10.0.0.0/8\\n' > /etc/environment; "
                + "printf '%s\\n' 'KUBELET_EXTRA_ARGS=\"--node-ip=10.0.0.1 --cpu-manager-policy=none\"' > " + FLAGS + "; "
                + put(home.resolve("lab/kubelet-double/kubelet-double"), "/usr/local/bin/kubelet-double") + "; "
                + put(home.resolve("lab/kubelet-double/kubelet.service"), "/etc/systemd/system/kubelet.service") + "; "
                + "echo '{\"policyName\":\"none\"}' > /var/lib/kubelet/memory_manager_state; "
                + "systemctl daemon-reload && systemctl start kubelet");
        assertEquals("active", ssh("systemctl is-active kubelet"));
        assertEquals(1, starts().size());
        try (KubeApiDouble api = new KubeApiDouble();
             KubernetesClient client = new KubernetesClientBuilder()
                     .withConfig(Config.fromKubeconfig(Files.readString(api.kubeconfig(dir)))).build()) {
            Map<String, String> hostHugepages = hostHugepages();
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE)
                    .withLabels(Map.of("kubernetes.io/hostname", NODE)).endMetadata()
                    .withNewStatus().withCapacity(quantities(hostHugepages)).endStatus().build()).create();
            String[] base = {"-i", Lab.INVENTORY.toString(), "-i", home.resolve("inventories/lab").toString(),
                    home.resolve("playbooks/cluster.yaml").toString(), "--tags", "kube_node", "-l", NODE};
            String kubeconfig = "\"k8s_kubeconfig\": \"" + api.kubeconfig(dir) + "\"";
            String wanted = "KUBELET_EXTRA_ARGS=\"--node-ip=10.0.0.1 --cpu-manager-policy=static "
                    + "--topology-manager-policy=single-numa-node --system-reserved=cpu=2\"";
            String bestEffort = wanted.replace("single-numa-node", "best-effort");
            String be = ", \"kube_node_topology_manager_policy\": \"best-effort\"";
            List<Step> steps = List.of(
                    new Step("check first: reports the change, touches nothing", "", true, true, 0,
                            "KUBELET_EXTRA_ARGS=\"--node-ip=10.0.0.1 --cpu-manager-policy=none\""),
                    new Step("first run: flags written, state removed, kubelet restarted once", "", false, true, 1, wanted),
                    new Step("second run: nothing", "", false, false, 0, wanted),
                    new Step("check after: nothing", "", true, false, 0, wanted),
                    new Step("a changed flag in check mode: reported, not done", be, true, true, 0, wanted),
                    new Step("a changed flag: restarted once", be, false, true, 1, bestEffort),
                    new Step("and again: nothing", be, false, false, 0, bestEffort));
            for (Step s : steps) {
                int before = starts().size();
                ssh("test -f /var/lib/kubelet/memory_manager_state || echo '{\"policyName\":\"None\"}' > /var/lib/kubelet/memory_manager_state");
                String[] args = Lab.plus(base, "-e", "{" + kubeconfig + s.vars() + "}");
                Lab.Run r = Lab.play(dir, s.check() ? Lab.plus(args, "--check") : args);
                assertEquals(ExitCode.OK, r.exitCode(), s.name() + ": " + r.console());
                int changed = r.recap(NODE).path("changed").asInt();
                assertEquals(s.changes(), changed > 0, s.name() + ": changed=" + changed + "\n" + r.console());
                assertEquals(s.line(), ssh("grep ^KUBELET_EXTRA_ARGS= " + FLAGS), s.name());
                List<String> starts = starts();
                assertEquals(s.restarts(), starts.size() - before, s.name() + ": kubelet starts " + starts);
                assertEquals("active", ssh("systemctl is-active kubelet || true"), s.name() + ": kubelet did not come up: " + starts);
                if (s.restarts() > 0) {
                    assertEquals("start " + s.line().substring(s.line().indexOf('"') + 1, s.line().length() - 1),
                            starts.get(starts.size() - 1), s.name() + ": kubelet runs with the new flags");
                    assertEquals("absent", ssh("test -e /var/lib/kubelet/memory_manager_state && echo present || echo absent"),
                            s.name() + ": the memory manager state was removed before the restart");
                } else {
                    assertEquals("present", ssh("test -e /var/lib/kubelet/memory_manager_state && echo present || echo absent"),
                            s.name() + ": state files stay when the flags stay");
                }
            }
            Map<String, String> labels = client.nodes().withName(NODE).get().getMetadata().getLabels();
            assertEquals("yes", labels.get("HAS-SETUP-CEPH-STORAGE"), labels.toString());
            assertEquals("true", labels.get("cpumanager"), labels.toString());
            assertEquals(NODE, labels.get("kubernetes.io/hostname"), labels.toString());
            assertEquals(List.of("no_proxy=localhost,10.0.0.0/8,virt-api.kubevirt.svc,kubevirt-operator-webhook.kubevirt.svc",
                    "NO_PROXY=virt-api.kubevirt.svc,kubevirt-operator-webhook.kubevirt.svc"),
                    ssh("grep -i ^no_proxy= /etc/environment").lines().toList());

            // hugepages: the Node reports another capacity than the host has (as after the pool changed while kubelet
            // ran): one restart per run until kubelet reports the host's pages, then none
            String size = hostHugepages.keySet().iterator().next();
            Map<String, String> stale = new LinkedHashMap<>(hostHugepages);
            stale.put(size, String.valueOf(Long.parseLong(hostHugepages.get(size)) + 2 * 1048576));
            setCapacity(client, stale);
            String[] args = Lab.plus(base, "-e", "{" + kubeconfig + be + "}");
            int before = starts().size();
            Lab.Run check = Lab.play(dir, Lab.plus(args, "--check"));
            assertEquals(1, check.recap(NODE).path("changed").asInt(), check.console());
            assertEquals(before, starts().size(), "--check restarted kubelet");
            Lab.Run restart = Lab.play(dir, args);
            assertEquals(ExitCode.OK, restart.exitCode(), restart.console());
            assertEquals(1, restart.recap(NODE).path("changed").asInt(), restart.console());
            assertEquals(before + 1, starts().size(), "one restart for the stale capacity");
            assertTrue(restart.console().contains("kubelet restarted on node1: it reported " + size), restart.console());
            setCapacity(client, hostHugepages);   // what the restarted kubelet reports
            Lab.Run after = Lab.play(dir, args);
            assertEquals(0, after.recap(NODE).path("changed").asInt(), after.console());
            assertEquals(before + 1, starts().size(), "no restart once the Node reports the host's hugepages");
            assertTrue(after.console().contains("AppArmor rule for QEMU not needed or not possible on node1: "), after.console());
        } finally {
            ssh("systemctl stop kubelet; rm -f /etc/systemd/system/kubelet.service /usr/local/bin/kubelet-double " + FLAGS
                    + "; rm -rf /var/lib/kubelet /var/lib/kubelet-double; systemctl daemon-reload; "
                    + "if [ -f /etc/environment.kube-node-test ]; then mv /etc/environment.kube-node-test /etc/environment; "
                    + "else rm -f /etc/environment; fi");
        }
    }

    /** The host's hugepages per size as kubelet names them, in bytes. */
    private static Map<String, String> hostHugepages() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : ssh("for d in /sys/kernel/mm/hugepages/hugepages-*kB; do echo $(basename $d | tr -dc 0-9) $(cat $d/nr_hugepages); done")
                .lines().toList()) {
            long kb = Long.parseLong(l.split(" ")[0]);
            long pages = Long.parseLong(l.split(" ")[1]);
            String name = kb % 1048576 == 0 ? (kb / 1048576) + "Gi" : (kb / 1024) + "Mi";
            out.put("hugepages-" + name, String.valueOf(kb * 1024 * pages));
        }
        return out;
    }

    /** Quantities as kubelet writes them (Mi), so that the role has to read Kubernetes quantities. */
    private static Map<String, Quantity> quantities(Map<String, String> bytes) {
        Map<String, Quantity> q = new LinkedHashMap<>();
        bytes.forEach((k, v) -> q.put(k, new Quantity(Long.parseLong(v) / 1048576 + "Mi")));
        q.put("cpu", new Quantity("2"));
        return q;
    }

    private static void setCapacity(KubernetesClient client, Map<String, String> bytes) {
        client.nodes().withName(NODE).edit(n -> new NodeBuilder(n).editStatus().withCapacity(quantities(bytes)).endStatus().build());
    }

    private static List<String> starts() {
        return ssh("cat /var/lib/kubelet-double/starts 2>/dev/null || true").lines().toList();
    }

    private static String put(Path file, String dest) throws java.io.IOException {
        return "printf %s " + Base64.getEncoder().encodeToString(Files.readAllBytes(file)) + " | base64 -d > " + dest;
    }

    private static String ssh(String command) {
        try {
            return Lab.ssh(NODE, command);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
