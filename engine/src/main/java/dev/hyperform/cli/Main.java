package dev.hyperform.cli;

import dev.hyperform.error.ExitCode;
import dev.hyperform.error.HyperformException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code hyperform}: the command line. Exit codes (also in the README):
 * 0 ok, 2 task failed, 3 host unreachable, 4 invalid input, 5 environment, 70 internal error, 130 interrupted.
 */
@Command(name = "hyperform", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Agentless provisioning over SSH: Ansible-style inventories and playbooks, FreeMarker expressions.",
        subcommands = {PlayCommand.class, InventoryCommand.class, SyntaxCheckCommand.class, FactsCommand.class,
                LabCommand.class, DocCommand.class, PingCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                " 0:every host ok (changes allowed)",
                " 2:a task failed on at least one host (also: invalid input met after tasks ran)",
                " 3:at least one host was unreachable",
                " 4:invalid input (parse, validation, undefined variable, bad pattern); no task ran on any host",
                " 5:something hyperform needs on this machine is missing",
                "70:internal error (a bug; rerun with -vvv and report it)",
                "130:interrupted"})
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Run the command line and return the exit code (used by tests instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        return cl.execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(Main.class);
        // '@file' belongs to hyperform ('-e @vars.yml', '-l @site.retry'), not to picocli's argument-file expansion
        cl.setExpandAtFiles(false);
        LabCommand.Ssh.stopOptionsAtNode(cl.getSubcommands().get("lab"));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof HyperformException he) {
                commandLine.getErr().println("ERROR: " + he.getMessage());
                return ExitCode.of(he.kind());
            }
            commandLine.getErr().println("INTERNAL ERROR (a bug in hyperform, please report it): " + ex);
            ex.printStackTrace(commandLine.getErr());
            return ExitCode.INTERNAL;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("ERROR: " + ex.getMessage());
            c.getErr().println("  hint: see " + c.getCommandSpec().qualifiedName() + " --help");
            return ExitCode.INVALID_INPUT;
        });
        return cl;
    }
}
