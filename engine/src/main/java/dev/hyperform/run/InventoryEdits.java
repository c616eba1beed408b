package dev.hyperform.run;

import dev.hyperform.inventory.Inventory;
import java.util.List;
import java.util.Map;

/**
 * Applies what {@code add_host} and {@code group_by} ask of the run's in-memory inventory, read from their result
 * as ansible-core's strategy reads it (an {@code add_host} or {@code add_group} value). Applied in check mode too,
 * as Ansible does: later plays of the same run see the hosts and groups.
 */
final class InventoryEdits {
    private InventoryEdits() {
    }

    /** True when the inventory changed (the task then reports changed). */
    @SuppressWarnings("unchecked")
    static boolean apply(Inventory inventory, String host, Map<String, Object> result) {
        if (result.get("add_host") instanceof Map<?, ?> add) {
            return inventory.addHost(String.valueOf(add.get("host_name")), (Map<String, Object>) add.get("host_vars"),
                    ((List<?>) add.get("groups")).stream().map(String::valueOf).toList());
        }
        if (result.get("add_group") instanceof String group) {
            return inventory.addToGroup(host, group,
                    ((List<?>) result.get("parent_groups")).stream().map(String::valueOf).toList());
        }
        return false;
    }
}
