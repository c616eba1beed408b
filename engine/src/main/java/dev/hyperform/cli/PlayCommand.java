package dev.hyperform.cli;

import dev.hyperform.error.ExitCode;
import dev.hyperform.facts.FactGatherer;
import dev.hyperform.inventory.Host;
import dev.hyperform.inventory.Inventory;
import dev.hyperform.inventory.InventoryLoader;
import dev.hyperform.journal.RunFingerprint;
import dev.hyperform.journal.RunJournal;
import dev.hyperform.module.ModuleRegistry;
import dev.hyperform.output.ConsoleSink;
import dev.hyperform.output.Event;
import dev.hyperform.output.EventBus;
import dev.hyperform.output.EventSink;
import dev.hyperform.output.JUnitSink;
import dev.hyperform.output.JsonLinesSink;
import dev.hyperform.playbook.JinjaLookalikes;
import dev.hyperform.playbook.Play;
import dev.hyperform.playbook.Playbook;
import dev.hyperform.playbook.PlaybookLoader;
import dev.hyperform.run.PlaybookIncludes;
import dev.hyperform.run.PlaybookRunner;
import dev.hyperform.run.BecomeDefaults;
import dev.hyperform.run.PlayHosts;
import dev.hyperform.run.RunOptions;
import dev.hyperform.run.TagFilter;
import dev.hyperform.transport.ConnectionSettings;
import dev.hyperform.transport.Connections;
import dev.hyperform.transport.HostKeyPolicy;
import dev.hyperform.vars.Expressions;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hyperform play}: run playbooks against an inventory, like ansible-playbook. */
@Command(name = "play", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run playbooks against an inventory (like ansible-playbook).")
public final class PlayCommand implements Callable<Integer> {
    // every option is also read by PlayArguments (the start-up fast path for 'play'): a new option goes there too,
    // PlayArgumentsTest fails until it does

    @Option(names = {"-i", "--inventory"}, description = "inventory file, directory or 'a,b,' list (repeatable; "
            + "required unless --resume names a journal)")
    List<String> inventories = new ArrayList<>();
    @Parameters(arity = "0..*", paramLabel = "PLAYBOOK", description = "playbook files, run in order (required unless --resume)")
    List<Path> playbooks = new ArrayList<>();
    @Option(names = {"-l", "--limit"}, description = "further limit the hosts with a pattern (@file: a retry file)")
    String limit;
    @Option(names = {"-t", "--tags"}, split = ",", description = "only tasks with these tags")
    List<String> tags = new ArrayList<>();
    @Option(names = "--skip-tags", split = ",", description = "skip tasks with these tags")
    List<String> skipTags = new ArrayList<>();
    @Option(names = {"-e", "--extra-vars"}, description = "name=value, @file.yml or a YAML/JSON map; highest precedence (repeatable)")
    List<String> extraVars = new ArrayList<>();
    @Option(names = {"-C", "--check"}, description = "report what would change; change nothing")
    boolean check;
    @Option(names = {"-D", "--diff"}, description = "show file diffs and attribute changes")
    boolean diff;
    @Option(names = {"-f", "--forks"}, description = "hosts worked on at once (default: ${DEFAULT-VALUE})")
    int forks = RunOptions.DEFAULT_FORKS;
    @Option(names = "--start-at-task", description = "skip tasks until one with this name")
    String startAtTask;
    @Option(names = "--list-tasks", description = "list the tasks of each play and exit")
    boolean listTasks;
    @Option(names = "--list-hosts", description = "list the hosts of each play and exit")
    boolean listHosts;
    @Option(names = "--force-handlers", description = "run notified handlers even on hosts that failed")
    boolean forceHandlers;
    @Option(names = {"-u", "--user"}, description = "login user when the inventory names none")
    String user;
    @Option(names = "--private-key", description = "private key file when the inventory names none")
    Path privateKey;
    @Option(names = "--known-hosts", description = "extra known_hosts file (repeatable)")
    List<Path> knownHosts = new ArrayList<>();
    @Option(names = "--host-key-checking", description = "strict (default), accept-new or off")
    String hostKeyChecking = "strict";
    @Option(names = {"-b", "--become"}, description = "run tasks with become (sudo) unless a keyword says otherwise")
    boolean become;

    @Option(names = "--become-user", description = "become this user (default root) unless a keyword names another")
    String becomeUser;

    @Option(names = "--become-method", description = "sudo (default) or su, unless a keyword names another")
    String becomeMethod;

    @Option(names = {"-c", "--connection"}, description = "smart (default: openssh where a host needs nothing only the built-in client has), "
            + "ssh (the built-in client), openssh or local, for hosts whose inventory names none")
    String connection;

    @Option(names = {"-T", "--timeout"}, description = "SSH connect timeout in seconds (default: ${DEFAULT-VALUE})")
    int connectTimeout = 10;

    @Option(names = {"-K", "--ask-become-pass"}, description = "ask for the become (sudo) password on the terminal")
    boolean askBecomePass;
    @Option(names = "--vault-password-file", description = "file whose first line opens ansible-vault encrypted vars files")
    Path vaultPasswordFile;
    @Option(names = "--events", description = "write every event as a JSON line to this file")
    Path events;
    @Option(names = "--output", description = "human (default) or json (JSON lines on stdout)")
    String output = "human";
    @Option(names = "--junit", description = "write a JUnit XML report to this file")
    Path junit;
    @Option(names = "--journal", paramLabel = "FILE", description = "write the run journal here "
            + "(default: .hyperform/journal/PLAYBOOK-TIME.jsonl)")
    Path journal;
    @Option(names = "--resume", paramLabel = "JOURNAL", description = "continue the interrupted run of this journal: "
            + "hosts it shows finished with a play are skipped there; refused when the playbooks, their files, the "
            + "inventory, --limit, --tags or -e changed")
    Path resume;
    @Option(names = "-v", description = "more output (-v results, -vv commands, -vvv command output)")
    boolean[] verbose = new boolean[0];

    @Override
    public Integer call() throws Exception {
        if (vaultPasswordFile != null) {
            dev.hyperform.vars.Vault.usePasswordFile(vaultPasswordFile);
        }
        StartupTiming.mark("command");
        requireRunArguments();
        Map<String, Object> extra = new java.util.LinkedHashMap<>(ExtraVars.parse(extraVars));
        // a new run's journal is written from now on, on the other core; the become password is not part of it
        Map<String, Object> journalled = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extra));
        JournalOpening opening = resume != null || listHosts || listTasks ? null : JournalOpening.start(() ->
                JournalSetup.open(journal, null, playbooks, inventories, limit, tags, skipTags, check, journalled));
        try {
            return call(extra, opening);
        } catch (Exception | Error e) {
            if (opening != null) {
                opening.discard();
            }
            throw e;
        }
    }

    private Integer call(Map<String, Object> extra, JournalOpening opening) throws Exception {
        ModuleRegistry registry = ModuleRegistry.load();
        StartupTiming.mark("modules");
        PlaybookLoader loader = new PlaybookLoader(registry);
        List<Playbook> books = new ArrayList<>();
        for (Path p : playbooks) {
            books.add(loader.load(p));
        }
        StartupTiming.mark("playbooks");
        Inventory inventory = InventoryLoader.load(inventories);
        StartupTiming.mark("inventory");
        if (!books.isEmpty()) {
            inventory = inventory.withPlaybookDir(books.get(0).file().toAbsolutePath().getParent());
        }
        becomePassword().ifPresent(p -> extra.put("ansible_become_password", p));
        PrintStream out = new PrintStream(System.out, true);
        if (listHosts || listTasks) {
            return list(books, inventory, extra, out);
        }
        ConnectionSettings settings = new ConnectionSettings(HostKeyPolicy.parse(hostKeyChecking), knownHosts,
                Optional.ofNullable(user), privateKey == null ? List.of() : List.of(privateKey),
                Duration.ofSeconds(connectTimeout), Duration.ofSeconds(15), Optional.ofNullable(connection));
        try (Connections connections = new Connections(settings, inventory.hosts())) {
            // the SSH handshakes of the first play's hosts run while the rest of the run (journal, output, runner) is
            // set up; a resumed run first reads its journal, so that the hosts it skips in that play are not touched
            RunJournal runJournal;
            if (opening != null) {
                connections.warmUp(firstPlayHosts(books, inventory, extra), forks);
                runJournal = opening.take();
            } else {
                runJournal = JournalSetup.open(journal, resume, playbooks, inventories, limit, tags, skipTags, check,
                        extra);
            }
            if (runJournal.nothingLeft()) {
                out.println("nothing to do: the run of journal " + runJournal.file() + " finished without failures;"
                        + " start a new run without --resume to run the playbook again");
                return ExitCode.OK;
            }
            if (resume != null) {
                connections.warmUp(firstPlayHosts(books, inventory, extra).stream()
                        .filter(h -> !runJournal.finished(0).contains(h.name())).toList(), forks);
            }
            return run(books, inventory, extra, out, loader, registry, connections, runJournal);
        }
    }

    /** Without --resume a run needs -i and a playbook; with it, both default to the journal's. */
    private void requireRunArguments() {
        if (resume != null && (inventories.isEmpty() || playbooks.isEmpty())) {
            RunFingerprint recorded = JournalSetup.recorded(resume);
            if (inventories.isEmpty()) {
                inventories = new ArrayList<>(recorded.inventories());
            }
            if (playbooks.isEmpty()) {
                playbooks = recorded.playbooks().stream().map(Path::of).toList();
            }
        }
        if (inventories.isEmpty()) {
            throw new UsageError("Missing required option: '--inventory'");
        }
        if (playbooks.isEmpty()) {
            throw new UsageError("Missing required parameter: 'PLAYBOOK'");
        }
        if (connection != null && !List.of("ssh", "smart", "openssh", "local").contains(connection)) {
            throw new UsageError("--connection " + connection
                    + " is not supported: use smart (the default), ssh, openssh or local");
        }
        if (becomeMethod != null && !List.of("sudo", "su").contains(becomeMethod)) {
            throw new UsageError("--become-method " + becomeMethod
                    + " is not supported: use sudo or su");
        }
        if (connectTimeout < 1) {
            throw new UsageError("--timeout must be at least 1 second");
        }
    }

    /** The run's last line: where its journal is, as ansible-playbook names its retry file. */
    private void sayJournal(RunJournal runJournal, PrintStream out) {
        if (journalSaid.compareAndSet(false, true)) {
            (output.equals("json") ? System.err : out).println("journal: " + runJournal.file()
                    + " (continue an interrupted run with: hyperform play --resume " + runJournal.file() + ")");
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean journalSaid = new java.util.concurrent.atomic.AtomicBoolean();

    /** How long an interrupted run waits for the ends of its commands on the hosts (TERM, then KILL after 1 s). */
    private static final Duration STOPS_GRACE = Duration.ofSeconds(3);

    private int run(List<Playbook> books, Inventory inventory, Map<String, Object> extra, PrintStream out,
                    PlaybookLoader loader, ModuleRegistry registry, Connections connections, RunJournal runJournal)
            throws Exception {
        RunOptions options = new RunOptions(check, diff, forks, limit, TagFilter.of(tags, skipTags), extra, startAtTask,
                forceHandlers, verbose.length, List.of(), new BecomeDefaults(become, becomeUser, becomeMethod));
        UnaryOperator<String> redactor = SecretScan.redactor(inventory, books, extra);
        List<EventSink> sinks = new ArrayList<>();
        if (output.equals("json")) {
            sinks.add(new JsonLinesSink(System.out, false));
        } else {
            sinks.add(new ConsoleSink(out, ConsoleSink.terminalColour(), verbose.length));
        }
        if (events != null) {
            sinks.add(new JsonLinesSink(new FileOutputStream(events.toFile()), true));
        }
        if (junit != null) {
            sinks.add(new JUnitSink(junit));
        }
        sinks.add(StartupTiming.firstResult());
        try (EventBus bus = new EventBus(sinks)) {
            connections.onWarning(w -> bus.accept(new Event.Warning(Instant.now(), null, redactor.apply(w))));
            books.stream().flatMap(b -> JinjaLookalikes.in(b).stream()).distinct().forEach(j -> bus.accept(
                    new Event.Warning(Instant.now(), null, redactor.apply(j.where() + ": " + j.message()))));
            PlaybookRunner runner = new PlaybookRunner(inventory, new Expressions(), registry, connections,
                    new PlaybookIncludes(loader), new FactGatherer(), bus, redactor, options);
            runner.progress(runJournal);
            // Ctrl-C: no new task starts; the commands running on the targets are ended there (TERM to their process
            // group, KILL a second later); what has not returned 3 s later loses its connection; the runner still
            // prints the recap (those hosts: interrupted); the JVM exits with 130
            Thread hook = new Thread(() -> {
                runner.interrupt();
                connections.stopRunning();
                if (!waitFor(runner, 3)) {
                    connections.close();
                    waitFor(runner, 5);
                }
                // the ends on the hosts (TERM, then KILL if needed) finish, and say if they failed, before the last line
                connections.awaitStops(STOPS_GRACE);
                sayJournal(runJournal, out);
            }, "hyperform-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
            StartupTiming.mark("runner");
            int code = runner.run(books);
            StartupTiming.mark("finished");
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: the JVM exits with 130 after it; the hook names the journal last, after the
                // warnings of the commands it ends on the hosts; the connections close (below) only after those ends
                connections.awaitStops(STOPS_GRACE);
                return code;
            }
            sayJournal(runJournal, out);
            return code;
        }
    }

    /** The hosts the first play will work on (after --limit), or none when that is not known before running. */
    private List<Host> firstPlayHosts(List<Playbook> books, Inventory inventory, Map<String, Object> extra) {
        try {
            if (books.isEmpty() || books.get(0).plays().isEmpty()) {
                return List.of();
            }
            String pattern = PlayHosts.pattern(books.get(0).plays().get(0), extra, new Expressions());
            List<Host> hosts = inventory.select(pattern);
            if (limit != null) {
                List<String> allowed = inventory.select(limit).stream().map(Host::name).toList();
                hosts = hosts.stream().filter(h -> allowed.contains(h.name())).toList();
            }
            return hosts;
        } catch (RuntimeException e) {
            return List.of(); // a bad pattern is reported by the run itself, with its location
        }
    }

    /** -K asks on the terminal; HYPERFORM_BECOME_PASSWORD is read otherwise; the value is a Secret from here on. */
    private Optional<dev.hyperform.vars.Secret> becomePassword() {
        if (askBecomePass) {
            java.io.Console console = System.console();
            if (console == null) {
                throw new dev.hyperform.error.HyperformException(dev.hyperform.error.Failure.INVALID_INPUT,
                        dev.hyperform.error.Location.UNKNOWN, "-K needs a terminal to ask the become password on",
                        "set HYPERFORM_BECOME_PASSWORD, or ansible_become_password in an ansible-vault vars file");
            }
            return Optional.of(new dev.hyperform.vars.Secret(new String(console.readPassword("BECOME password: "))));
        }
        String env = System.getenv("HYPERFORM_BECOME_PASSWORD");
        return env == null || env.isEmpty() ? Optional.empty() : Optional.of(new dev.hyperform.vars.Secret(env));
    }

    private static boolean waitFor(PlaybookRunner runner, int seconds) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!runner.finished() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return runner.finished();
            }
        }
        return runner.finished();
    }

    private int list(List<Playbook> books, Inventory inventory, Map<String, Object> extra, PrintStream out) {
        for (Playbook b : books) {
            out.println("playbook: " + b.file());
            for (Play p : b.plays()) {
                out.println("  play: " + p.displayName());
                if (listHosts) {
                    List<Host> hosts = inventory.select(PlayHosts.pattern(p, extra, new Expressions()));
                    if (limit != null) {
                        List<String> allowed = inventory.select(limit).stream().map(Host::name).toList();
                        hosts = hosts.stream().filter(h -> allowed.contains(h.name())).toList();
                    }
                    out.println("    hosts (" + hosts.size() + "):");
                    hosts.forEach(h -> out.println("      " + h.name()));
                }
                if (listTasks) {
                    out.println("    tasks:");
                    TaskLister.list(p, TagFilter.of(tags, skipTags)).forEach(t -> out.println("      " + t));
                }
            }
        }
        out.flush();
        return ExitCode.OK;
    }
}
