package dev.hyperform.inventory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CONTRACT (implemented by the inventory work): hosts, groups and their variables, Ansible-compatible.
 * Signatures here are what the runner and CLI rely on; more methods may be added.
 */
public final class Inventory {

    /** Every host, in inventory order (the order {@code all} lists them). */
    public List<Host> hosts() {
        throw new UnsupportedOperationException("inventory: not built yet");
    }

    public Optional<Host> host(String name) {
        throw new UnsupportedOperationException("inventory: not built yet");
    }

    /**
     * Hosts matching an Ansible host pattern ({@code all}, {@code *}, names, groups, wildcards, {@code ~regex},
     * {@code a:b}, {@code a:&b}, {@code a:!b}, {@code a,b}, {@code g[0]}, {@code g[1:3]}, {@code @file}),
     * in inventory order.
     *
     * @throws InventoryException (INVALID_INPUT) for a malformed pattern
     */
    public List<Host> select(String pattern) {
        throw new UnsupportedOperationException("inventory: not built yet");
    }

    /** Group name to its hosts (all descendants), in inventory order; includes {@code all} and {@code ungrouped}. */
    public Map<String, List<String>> groups() {
        throw new UnsupportedOperationException("inventory: not built yet");
    }

    /** The groups a host is in ({@code group_names}: sorted, without {@code all}). */
    public List<String> groupNames(String host) {
        throw new UnsupportedOperationException("inventory: not built yet");
    }

    /**
     * The same inventory, with {@code group_vars/} and {@code host_vars/} beside the playbook also applied, at
     * their Ansible precedence (playbook group_vars over inventory group_vars, playbook host_vars over inventory
     * host_vars).
     */
    public Inventory withPlaybookDir(Path dir) {
        throw new UnsupportedOperationException("inventory: not built yet");
    }
}
