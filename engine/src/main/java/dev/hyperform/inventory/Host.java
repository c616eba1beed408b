package dev.hyperform.inventory;

import java.util.Map;

/**
 * One inventory host with its inventory-level variables already merged in precedence order (inventory group
 * vars, group_vars files — all lowest, parents before children, then alphabetical — inventory host vars,
 * host_vars files). Play, task and extra vars are layered on top by the runner.
 */
public record Host(String name, Map<String, Object> vars) {
    public Host {
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
    }
}
