package dev.hyperform.module;

/**
 * A task module. It runs on the controller: {@link #plan} probes the target with cheap read-only commands and
 * returns the exact commands that bring it to the declared state. The runner stops after {@code plan} in check
 * mode and otherwise executes the change through {@link #apply}. Modules never print; they return values.
 * Implementations are found with {@link java.util.ServiceLoader} (file
 * {@code META-INF/services/dev.hyperform.module.Module}), must be stateless and thread-safe.
 */
public interface Module {

    /** The key users write in a task, e.g. {@code copy}. */
    String name();

    /** Other keys accepted for this module ({@code service} for {@code systemd}). */
    default java.util.List<String> aliases() {
        return java.util.List.of();
    }

    /**
     * True for a module that acts on the run rather than on each host ({@code add_host}): as Ansible's
     * BYPASS_HOST_LOOP, it runs once, on the first host of the batch, like {@code run_once}.
     */
    default boolean bypassHostLoop() {
        return false;
    }

    /** Arguments, types, defaults and docs; validated before any host is touched. */
    ArgSpec spec();

    /** Probe only; no side effects, also run in check mode. */
    Change plan(Target target, Args args);

    /**
     * Checks {@code hyperform syntax-check} runs on a task of this module, offline (no host, no API): for example the
     * Kubernetes manifests a task applies, against the upstream schemas. Throws a
     * {@link ModuleException} (INVALID_INPUT) naming file:line of the first problem. The default checks nothing.
     */
    default void checkOffline(OfflineCheck task) {
    }

    /**
     * Execute a planned, non-empty change. The default runs the commands in order and stops at the first that
     * fails. Modules that must wait or reconnect (reboot, wait_for, pause) override it.
     */
    default ModuleResult apply(Target target, Args args, Change change) {
        return target.execute(change);
    }
}
