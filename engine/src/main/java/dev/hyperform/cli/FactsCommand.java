package dev.hyperform.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER until its work lands: {@code hyperform facts}. */
@Command(name = "facts", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class FactsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("hyperform facts: not built yet");
        return dev.hyperform.error.ExitCode.INTERNAL;
    }
}
