package dev.hyperform.inventory;

import dev.hyperform.error.Location;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** A group while the inventory is read: direct hosts and children in the order written, its own vars. */
final class GroupDef {
    final String name;
    final Set<String> hosts = new LinkedHashSet<>();
    final Set<String> children = new LinkedHashSet<>();
    final Set<String> parents = new LinkedHashSet<>();
    final Map<String, Object> vars = new LinkedHashMap<>();
    Location location;
    int depth;

    GroupDef(String name, Location location) {
        this.name = name;
        this.location = location;
    }

    int priority() {
        Object p = vars.get("ansible_group_priority");
        if (p instanceof Number n) {
            return n.intValue();
        }
        try {
            return p == null ? 1 : Integer.parseInt(String.valueOf(p).trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
