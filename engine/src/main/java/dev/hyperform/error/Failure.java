package dev.hyperform.error;

/**
 * The kinds of failure a user must tell apart; each maps to one process exit code (see {@link ExitCode}).
 */
public enum Failure {
    /** Bad input: YAML, unknown keyword, wrong type, undefined variable, bad pattern, missing file. Nothing ran. */
    INVALID_INPUT,
    /** A task failed on at least one host. */
    TASK_FAILED,
    /** At least one host could not be reached. */
    UNREACHABLE,
    /** The run was interrupted (Ctrl-C, SIGTERM). */
    INTERRUPTED,
    /** Something the environment must provide is missing (root, systemd-nspawn, a tool). */
    ENVIRONMENT,
    /** A bug in hyperform. */
    INTERNAL
}
