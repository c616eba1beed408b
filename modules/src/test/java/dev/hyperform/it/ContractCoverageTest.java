package dev.hyperform.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyperform.module.ModuleRegistry;
import dev.hyperform.playbook.Block;
import dev.hyperform.playbook.Include;
import dev.hyperform.playbook.Play;
import dev.hyperform.playbook.PlaybookLoader;
import dev.hyperform.playbook.RoleUse;
import dev.hyperform.playbook.Step;
import dev.hyperform.playbook.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every module a user can name is held to the contract: by a row of contract/cases.yaml or by named suites that
 * really exercise it (ContractCases.ELSEWHERE).
 */
class ContractCoverageTest {
    private static final ModuleRegistry REGISTRY = ModuleRegistry.load();

    @Test
    void everyRegisteredModuleHasAContractCase() throws Exception {
        Set<String> covered = ContractCases.load().stream().map(ContractCases.Case::module).collect(Collectors.toSet());
        covered.addAll(ContractCases.ELSEWHERE.keySet());
        Set<String> missing = new TreeSet<>(REGISTRY.names());
        missing.removeAll(covered);
        assertEquals(Set.of(), missing, "modules without a contract case in contract/cases.yaml");
    }

    /**
     * A suite exercises a module when it creates the module ({@code new XModule()}), names it as a task in a
     * playbook it writes ({@code module: ...}), or runs playbooks/site.yaml and a task of site.yaml uses it.
     */
    @Test
    void everySuiteNamedForAModuleExercisesIt() throws Exception {
        Set<String> siteModules = playbookModules("site.yaml");
        Set<String> migrateModules = playbookModules("migrate.yaml");
        for (Map.Entry<String, ContractCases.Elsewhere> e : ContractCases.ELSEWHERE.entrySet()) {
            String module = e.getKey();
            String cls = REGISTRY.find(module).orElseThrow().getClass().getSimpleName();
            // an alias (kubernetes.core.k8s) is the same module: a suite using either name exercises it
            String canonical = REGISTRY.find(module).orElseThrow().name();
            Pattern task = Pattern.compile("[\\s{\\[-](" + Pattern.quote(module) + "|" + Pattern.quote(canonical) + "):\\s");
            for (String suite : e.getValue().suites()) {
                String source = source(suite);
                boolean direct = source.contains("new " + cls + "(") || task.matcher(source).find();
                boolean viaSite = source.contains("playbooks/site.yaml") && siteModules.contains(module)
                        || source.contains("playbooks/migrate.yaml") && migrateModules.contains(module);
                assertTrue(direct || viaSite, suite + " is named as exercising " + module + " but never uses it");
            }
        }
    }

    @Test
    void everyCaseNamesARegisteredModuleAndAKnownStatus() throws Exception {
        var names = REGISTRY.names();
        for (ContractCases.Case c : ContractCases.load()) {
            assertEquals(true, names.contains(c.module()), c + " names an unknown module " + c.module());
            assertEquals(true, List.of("ok", "changed", "ignored").contains(c.expect()), c + " expects " + c.expect());
        }
    }

    private static String source(String simpleName) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            Path f = files.filter(p -> p.getFileName().toString().equals(simpleName + ".java")).findFirst()
                    .orElseThrow(() -> new AssertionError("no test class " + simpleName + " under src/test/java"));
            return Files.readString(f);
        }
    }

    private static Set<String> playbookModules(String playbook) {
        Set<String> out = new TreeSet<>();
        PlaybookLoader loader = new PlaybookLoader(REGISTRY);
        for (Play p : loader.load(Lab.home().resolve("playbooks/" + playbook)).plays()) {
            walk(loader, p.preTasks(), out);
            for (RoleUse r : p.roles()) {
                walk(loader, r.tasks(), out);
            }
            walk(loader, p.tasks(), out);
            walk(loader, p.postTasks(), out);
        }
        return out;
    }

    private static void walk(PlaybookLoader loader, List<Step> steps, Set<String> out) {
        for (Step s : steps) {
            if (s instanceof Task t) {
                out.add(t.module());
            } else if (s instanceof Block b) {
                walk(loader, b.block(), out);
                walk(loader, b.rescue(), out);
                walk(loader, b.always(), out);
            } else if (s instanceof Include i && i.kind() == Include.Kind.TASKS && !i.target().contains("${")) {
                // include_tasks is loaded at run time; a literal file name can be followed here
                walk(loader, loader.loadTaskFile(i.baseDir().resolve(i.target()), i.role(), i.location()), out);
            } else if (s instanceof Include i && i.kind() == Include.Kind.ROLE && !i.target().contains("${")) {
                walk(loader, loader.loadRole(i.target(), i.tasksFrom(), Lab.home().resolve("playbooks"), Map.of(), i.options(), i.location()).tasks(), out);
            }
        }
    }
}
