package dev.hyperform.cli;

/**
 * A command line that parsed but cannot run (a required argument missing, a value hyperform does not support):
 * reported like picocli's own parse errors, {@code ERROR: ...} and a hint to the command's {@code --help}, exit 4.
 * Not picocli's ParameterException, so that the fast path of {@code play} ({@link PlayArguments}) reports it the
 * same way without loading picocli.
 */
final class UsageError extends RuntimeException {
    UsageError(String message) {
        super(message);
    }
}
