package dev.hyperform.error;

/**
 * The process exit codes, documented in the README's exit-code table.
 *
 * <pre>
 *  0  every host ok (changes allowed)
 *  2  a task failed on at least one host (also: invalid input met after a task ran on some host)
 *  3  at least one host was unreachable (and none failed)
 *  4  invalid input: parse, validation, undefined variable, bad pattern; no task ran on any host
 *  5  environment: something hyperform needs on this machine is missing
 *  70 internal error (a bug: please report it with the output of -vvv)
 * 130 interrupted
 * </pre>
 */
public final class ExitCode {
    public static final int OK = 0;
    public static final int TASK_FAILED = 2;
    public static final int UNREACHABLE = 3;
    public static final int INVALID_INPUT = 4;
    public static final int ENVIRONMENT = 5;
    public static final int INTERNAL = 70;
    public static final int INTERRUPTED = 130;

    private ExitCode() {
    }

    public static int of(Failure failure) {
        return switch (failure) {
            case INVALID_INPUT -> INVALID_INPUT;
            case TASK_FAILED -> TASK_FAILED;
            case UNREACHABLE -> UNREACHABLE;
            case INTERRUPTED -> INTERRUPTED;
            case ENVIRONMENT -> ENVIRONMENT;
            case INTERNAL -> INTERNAL;
        };
    }
}
