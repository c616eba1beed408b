package dev.hyperform.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER until its work lands: {@code hyperform syntax-check}. */
@Command(name = "syntax-check", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class SyntaxCheckCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("hyperform syntax-check: not built yet");
        return dev.hyperform.error.ExitCode.INTERNAL;
    }
}
