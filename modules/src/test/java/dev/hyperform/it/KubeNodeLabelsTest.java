package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hyperform.error.ExitCode;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kube_node role's Node labels (its tasks/labels.yml, run through the whole engine) against the DECLARED
 * Kubernetes API double, and the cluster play's decision whether a Kubernetes API is configured at all.
 */
class KubeNodeLabelsTest {
    private static final Map<String, String> OURS = Map.of("HAS-SETUP-CEPH-STORAGE", "yes", "cpumanager", "true",
            "HAS-SETUP-HUGEPAGE-2048kB-64", "yes");

    /** @param existing the Node's labels before the run (null: no such Node); vars: extra role variables */
    record Case(String name, Map<String, String> existing, String vars, int exit, Map<String, String> after,
                String firstStatus, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        Map<String, String> kept = new LinkedHashMap<>(OURS);
        kept.put("kubernetes.io/hostname", "hci1");
        Map<String, String> noHugepageLabel = new LinkedHashMap<>(OURS);
        noHugepageLabel.remove("HAS-SETUP-HUGEPAGE-2048kB-64");
        return Stream.of(
                new Case("an unlabelled Node gets the storage, hugepage and cpumanager labels", Map.of(), "", 0, OURS,
                        "changed", null),
                new Case("labels the Node already has from others are kept", Map.of("kubernetes.io/hostname", "hci1"), "",
                        0, kept, "changed", null),
                new Case("a Node that has them is left alone", OURS, "", 0, OURS, "ok", null),
                new Case("the hugepage label follows hugepages_size and hugepages_count", Map.of(),
                        "hugepages_size: 1G\nhugepages_count: 8\n", 0,
                        Map.of("HAS-SETUP-CEPH-STORAGE", "yes", "cpumanager", "true", "HAS-SETUP-HUGEPAGE-1048576kB-8", "yes"),
                        "changed", null),
                new Case("no hugepage label when kube_node_hugepage_label is empty", Map.of(), "kube_node_hugepage_label: ''\n",
                        0, noHugepageLabel, "changed", null),
                new Case("a missing Node fails naming kube_node_name", null, "", ExitCode.TASK_FAILED, null, "failed",
                        "has no Node named hci1: set kube_node_name")
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nodeLabels(Case c, @TempDir Path dir) throws Exception {
        try (KubeDoublePlay k = new KubeDoublePlay(dir)) {
            Files.createSymbolicLink(dir.resolve("roles"), Lab.home().resolve("playbooks/roles"));
            if (c.existing() != null) {
                k.client.nodes().resource(new NodeBuilder().withNewMetadata().withName("hci1").withLabels(c.existing())
                        .endMetadata().build()).create();
            }
            String task = """
                    - import_role: {name: kube_node, tasks_from: labels}
                      vars:
                        cluster_kube_api: the double
                        kube_node_name: hci1
                    %s""".formatted((c.vars().isEmpty() ? "hugepages_size: 2M\nhugepages_count: 64\n" : c.vars()).indent(4));
            Map<String, String> before = k.api.snapshot();
            Lab.Run check = k.play(task, "--check");
            assertEquals(before, k.api.snapshot(), "--check changed the API's objects");
            Lab.Run first = k.play(task);
            assertEquals(c.exit(), first.exitCode(), first.console());
            String label = "kube_node : labels of Node hci1";
            if (c.message() != null) {
                assertTrue(first.console().contains(c.message()), first.console());
                assertEquals(c.exit(), check.exitCode(), "check fails as the real run does: " + check.console());
                return;
            }
            assertEquals(c.firstStatus(), KubeDoublePlay.status(check, label), "check reports what the run does: " + check.console());
            assertEquals(c.firstStatus(), KubeDoublePlay.status(first, label), first.console());
            assertEquals(c.after(), k.client.nodes().withName("hci1").get().getMetadata().getLabels());
            Map<String, String> afterFirst = k.api.snapshot();
            for (String[] more : List.of(new String[0], new String[] {"--check"})) {
                Lab.Run again = k.play(task, more);
                assertEquals(ExitCode.OK, again.exitCode(), again.console());
                assertEquals("ok", KubeDoublePlay.status(again, label), again.console());
                assertEquals(0, again.recap("localhost").path("changed").asInt(), again.console());
            }
            assertEquals(afterFirst, k.api.snapshot(), "the second run and --check stored nothing");
        }
    }

    /** The cluster play on a host without kubelet: where the API comes from, or one line saying there is none. */
    record Api(String name, String inventory, String extraVars, int exit, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> apis() {
        String hci = "[hci]\nlocalhost ansible_connection=local ansible_become_method=su\n";
        return Stream.of(
                new Api("none configured: one line, nothing else, exit 0", hci, "{}", ExitCode.OK,
                        "no Kubernetes API configured (no k8s_kubeconfig, k8s_control_plane or control_plane group"),
                new Api("k8s_kubeconfig: a node without kubelet is an error", hci,
                        "{\"k8s_kubeconfig\": \"/nonexistent/kubeconfig\"}", ExitCode.TASK_FAILED,
                        "localhost has no kubelet.service although the Kubernetes API is configured "
                                + "(k8s_kubeconfig /nonexistent/kubeconfig): install Kubernetes"),
                new Api("a control_plane group: its first host's admin.conf", hci + "[control_plane]\ncp1 ansible_host=192.0.2.1\n",
                        "{}", ExitCode.TASK_FAILED, "although the Kubernetes API is configured (admin.conf of cp1)")
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("apis")
    void whetherAKubernetesApiIsConfigured(Api c, @TempDir Path dir) throws Exception {
        assumeTrue(System.getenv("KUBECONFIG") == null && !Files.exists(Path.of(System.getProperty("user.home"), ".kube", "config")),
                "this machine has a KUBECONFIG or ~/.kube/config, which configures an API");
        assumeTrue(!"loaded".equals(systemctlLoadState()), "this machine runs kubelet");
        Path inv = Lab.write(dir, "hosts", c.inventory());
        Lab.Run r = Lab.play(dir, "-i", inv.toString(), Lab.home().resolve("playbooks/cluster.yaml").toString(), "-e", c.extraVars());
        assertEquals(c.exit(), r.exitCode(), r.console());
        assertTrue(r.console().contains(c.expected()), r.console());
        long lines = r.console().lines().filter(l -> l.contains("no Kubernetes API configured")).count();
        assertEquals(c.exit() == ExitCode.OK ? 1 : 0, lines, r.console());
        if (c.exit() == ExitCode.OK) {
            assertEquals(0, r.recap("localhost").path("changed").asInt(), r.console());
        }
    }

    private static String systemctlLoadState() throws Exception {
        Process p = new ProcessBuilder("systemctl", "show", "-p", "LoadState", "--value", "kubelet.service").start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return out;
    }
}
