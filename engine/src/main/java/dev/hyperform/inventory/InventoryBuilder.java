package dev.hyperform.inventory;

import dev.hyperform.error.Location;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects groups, hosts and vars from one or more sources, then builds the {@link Inventory}. */
final class InventoryBuilder {
    final Map<String, GroupDef> groups = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> hostVars = new LinkedHashMap<>();
    final Map<String, Location> hostLocations = new LinkedHashMap<>();
    final List<Path> varsDirs = new ArrayList<>();

    InventoryBuilder() {
        group("all", Location.UNKNOWN);
        group("ungrouped", Location.UNKNOWN);
        groups.get("all").children.add("ungrouped");
        groups.get("ungrouped").parents.add("all");
    }

    GroupDef group(String name, Location where) {
        return groups.computeIfAbsent(name, n -> new GroupDef(n, where));
    }

    void host(String name, Location where) {
        hostVars.computeIfAbsent(name, n -> new LinkedHashMap<>());
        hostLocations.putIfAbsent(name, where);
    }

    void addHost(String group, String host, Map<String, Object> vars, Location where) {
        host(host, where);
        hostVars.get(host).putAll(vars);
        if (!group.equals("all")) {
            group(group, where).hosts.add(host);
        }
    }

    void addChild(String parent, String child, Location where) {
        GroupDef p = group(parent, where);
        GroupDef c = group(child, where);
        p.children.add(child);
        c.parents.add(parent);
    }

    Inventory build() {
        checkCycles();
        // groups with no parent hang under all, after the ones written there explicitly
        GroupDef all = groups.get("all");
        for (GroupDef g : groups.values()) {
            if (!g.name.equals("all") && g.parents.isEmpty()) {
                all.children.add(g.name);
                g.parents.add("all");
            }
        }
        depths(all, 0);
        return Inventory.from(this);
    }

    private void depths(GroupDef g, int depth) {
        if (depth <= g.depth && depth > 0) {
            return;
        }
        g.depth = Math.max(g.depth, depth);
        for (String c : g.children) {
            depths(groups.get(c), depth + 1);
        }
    }

    private void checkCycles() {
        Map<String, Integer> state = new LinkedHashMap<>();
        for (String g : groups.keySet()) {
            visit(g, state, new ArrayList<>());
        }
    }

    private void visit(String g, Map<String, Integer> state, List<String> path) {
        Integer s = state.get(g);
        if (s != null && s == 2) {
            return;
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(g), path.size()));
            cycle.add(g);
            throw new InventoryException(groups.get(g).location, "groups form a cycle: " + String.join(" -> ", cycle),
                    "a group cannot be its own ancestor; remove one of these children entries");
        }
        state.put(g, 1);
        path.add(g);
        for (String c : groups.get(g).children) {
            visit(c, state, path);
        }
        path.remove(path.size() - 1);
        state.put(g, 2);
    }
}
