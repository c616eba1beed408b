package dev.hyperform.cli;

import dev.hyperform.error.ExitCode;
import dev.hyperform.inventory.Host;
import dev.hyperform.inventory.Inventory;
import dev.hyperform.inventory.InventoryLoader;
import dev.hyperform.transport.ConnectionSettings;
import dev.hyperform.transport.Connections;
import dev.hyperform.transport.ExecRequest;
import dev.hyperform.transport.HostUnreachableException;
import dev.hyperform.transport.Transport;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hyperform ping -i INV [PATTERN]}: connect to each host and time command round trips on the open
 * connection (the floor under every task; the bench reports it).
 */
@Command(name = "ping", mixinStandardHelpOptions = true,
        description = "Connect to hosts and time command round trips on the open connection.")
public final class PingCommand implements Callable<Integer> {
    @Option(names = {"-i", "--inventory"}, required = true, description = "inventory (repeatable)")
    List<String> inventories;
    @Parameters(arity = "0..1", paramLabel = "PATTERN", description = "hosts (default: all)")
    String pattern = "all";
    @Option(names = "--count", description = "round trips per host (default ${DEFAULT-VALUE})")
    int count = 20;
    @Option(names = {"-c", "--connection"}, description = "smart (the default), ssh (the built-in client), openssh "
            + "or local, for hosts whose inventory names none")
    String connection;

    @Override
    public Integer call() {
        Inventory inv = InventoryLoader.load(inventories);
        int code = ExitCode.OK;
        ConnectionSettings d = ConnectionSettings.defaults();
        ConnectionSettings settings = new ConnectionSettings(d.hostKeyPolicy(), d.knownHosts(), d.user(),
                d.privateKeys(), d.connectTimeout(), d.keepAlive(), java.util.Optional.ofNullable(connection));
        try (Connections c = new Connections(settings, inv.hosts())) {
            for (Host h : inv.select(pattern)) {
                try {
                    Transport t = c.get(h);
                    long connect = System.nanoTime();
                    t.exec(ExecRequest.of("true"));
                    double first = (System.nanoTime() - connect) / 1e6;
                    for (int i = 0; i < Math.min(10, count); i++) {
                        t.exec(ExecRequest.of("true"));
                    }
                    long[] us = new long[count];
                    for (int i = 0; i < count; i++) {
                        long s = System.nanoTime();
                        t.exec(ExecRequest.of("true"));
                        us[i] = (System.nanoTime() - s) / 1000;
                    }
                    Arrays.sort(us);
                    System.out.printf("%s: connect+first %.1f ms, round trip median %.2f ms (p10 %.2f, p90 %.2f, n=%d), "
                            + "via %s%n", h.name(), first, us[count / 2] / 1000.0, us[count / 10] / 1000.0,
                            us[count * 9 / 10] / 1000.0, count, c.client(h));
                } catch (HostUnreachableException e) {
                    System.out.println(h.name() + ": UNREACHABLE " + e.getMessage());
                    code = ExitCode.UNREACHABLE;
                }
            }
        }
        return code;
    }
}
