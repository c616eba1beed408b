package dev.hyperform.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** One in-process run of the command line: its exit code and what it printed on stdout and stderr. */
record CliRun(int code, String out, String err) {
    /** {@code hyperform ARGS} as a user types it. */
    static CliRun of(String... args) {
        return of(Main::run, args);
    }

    /** The command line run by {@code entry} ({@code Main::run}, or one of its parsers alone), output captured. */
    static CliRun of(Function<String[], Integer> entry, String... args) {
        return of(StandardCharsets.UTF_8, entry, args);
    }

    /**
     * The same, with System.out and System.err encoding text in {@code streams} (as a terminal or pipe in another
     * locale would); what was written is read back as UTF-8 bytes.
     */
    static CliRun of(Charset streams, Function<String[], Integer> entry, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, streams);
             PrintStream e = new PrintStream(err, true, streams)) {
            System.setOut(o);
            System.setErr(e);
            code = entry.apply(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
