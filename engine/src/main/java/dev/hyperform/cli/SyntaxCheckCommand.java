package dev.hyperform.cli;

import dev.hyperform.error.ExitCode;
import dev.hyperform.error.HyperformException;
import dev.hyperform.inventory.InventoryLoader;
import dev.hyperform.module.ModuleRegistry;
import dev.hyperform.playbook.PlaybookLoader;
import dev.hyperform.playbook.SyntaxChecker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hyperform syntax-check PLAYBOOK...}: load everything a run would load, connect to nothing. */
@Command(name = "syntax-check", mixinStandardHelpOptions = true,
        description = {"Load each playbook with its imports, roles, literal include_tasks/include_role targets, "
                + "vars files and templates, and report the first error with file:line. Connects to nothing.",
                "Roles are searched in PLAYBOOK_DIR/roles, then each directory of $HYPERFORM_ROLES_PATH "
                        + "(':' separated), then PLAYBOOK_DIR.",
                "k8s tasks: manifests are validated against their schemas; templates are rendered with role "
                        + "defaults and vars, play vars and -e, and with -i for each host of the play with its "
                        + "inventory variables, as a run would."})
public final class SyntaxCheckCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PLAYBOOK", description = "playbook files to check")
    private List<Path> playbooks;

    @Option(names = {"-i", "--inventory"}, description = "inventory file, directory or 'a,b,' list (repeatable): k8s "
            + "manifests are then rendered for each host of a play with the variables a run gives it")
    private List<String> inventories = new ArrayList<>();

    @Option(names = {"-e", "--extra-vars"}, description = "name=value, @file.yml or a YAML/JSON map, as for play (repeatable)")
    private List<String> extraVars = new ArrayList<>();

    @Spec
    private CommandSpec spec;

    private final Supplier<ModuleRegistry> registry;

    /** Checks against every module on the class path. */
    public SyntaxCheckCommand() {
        this(ModuleRegistry::load);
    }

    /** Checks against the given modules (tests). */
    public SyntaxCheckCommand(Supplier<ModuleRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public Integer call() {
        ModuleRegistry modules = registry.get();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SyntaxChecker checker;
        try {
            checker = new SyntaxChecker(new PlaybookLoader(modules), modules,
                    inventories.isEmpty() ? null : InventoryLoader.load(inventories), ExtraVars.parse(extraVars));
        } catch (HyperformException e) {
            err.println("ERROR: " + e.getMessage());
            err.flush();
            return ExitCode.of(e.kind());
        }
        int rc = ExitCode.OK;
        for (Path p : playbooks) {
            try {
                SyntaxChecker.Summary s = checker.check(p);
                s.jinja().forEach(j -> err.println("[WARNING]: " + j.where() + ": " + j.message()));
                out.println("playbook: " + p + " OK (" + count(s.plays(), "play") + ", " + count(s.tasks(), "task")
                        + ", " + count(s.roles(), "role") + ")");
            } catch (HyperformException e) {
                err.println("ERROR: " + e.getMessage());
                rc = Math.max(rc, ExitCode.of(e.kind()));
            }
            out.flush();
            err.flush();
        }
        return rc;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
