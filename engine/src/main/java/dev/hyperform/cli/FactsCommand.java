package dev.hyperform.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hyperform.error.ExitCode;
import dev.hyperform.error.Location;
import dev.hyperform.facts.FactGatherer;
import dev.hyperform.inventory.Host;
import dev.hyperform.inventory.Inventory;
import dev.hyperform.inventory.InventoryException;
import dev.hyperform.inventory.InventoryLoader;
import dev.hyperform.transport.ConnectionSettings;
import dev.hyperform.transport.Connections;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hyperform facts -i INV HOST}: the facts one round trip gathers, as JSON. */
@Command(name = "facts", mixinStandardHelpOptions = true, description = "Print the facts of a host as JSON.")
public final class FactsCommand implements Callable<Integer> {
    @Option(names = {"-i", "--inventory"}, required = true, description = "inventory (repeatable)")
    List<String> inventories;
    @Parameters(paramLabel = "HOST")
    String host;

    @Override
    public Integer call() throws Exception {
        Inventory inv = InventoryLoader.load(inventories);
        Host h = inv.host(host).orElseThrow(() -> new InventoryException(Location.UNKNOWN, "no host named '" + host + "'",
                "see: hyperform inventory -i ... --graph"));
        try (Connections c = new Connections(ConnectionSettings.defaults(), inv.hosts())) {
            var facts = new FactGatherer().gather(c.get(h));
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(facts));
        }
        return ExitCode.OK;
    }
}
