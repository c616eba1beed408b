package dev.hyperform.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER until its work lands: {@code hyperform lab}. */
@Command(name = "lab", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class LabCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("hyperform lab: not built yet");
        return dev.hyperform.error.ExitCode.INTERNAL;
    }
}
