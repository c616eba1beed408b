package dev.hyperform.module;

import dev.hyperform.transport.ExecResult;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a module sees of the host it works on, given by the runner. Probes are read-only and run in check mode
 * too; {@link #execute} and {@link #run} are only called by {@link Module#apply} in a real run.
 */
public interface Target {

    /** Inventory name of the host. */
    String host();

    /** Facts gathered for this host ({@code facts.*}); empty when gathering is off. */
    Map<String, Object> facts();

    /** The host's whole variable scope, read-only (used by templates). */
    Map<String, Object> vars();

    boolean checkMode();

    boolean diffMode();

    /**
     * Run a read-only command (with the task's become and environment). A non-zero exit is a result.
     *
     * @throws dev.hyperform.transport.HostUnreachableException when the host is gone
     */
    ExecResult probe(Command command);

    default ExecResult probe(String... argv) {
        return probe(Command.of(argv));
    }

    /**
     * Run one state-changing operation (real runs only): a shell command on the host, or an API call from the
     * controller. A failed API call is a result with a non-zero exit code and the API's message as stderr.
     */
    ExecResult run(Operation operation);

    /**
     * Read from an API the controller talks to (get, list, server-side dry run): logged as a {@code probe} event
     * with {@code description}, run in check mode too. {@code read} must not change anything.
     */
    <T> T probeApi(String description, java.util.function.Supplier<T> read);

    /**
     * A run-scoped resource shared by every task of the run (an API client, a port forward), created on first use
     * and closed at the end of the run when it is {@link AutoCloseable}.
     */
    <T> T shared(String key, java.util.function.Supplier<T> create);

    /** Run a read-only command on another inventory host over its own connection (fetching a kubeconfig). */
    ExecResult probeOn(String host, Command command);

    /**
     * Forward a local loopback port through {@code viaHost}'s connection to {@code address:port} as seen from
     * that host; the forward lives until the end of the run. Returns the local port.
     */
    int forward(String viaHost, String address, int port);

    /** Run the commands of a change in order, stopping at the first failure; the usual {@link Module#apply}. */
    ModuleResult execute(Change change);

    /**
     * Find a file on the controller the way Ansible does: an absolute path as is; otherwise in the current role's
     * {@code kind/} directory ({@code files} or {@code templates}), then beside the playbook, then its
     * {@code kind/} directory.
     *
     * @throws ModuleException (INVALID_INPUT) listing every place searched
     */
    Path controllerFile(String kind, String name);

    /** Render a FreeMarker template with the host's whole scope; errors name the template file and line. */
    String renderTemplate(Path template);

    /** Evaluate a FreeMarker boolean expression in the host's scope (for {@code assert}, {@code wait_for}). */
    boolean test(String expression);

    /** Evaluate a FreeMarker expression to a value in the host's scope. */
    Object evaluate(String expression);

    /** Close and re-open the host's connection (after a reboot); waits up to {@code timeoutSeconds}. */
    void reconnect(long timeoutSeconds);
}
