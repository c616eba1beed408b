package dev.hyperform.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of {@code contract/cases.yaml}: one module task each, with its setup, the status it must report and
 * what must hold afterwards (see the file's header for the meaning of every field).
 */
final class ContractCases {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A value no shell may interpret: quotes, ;, &&, $(...), backticks, a tab, a newline, a leading dash, globs, unicode. */
    static final String HOSTILE_LINE = "it's \"q\" ; touch /tmp/hf-canary && $(touch /tmp/hf-canary) `touch /tmp/hf-canary`"
            + " | * ? [a] ~ -n \\ ü 日本\tend";
    static final String HOSTILE = HOSTILE_LINE + "\n-rf line2";

    /** $HOSTILE_LINE and $HOSTILE in a case's text. */
    static String hostile(String s) {
        return s.replace("$HOSTILE_LINE", HOSTILE_LINE).replace("$HOSTILE", HOSTILE);
    }

    /** Modules whose contract is asserted by another suite, and where. */
    /** Modules held to their contract by named suites instead of a row; ContractCoverageTest checks the suites use them. */
    static final Map<String, Elsewhere> ELSEWHERE = Map.ofEntries(
            Map.entry("add_host", new Elsewhere("acts on the run's inventory, not on a host: each run adds the host again, so "
                    + "the second-run-ok row does not apply; compared with ansible-playbook, normal and check mode",
                    "AnsibleAddHostParityTest")),
            Map.entry("group_by", new Elsewhere("acts on the run's inventory, not on a host; compared with ansible-playbook, "
                    + "normal and check mode", "AnsibleAddHostParityTest")),
            Map.entry("reboot", new Elsewhere("an action: always changed; check mode does not reboot", "ModulesLabTest")),
            Map.entry("hugepages", new Elsewhere("changes the machine's shared pool, so it runs in the node roles", "NodeRolesLabTest",
                    "HugepagesModuleTest")),
            Map.entry("node_preflight", new Elsewhere("reads only; fails or warns", "NodeRolesLabTest", "PreflightModuleTest")),
            Map.entry("spdk_rpc", new Elsewhere("against the SPDK JSON-RPC test double", "SpdkRpcModuleTest", "NodeRolesLabTest")),
            Map.entry("spdk_served", new Elsewhere("records the SPDK test double's state and re-creates from it; a state file on the node",
                    "SpdkServedModuleTest")),
            Map.entry("vhost_user_disks", new Elsewhere("reads only (and waits); against a virsh test double and real QEMU in the lab",
                    "VhostUserDisksModuleTest")),
            Map.entry("libvirt_domain", new Elsewhere("defines and starts real domains", "VhostReconnectLabTest", "DomainXmlSchemaTest",
                    "LibvirtDomainPlanTest")),
            Map.entry("k8s", new Elsewhere("the whole engine against the declared Kubernetes API double: check exact and "
                    + "side-effect free, apply, second run ok, diff of managed fields only, bad input applies nothing", "K8sModuleTest")),
            Map.entry("kubernetes.core.k8s", new Elsewhere("alias of k8s", "K8sModuleTest")),
            Map.entry("k8s_info", new Elsewhere("reads only, against the declared Kubernetes API double", "K8sModuleTest")),
            Map.entry("kubernetes.core.k8s_info", new Elsewhere("alias of k8s_info", "K8sModuleTest")),
            Map.entry("k8s_drain", new Elsewhere("check exact and side-effect free, evictions, budgets, second run ok, against the "
                    + "declared Kubernetes API double", "K8sDrainTest")),
            Map.entry("kubernetes.core.k8s_drain", new Elsewhere("alias of k8s_drain", "K8sDrainTest")),
            Map.entry("libvirt_migrate", new Elsewhere("moves a running domain between two hosts", "LibvirtMigrateModuleTest", "MigrateLabTest")),
            Map.entry("spdk_vm_disks", new Elsewhere("reads only: a domain and the SPDK target serving it", "SpdkVmDisksModuleTest", "MigrateLabTest")),
            Map.entry("kubevirt_migrate", new Elsewhere("an action against the declared Kubernetes API double with a scripted migration controller",
                    "KubevirtMigrateTest")));

    /** Why a module has no row, and the test classes (simple names) that exercise it instead. */
    record Elsewhere(String why, String... suites) {
    }

    record Case(int index, String name, String module, Map<String, Object> task, String setup, String controllerSetup,
                Map<String, String> controllerFiles, String state, String expect, String again, String verify,
                Map<String, String> content, Map<String, String> controllerContent, Map<String, String> result,
                boolean diff, boolean local) {

        String taskName() {
            return String.format("%02d %s", index, name);
        }

        @Override
        public String toString() {
            return taskName();
        }
    }

    private ContractCases() {
    }

    static List<Case> load() throws IOException {
        JsonNode root;
        try (InputStream in = ContractCases.class.getResourceAsStream("/contract/cases.yaml")) {
            root = YAML.readTree(in);
        }
        List<Case> cases = new ArrayList<>();
        int i = 1;
        for (JsonNode n : root) {
            @SuppressWarnings("unchecked")
            Map<String, Object> task = YAML.convertValue(n.get("task"), LinkedHashMap.class);
            String module = task.keySet().stream().filter(k -> !KEYWORDS.contains(k)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("case without a module: " + n));
            cases.add(new Case(i++, n.path("name").asText(), module, task, text(n, "setup"), text(n, "controller_setup"),
                    strings(n.get("controller_files")), text(n, "state"), n.path("expect").asText("changed"),
                    n.path("again").asText("ok"), text(n, "verify"), strings(n.get("content")),
                    strings(n.get("controller_content")), strings(n.get("result")), n.path("diff").asBoolean(false),
                    n.path("local").asBoolean(false)));
        }
        return cases;
    }

    private static final List<String> KEYWORDS = List.of("register", "ignore_errors", "name", "when", "become");

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : "";
    }

    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        if (n != null) {
            n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        }
        return m;
    }
}
