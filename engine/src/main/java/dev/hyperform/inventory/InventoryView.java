package dev.hyperform.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What {@code hyperform inventory} prints: the {@code --list} tree (same shape as ansible-inventory) and {@code --graph}. */
public final class InventoryView {
    private InventoryView() {
    }

    /**
     * The {@code --list} document: {@code _meta.hostvars} (hosts without variables are left out, as
     * ansible-inventory does), then every group that has direct hosts or children.
     */
    public static Map<String, Object> list(Inventory inv) {
        Map<String, Object> out = new TreeMap<>();
        Map<String, Object> hostvars = new TreeMap<>();
        for (Host h : inv.hosts()) {
            if (!h.vars().isEmpty()) {
                hostvars.put(h.name(), new TreeMap<>(h.vars()));
            }
        }
        out.put("_meta", Map.of("hostvars", hostvars));
        for (String g : inv.groups().keySet()) {
            Map<String, Object> entry = new TreeMap<>();
            List<String> hosts = inv.directHosts(g);
            List<String> children = inv.children(g);
            if (!hosts.isEmpty() && !g.equals("all")) {
                entry.put("hosts", hosts);
            }
            if (!children.isEmpty()) {
                entry.put("children", children);
            }
            if (!entry.isEmpty()) {
                out.put(g, entry);
            }
        }
        return out;
    }

    /** The {@code --graph} text for a group (default {@code all}). */
    public static String graph(Inventory inv, String group) {
        List<String> lines = new ArrayList<>();
        lines.add("@" + group + ":");
        walk(inv, group, "  ", lines);
        return String.join("\n", lines) + "\n";
    }

    private static void walk(Inventory inv, String group, String indent, List<String> lines) {
        for (String c : inv.children(group)) {
            lines.add(indent + "|--@" + c + ":");
            walk(inv, c, indent + "|  ", lines);
        }
        if (!group.equals("all")) {
            for (String h : inv.directHosts(group)) {
                lines.add(indent + "|--" + h);
            }
        }
    }
}
