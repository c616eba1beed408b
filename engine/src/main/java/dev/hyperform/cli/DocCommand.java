package dev.hyperform.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER until its work lands: {@code hyperform doc}. */
@Command(name = "doc", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class DocCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("hyperform doc: not built yet");
        return dev.hyperform.error.ExitCode.INTERNAL;
    }
}
