package dev.hyperform.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hyperform.error.ExitCode;
import dev.hyperform.inventory.Host;
import dev.hyperform.inventory.Inventory;
import dev.hyperform.inventory.InventoryException;
import dev.hyperform.inventory.InventoryLoader;
import dev.hyperform.inventory.InventoryView;
import dev.hyperform.error.Location;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hyperform inventory -i INV --list | --graph [GROUP] | --host H}: show an inventory as hyperform reads it. */
@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = "Show an inventory: --list prints the same JSON as ansible-inventory --list.")
public final class InventoryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--inventory"}, required = true, description = "inventory file, directory or 'a,b,' list (repeatable)")
    List<String> inventories;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(names = "--list", description = "all groups and hosts with their variables, as JSON")
        boolean list;
        @Option(names = "--graph", arity = "0..1", fallbackValue = "all", description = "the group tree (default: all)")
        String graph;
        @Option(names = "--host", description = "one host's variables, as JSON")
        String host;
    }

    @Override
    public Integer call() throws Exception {
        Inventory inv = InventoryLoader.load(inventories);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        var out = spec.commandLine().getOut();
        if (mode.list) {
            out.println(json.writeValueAsString(InventoryView.list(inv)));
        } else if (mode.graph != null) {
            if (!inv.groups().containsKey(mode.graph)) {
                throw new InventoryException(Location.UNKNOWN, "no group named '" + mode.graph + "'",
                        "groups: " + inv.groups().keySet());
            }
            out.print(InventoryView.graph(inv, mode.graph));
        } else {
            Host h = inv.host(mode.host).orElseThrow(() -> new InventoryException(Location.UNKNOWN,
                    "no host named '" + mode.host + "' in the inventory", "see: hyperform inventory -i ... --graph"));
            out.println(json.writeValueAsString(new TreeMap<>(h.vars())));
        }
        out.flush();
        return ExitCode.OK;
    }
}
