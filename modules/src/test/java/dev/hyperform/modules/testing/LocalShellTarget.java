package dev.hyperform.modules.testing;

import dev.hyperform.module.ApiCall;
import dev.hyperform.module.Change;
import dev.hyperform.module.ChangeRunner;
import dev.hyperform.module.Command;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.module.Operation;
import dev.hyperform.module.Target;
import dev.hyperform.transport.CommandLine;
import dev.hyperform.transport.ExecRequest;
import dev.hyperform.transport.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A test {@link Target} that runs commands for real on this machine, as the one shell line the SSH transport's
 * shell session would send for them ({@link CommandLine#forPosixShell}, run by {@code sh -c}), so module tests exercise the exact commands a
 * module emits and the quoting they go through. Tests point modules at paths inside a temporary directory, which is also the commands' working directory (so a relative path an
 * injected command writes lands there). It records every probe and run for assertions.
 */
public final class LocalShellTarget implements Target {
    private final Path baseDir;
    private final boolean check;
    private final Map<String, Object> vars = new HashMap<>();
    private final Map<String, Object> facts = new HashMap<>();
    public final List<Command> probes = new ArrayList<>();
    public final List<Command> runs = new ArrayList<>();
    public final List<ApiCall> apiCalls = new ArrayList<>();
    public final List<String> apiProbes = new ArrayList<>();
    private final Map<String, Object> shared = new HashMap<>();

    private final Map<String, String> env;
    private final List<String> prefix;
    private List<String> shell = List.of("sh", "-c");

    public LocalShellTarget(Path baseDir, boolean check) {
        this(baseDir, check, Map.of());
    }

    /** With environment variables for every command, e.g. a PATH that puts a test double of a tool first. */
    public LocalShellTarget(Path baseDir, boolean check, Map<String, String> env) {
        this(baseDir, check, env, List.of());
    }

    /** With a command every shell line runs under, e.g. {@code ip netns exec NS} for a private network namespace. */
    public LocalShellTarget(Path baseDir, boolean check, Map<String, String> env, List<String> prefix) {
        this.baseDir = baseDir;
        this.check = check;
        this.env = Map.copyOf(env);
        this.prefix = List.copyOf(prefix);
    }

    /**
     * Run every line with this shell instead of {@code sh -c}, e.g. {@code bash --posix -c}: what the shell
     * session's bash driver runs a line in.
     */
    public LocalShellTarget withShell(String... argv) {
        this.shell = List.of(argv);
        return this;
    }

    public Map<String, Object> varsForTest() {
        return vars;
    }

    public Map<String, Object> factsForTest() {
        return facts;
    }

    @Override
    public String host() {
        return "localhost";
    }

    @Override
    public Map<String, Object> facts() {
        return facts;
    }

    @Override
    public Map<String, Object> vars() {
        return vars;
    }

    @Override
    public boolean checkMode() {
        return check;
    }

    @Override
    public boolean diffMode() {
        return true;
    }

    @Override
    public ExecResult probe(Command command) {
        probes.add(command);
        return exec(command);
    }

    @Override
    public ExecResult run(Operation operation) {
        if (check) {
            throw new AssertionError("a module ran a changing operation in check mode: " + operation.display());
        }
        if (operation instanceof ApiCall call) {
            apiCalls.add(call);
            try {
                String out = call.action().call();
                return new ExecResult(0, out.getBytes(StandardCharsets.UTF_8), new byte[0], Duration.ZERO);
            } catch (ModuleException e) {
                return new ExecResult(1, new byte[0], e.getMessage().getBytes(StandardCharsets.UTF_8), Duration.ZERO);
            }
        }
        Command command = (Command) operation;
        runs.add(command);
        return exec(command);
    }

    @Override
    public <T> T probeApi(String description, Supplier<T> read) {
        apiProbes.add(description);
        return read.get();
    }

    @Override
    public <T> T shared(String key, Supplier<T> create) {
        @SuppressWarnings("unchecked")
        T t = (T) shared.computeIfAbsent(key, k -> create.get());
        return t;
    }

    @Override
    public ExecResult probeOn(String otherHost, Command command) {
        probes.add(command);
        return exec(command);
    }

    @Override
    public int forward(String viaHost, String address, int port) {
        return port;
    }

    @Override
    public ModuleResult execute(Change change) {
        return ChangeRunner.run(change, this::run);
    }

    @Override
    public Path controllerFile(String kind, String name) {
        Path p = Path.of(name).isAbsolute() ? Path.of(name) : baseDir.resolve(kind).resolve(name);
        if (!Files.exists(p)) {
            throw new ModuleException("file not found on the controller: " + p, "create it");
        }
        return p;
    }

    @Override
    public String renderTemplate(Path template) {
        throw new UnsupportedOperationException("templates are rendered by the runner's target");
    }

    @Override
    public boolean test(String expression) {
        throw new UnsupportedOperationException("expressions are evaluated by the runner's target");
    }

    @Override
    public Object evaluate(String expression) {
        throw new UnsupportedOperationException("expressions are evaluated by the runner's target");
    }

    @Override
    public void reconnect(long timeoutSeconds) {
    }

    private ExecResult exec(Command command) {
        long t0 = System.nanoTime();
        try {
            String line = CommandLine.forPosixShell(ExecRequest.of(command.argv())).line();
            List<String> argv = new ArrayList<>(prefix);
            argv.addAll(shell);
            argv.add(line);
            ProcessBuilder pb = new ProcessBuilder(argv).directory(baseDir.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (OutputStream in = p.getOutputStream()) {
                if (command.stdin().isPresent()) {
                    in.write(command.stdin().get());
                }
            }
            int rc = p.waitFor();
            return new ExecResult(rc, out.join(), err.join(), Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
