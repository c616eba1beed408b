package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * inventories/hci-3node is the complete example for real hardware: every variable of the node roles' defaults is
 * in its group_vars, set or as a commented line with an explanation, except the role internals listed here.
 */
class ExampleInventoryTest {
    /** Defaults the example does not repeat: package lists, probes and paths that follow from other settings. */
    private static final Set<String> INTERNAL = Set.of(
            "hugepages_cmdline_args", "preflight_supported", "health_gate_stage",
            "qemu_build_deps_apt", "qemu_build_deps_dnf", "qemu_probe_package", "qemu_probe_package_dnf",
            "qemu_source_runtime_packages_dnf", "qemu_source_timeout",
            "libvirt_build_deps_apt", "libvirt_build_deps_dnf", "libvirt_probe_package", "libvirt_probe_package_dnf",
            "libvirt_source_runtime_packages_dnf", "libvirt_source_timeout", "libvirtd_binary", "libvirt_host_validate_binary",
            "spdk_build_packages_apt", "spdk_build_packages_dnf", "spdk_double_source", "spdk_double_packages");

    @Test
    void everyRoleVariableIsShownAndExplainedInTheExample() throws Exception {
        Path home = Lab.home();
        String example = Files.readString(home.resolve("inventories/hci-3node/group_vars/hci.yml"));
        Set<String> missing = new TreeSet<>();
        try (Stream<Path> roles = Files.list(home.resolve("playbooks/roles"))) {
            for (Path role : roles.sorted().toList()) {
                Path defaults = role.resolve("defaults/main.yml");
                if (!Files.exists(defaults)) {
                    continue;
                }
                JsonNode vars = ContractCases.YAML.readTree(defaults.toFile());
                vars.fieldNames().forEachRemaining(name -> {
                    boolean shown = Pattern.compile("(?m)^(# ?)?" + Pattern.quote(name) + ":").matcher(example).find();
                    if (!shown && !INTERNAL.contains(name)) {
                        missing.add(role.getFileName() + "/" + name);
                    }
                });
            }
        }
        assertEquals(Set.of(), missing, "role variables missing from inventories/hci-3node/group_vars/hci.yml");
    }
}
