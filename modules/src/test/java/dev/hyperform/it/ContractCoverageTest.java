package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyperform.module.ModuleRegistry;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every module a user can name is held to the contract: by a row of contract/cases.yaml or by a named suite. */
class ContractCoverageTest {

    @Test
    void everyRegisteredModuleHasAContractCase() throws Exception {
        Set<String> covered = ContractCases.load().stream().map(ContractCases.Case::module).collect(Collectors.toSet());
        covered.addAll(ContractCases.ELSEWHERE.keySet());
        Set<String> missing = new TreeSet<>(ModuleRegistry.load().names());
        missing.removeAll(covered);
        assertEquals(Set.of(), missing, "modules without a contract case in contract/cases.yaml");
    }

    @Test
    void everyCaseNamesARegisteredModuleAndAKnownStatus() throws Exception {
        var names = ModuleRegistry.load().names();
        for (ContractCases.Case c : ContractCases.load()) {
            assertEquals(true, names.contains(c.module()), c + " names an unknown module " + c.module());
            assertEquals(true, List.of("ok", "changed", "ignored").contains(c.expect()), c + " expects " + c.expect());
        }
    }
}
