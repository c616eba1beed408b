package dev.hyperform.module;

import dev.hyperform.transport.Shell;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One command a module wants run on the target: an argument vector (quoted once, by the transport), optional
 * stdin bytes (how file contents travel) and whether it is sensitive (hidden from output and events).
 * {@code description} is the short human form shown in check mode and diffs; it defaults to the quoted argv.
 */
public record Command(List<String> argv, Optional<byte[]> stdin, boolean sensitive, String description)
        implements Operation {

    public Command {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least one word");
        }
        if (description == null || description.isBlank()) {
            description = Shell.join(argv);
        }
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv), Optional.empty(), false, null);
    }

    public static Command of(List<String> argv) {
        return new Command(argv, Optional.empty(), false, null);
    }

    /**
     * A POSIX shell script run as {@code sh -c SCRIPT}. Build the script with {@link Shell#quote} around every
     * value that came from a user.
     */
    public static Command sh(String script) {
        return new Command(List.of("sh", "-c", script), Optional.empty(), false, script);
    }

    /** The same with extra positional arguments, read in the script as "$1", "$2", ... (the safest way to pass values). */
    public static Command sh(String script, List<String> args) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        argv.addAll(args);
        return new Command(argv, Optional.empty(), false, null);
    }

    public Command withStdin(byte[] bytes) {
        return new Command(argv, Optional.of(bytes), sensitive, description);
    }

    public Command withStdin(String text) {
        return withStdin(text.getBytes(StandardCharsets.UTF_8));
    }

    public Command described(String text) {
        return new Command(argv, stdin, sensitive, text);
    }

    public Command asSensitive() {
        return new Command(argv, stdin, true, description);
    }

    /** What output and events may show. */
    @Override
    public String display() {
        return sensitive ? "<command hidden: no_log>" : description;
    }
}
