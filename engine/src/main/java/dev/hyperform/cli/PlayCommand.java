package dev.hyperform.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER until its work lands: {@code hyperform play}. */
@Command(name = "play", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class PlayCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("hyperform play: not built yet");
        return dev.hyperform.error.ExitCode.INTERNAL;
    }
}
