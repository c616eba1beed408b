package dev.hyperform.inventory;

import java.util.List;

/** CONTRACT (implemented by the inventory work): reads one or more {@code -i} sources into one inventory. */
public final class InventoryLoader {
    private InventoryLoader() {
    }

    /**
     * @param sources INI or YAML files, directories of sources, or comma lists of hosts ({@code "a,b,"});
     *                merged in order
     * @throws InventoryException (INVALID_INPUT) with file:line for anything malformed
     */
    public static Inventory load(List<String> sources) {
        throw new UnsupportedOperationException("inventory: not built yet");
    }
}
