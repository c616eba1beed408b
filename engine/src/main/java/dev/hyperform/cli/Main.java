package dev.hyperform.cli;

import dev.hyperform.error.ExitCode;
import dev.hyperform.error.HyperformException;
import dev.hyperform.transport.ssh.CryptoWarmup;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code hyperform}: the command line. Exit codes (also in the README):
 * 0 ok, 2 task failed, 3 host unreachable, 4 invalid input, 5 environment, 70 internal error, 130 interrupted.
 */
@Command(name = "hyperform", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Agentless provisioning over SSH: Ansible-style inventories and playbooks, FreeMarker expressions.",
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

    /** The subcommands that open SSH connections soon after they start. */
    private static final java.util.Set<String> CONNECTING = java.util.Set.of("play", "ping", "facts");

    public static void main(String[] args) {
        StartupTiming.mark("main");
        if (args.length > 0 && CONNECTING.contains(args[0])) {
            // on the spare core while the command line, playbook and inventory are read: sshj's cryptography for its
            // handshakes when the command line asks for the built-in client, else FreeMarker's set-up (under the
            // default smart connection most hosts are reached through OpenSSH, whose handshakes are ssh's)
            if (builtInClient(args)) {
                CryptoWarmup.start();
            } else if (args[0].equals("play")) {
                dev.hyperform.vars.Expressions.warmUp();
            }
        }
        System.exit(run(args));
    }

    /**
     * Whether the command line says {@code -c ssh}: the run's connections are then sshj's, whose cryptography is worth
     * warming up. An inventory's own connection variables are not known yet: a run that names none here (smart) or
     * {@code -c openssh} warms FreeMarker up instead, and a host whose inventory asks for the built-in client then
     * starts sshj cold. Measured side by side on 3 lab hosts (12 pairs, OpenSSH connections): with FreeMarker warmed up
     * instead of sshj, and the journal opened from the start, a no-change run of the bench playbook took 25 ms less.
     */
    static boolean builtInClient(String[] args) {
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                return false;
            }
            if ((a.equals("-c") || a.equals("--connection")) && i + 1 < args.length) {
                return args[i + 1].equals("ssh");
            }
            if (a.startsWith("-c") && !a.startsWith("--") || a.startsWith("--connection=")) {
                return a.equals("-cssh") || a.equals("--connection=ssh");
            }
        }
        return false;
    }

    /** Run the command line and return the exit code (used by tests instead of {@link #main}). */
    public static int run(String... args) {
        java.util.Optional<PlayCommand> play = PlayArguments.parse(args);
        if (play.isPresent()) {
            StartupTiming.mark("cli");
            return execute(play.get(), "hyperform play");
        }
        return parsedByPicocli(args);
    }

    /** The command line as picocli parses and runs it (every line the fast path of 'play' declines). */
    static int parsedByPicocli(String... args) {
        CommandLine cl = commandLine(args.length == 0 ? null : args[0]);
        StartupTiming.mark("cli");
        return cl.execute(args);
    }

    /** Run a command parsed without picocli, with the same handling of its exceptions as picocli's run below. */
    private static int execute(java.util.concurrent.Callable<Integer> command, String name) {
        try {
            return command.call();
        } catch (Exception e) {
            return failed(e, stderr(), name);
        }
    }

    /**
     * The writer picocli's {@code getErr()} makes: System.err in the charset {@code sun.stderr.encoding} names
     * (cp65001 read as UTF-8), else the default charset, not System.err's own (they differ in a C locale on JDK 18+).
     */
    private static java.io.PrintWriter stderr() {
        String name = System.getProperty("sun.stderr.encoding");
        java.nio.charset.Charset charset = name == null ? java.nio.charset.Charset.defaultCharset()
                : java.nio.charset.Charset.forName("cp65001".equalsIgnoreCase(name) ? "UTF-8" : name);
        return new java.io.PrintWriter(new java.io.BufferedWriter(new java.io.OutputStreamWriter(System.err, charset)), true);
    }

    /** What a command's exception tells the user, and the exit code. */
    private static int failed(Exception ex, java.io.PrintWriter err, String command) {
        if (ex instanceof UsageError) {
            return invalid(err, command, ex.getMessage());
        }
        if (ex instanceof HyperformException he) {
            err.println("ERROR: " + he.getMessage());
            return ExitCode.of(he.kind());
        }
        err.println("INTERNAL ERROR (a bug in hyperform, please report it): " + ex);
        ex.printStackTrace(err);
        return ExitCode.INTERNAL;
    }

    private static int invalid(java.io.PrintWriter err, String command, String message) {
        err.println("ERROR: " + message);
        err.println("  hint: see " + command + " --help");
        return ExitCode.INVALID_INPUT;
    }

    /** Subcommands of modules built after the engine (the dist jar holds them): found by name. */
    private static final java.util.List<String> LATER_MODULES = java.util.List.of("dev.hyperform.benchmark.cli.BenchReportCommand");

    /** The subcommands, in the order --help lists them (read on first use: the fast path of 'play' needs none). */
    private static final class Subcommands {
        static final java.util.Map<String, Class<?>> ALL = subcommands();
    }

    private static java.util.Map<String, Class<?>> subcommands() {
        java.util.Map<String, Class<?>> m = new java.util.LinkedHashMap<>();
        for (Class<?> c : java.util.List.of(PlayCommand.class, InventoryCommand.class, SyntaxCheckCommand.class,
                FactsCommand.class, LabCommand.class, DocCommand.class, PingCommand.class)) {
            m.put(c.getAnnotation(Command.class).name(), c);
        }
        for (String name : LATER_MODULES) {
            try {
                Class<?> c = Class.forName(name);
                m.put(c.getAnnotation(Command.class).name(), c);
            } catch (ClassNotFoundException e) {
                // that module is not on the class path (engine-only tests); its subcommand is absent
            }
        }
        m.put("help", CommandLine.HelpCommand.class);
        return m;
    }

    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command line with only the subcommand {@code first} names (building every subcommand's model took a
     * quarter of start-up), or with all of them for help, version and unknown commands.
     */
    static CommandLine commandLine(String first) {
        CommandLine cl = new CommandLine(Main.class);
        Class<?> only = first == null ? null : Subcommands.ALL.get(first);
        if (only == CommandLine.HelpCommand.class) {
            only = null; // 'help play' needs the others
        }
        for (Class<?> c : Subcommands.ALL.values()) {
            if (only == null || c == only) {
                cl.addSubcommand(c);
            }
        }
        // '@file' belongs to hyperform ('-e @vars.yml', '-l @site.retry'), not to picocli's argument-file expansion
        // (set after the subcommands are added: picocli passes the setting to the subcommands it has at this moment)
        cl.setExpandAtFiles(false);
        if (cl.getSubcommands().containsKey("lab")) {
            LabCommand.Ssh.stopOptionsAtNode(cl.getSubcommands().get("lab"));
        }
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
                failed(ex, commandLine.getErr(), commandLine.getCommandSpec().qualifiedName()));
        cl.setParameterExceptionHandler((ex, args) -> invalid(ex.getCommandLine().getErr(),
                ex.getCommandLine().getCommandSpec().qualifiedName(), ex.getMessage()));
        return cl;
    }
}
