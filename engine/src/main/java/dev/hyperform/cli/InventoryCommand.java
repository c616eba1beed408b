package dev.hyperform.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER until its work lands: {@code hyperform inventory}. */
@Command(name = "inventory", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class InventoryCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("hyperform inventory: not built yet");
        return dev.hyperform.error.ExitCode.INTERNAL;
    }
}
