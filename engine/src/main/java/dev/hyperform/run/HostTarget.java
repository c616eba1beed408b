package dev.hyperform.run;

import dev.hyperform.error.Failure;
import dev.hyperform.module.ApiCall;
import dev.hyperform.module.Change;
import dev.hyperform.module.ChangeRunner;
import dev.hyperform.module.Command;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.module.Operation;
import dev.hyperform.module.Target;
import dev.hyperform.output.Event;
import dev.hyperform.transport.Become;
import dev.hyperform.transport.BecomeRefusal;
import dev.hyperform.transport.ExecRequest;
import dev.hyperform.transport.ExecResult;
import dev.hyperform.transport.Transport;
import dev.hyperform.vars.Expressions;
import dev.hyperform.vars.Origin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The runner's {@link Target}: one task on one host. Commands go through the host's (or the delegate's) transport
 * with the task's become, environment and timeout; every command is logged for the task's result event.
 */
final class HostTarget implements Target {
    private final String host;
    private final Supplier<Transport> transport;
    private final Runnable reconnect;
    private final Map<String, Object> facts;
    private final Map<String, Object> scope;
    private final boolean check;
    private final boolean diff;
    private final Become become;
    private final Map<String, String> environment;
    private final Duration timeout;
    private final boolean sensitive;
    private final List<Path> searchDirs;
    private final Expressions expressions;
    private final Origin origin;
    private final HostServices others;
    final List<Event.CommandLog> log = new ArrayList<>();

    /** What a task may use beyond its own host: other hosts' connections and run-scoped resources. */
    interface HostServices {
        Transport transportOf(String host);

        <T> T shared(String key, Supplier<T> create);
    }

    HostTarget(String host, Supplier<Transport> transport, Runnable reconnect, Map<String, Object> facts,
               Map<String, Object> scope, boolean check, boolean diff, Become become, Map<String, String> environment,
               Duration timeout, boolean sensitive, List<Path> searchDirs, Expressions expressions, Origin origin,
               HostServices others) {
        this.host = host;
        this.transport = transport;
        this.reconnect = reconnect;
        this.facts = facts;
        this.scope = scope;
        this.check = check;
        this.diff = diff;
        this.become = become;
        this.environment = environment;
        this.timeout = timeout;
        this.sensitive = sensitive;
        this.searchDirs = searchDirs;
        this.expressions = expressions;
        this.origin = origin;
        this.others = others;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public Map<String, Object> facts() {
        return facts;
    }

    @Override
    public Map<String, Object> vars() {
        return scope;
    }

    @Override
    public boolean checkMode() {
        return check;
    }

    @Override
    public boolean diffMode() {
        return diff;
    }

    @Override
    public ExecResult probe(Command command) {
        return exec(command, Event.CommandKind.PROBE);
    }

    @Override
    public ExecResult run(Operation operation) {
        if (check) {
            throw new IllegalStateException("a module tried to change " + host + " in check mode: " + operation.display());
        }
        if (operation instanceof ApiCall a) {
            return call(a);
        }
        return exec((Command) operation, Event.CommandKind.RUN);
    }

    /** An API call from the controller; a refusal by the API is a failed result, an unreachable API propagates. */
    private ExecResult call(ApiCall call) {
        long t0 = System.nanoTime();
        int rc = 0;
        String out = "";
        String err = "";
        try {
            out = call.action().call();
        } catch (ModuleException e) {
            rc = 1;
            err = e.detail() + (e.hint() == null ? "" : "; " + e.hint());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        boolean hide = sensitive || call.sensitive();
        log.add(new Event.CommandLog(shown(call), rc, hide ? "" : out, hide ? "" : err, took, Event.CommandKind.RUN, true));
        return new ExecResult(rc, out.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                err.getBytes(java.nio.charset.StandardCharsets.UTF_8), took);
    }

    @Override
    public <T> T probeApi(String description, Supplier<T> read) {
        long t0 = System.nanoTime();
        String shown = sensitive ? "<hidden: no_log>" : "api " + description;
        try {
            T value = read.get();
            log.add(new Event.CommandLog(shown, 0, "", "", Duration.ofNanos(System.nanoTime() - t0), Event.CommandKind.PROBE, true));
            return value;
        } catch (RuntimeException e) {
            log.add(new Event.CommandLog(shown, 1, "", "", Duration.ofNanos(System.nanoTime() - t0), Event.CommandKind.PROBE, true));
            throw e;
        }
    }

    @Override
    public <T> T shared(String key, Supplier<T> create) {
        return others.shared(key, create);
    }

    @Override
    public ExecResult probeOn(String otherHost, Command command) {
        ExecRequest req = new ExecRequest(command.argv(), command.stdin(), Map.of(), java.util.Optional.empty(),
                become, timeout, true);
        ExecResult r = others.transportOf(otherHost).exec(req);
        // the output (a kubeconfig) is a secret: the log shows the command only
        log.add(new Event.CommandLog("<" + otherHost + "> " + command.display(), r.exitCode(), "", "", r.elapsed(),
                Event.CommandKind.PROBE));
        return r;
    }

    @Override
    public int forward(String viaHost, String address, int port) {
        String key = "forward:" + viaHost + ":" + address + ":" + port;
        return others.shared(key, () -> others.transportOf(viaHost).forward(address, port)).localPort();
    }

    @Override
    public ModuleResult execute(Change change) {
        return ChangeRunner.run(change, this::run);
    }

    /** Check mode: record what the real run would execute, without running it. */
    void plan(List<Operation> operations) {
        for (Operation o : operations) {
            log.add(new Event.CommandLog(shown(o), 0, "", "", java.time.Duration.ZERO, Event.CommandKind.PLANNED,
                    o instanceof ApiCall));
        }
    }

    private ExecResult exec(Command command, Event.CommandKind kind) {
        ExecRequest req = new ExecRequest(command.argv(), command.stdin(), environment, java.util.Optional.empty(),
                become, timeout, hidden(command));
        ExecResult r = transport.get().exec(req);
        boolean hide = hidden(command);
        log.add(new Event.CommandLog(shown(command), r.exitCode(), hide ? "" : r.out(), hide ? "" : r.err(), r.elapsed(), kind));
        BecomeRefusal.of(host, become, r).ifPresent(refused -> {
            throw refused;
        });
        return r;
    }

    private boolean hidden(Operation command) {
        return sensitive || command.sensitive();
    }

    /** How an operation appears in the task's log: its display form, unless no_log or the operation hides it. */
    private String shown(Operation command) {
        return hidden(command) ? "<hidden: no_log>" : command.display();
    }

    @Override
    public Path controllerFile(String kind, String name) {
        Path p = Path.of(name);
        if (p.isAbsolute()) {
            if (Files.exists(p)) {
                return p;
            }
            throw new ModuleException(Failure.INVALID_INPUT, origin.location(), "no such file on the controller: " + p,
                    "check the path");
        }
        List<Path> tried = new ArrayList<>();
        for (Path dir : searchDirs) {
            for (Path candidate : List.of(dir.resolve(kind).resolve(name), dir.resolve(name))) {
                tried.add(candidate);
                if (Files.exists(candidate)) {
                    return candidate;
                }
            }
        }
        throw new ModuleException(Failure.INVALID_INPUT, origin.location(),
                "could not find '" + name + "' for this task; searched: " + tried,
                "put it in the role's " + kind + "/ directory or beside the playbook");
    }

    @Override
    public String renderTemplate(Path template) {
        return expressions.renderTemplate(template, scope, origin);
    }

    @Override
    public boolean test(String expression) {
        return expressions.test(expression, scope, origin);
    }

    @Override
    public Object evaluate(String expression) {
        return expressions.evaluate(expression, scope, origin);
    }

    @Override
    public void reconnect(long timeoutSeconds) {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                reconnect.run();
                transport.get().exec(ExecRequest.of("true").withTimeout(Duration.ofSeconds(10)));
                return;
            } catch (RuntimeException e) {
                last = e;
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new ModuleException("interrupted while waiting for " + host + " to come back", null);
                }
            }
        }
        throw new ModuleException(host + " did not answer again within " + timeoutSeconds + " s"
                + (last == null ? "" : ": " + last.getMessage()), "check the host's console; raise reboot_timeout");
    }
}
