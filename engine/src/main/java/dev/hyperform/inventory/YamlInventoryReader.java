package dev.hyperform.inventory;

import dev.hyperform.error.Location;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The YAML inventory format: groups (usually {@code all}) with {@code hosts}, {@code vars}, {@code children}. */
final class YamlInventoryReader {
    private YamlInventoryReader() {
    }

    static void read(Path file, Object root, InventoryBuilder b) {
        Location at = Location.of(file);
        if (root == null) {
            return;
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw new InventoryException(at, "a YAML inventory must be a map of groups (usually 'all:')",
                    "start the file with all: and put hosts:, vars: and children: under it");
        }
        for (Map.Entry<?, ?> e : top.entrySet()) {
            group(String.valueOf(e.getKey()), e.getValue(), at, b);
        }
    }

    private static void group(String name, Object body, Location at, InventoryBuilder b) {
        GroupDef g = b.group(name, at);
        if (body == null) {
            return;
        }
        if (!(body instanceof Map<?, ?> m)) {
            throw new InventoryException(at, "group '" + name + "' must be a map with hosts:, vars: or children:, not "
                    + body, "write " + name + ": {hosts: {...}}");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object v = e.getValue();
            switch (key) {
                case "hosts" -> hosts(name, v, at, b);
                case "vars" -> {
                    if (v instanceof Map<?, ?> vm) {
                        vm.forEach((k, x) -> g.vars.put(String.valueOf(k), x));
                    } else if (v != null) {
                        throw new InventoryException(at, "vars of group '" + name + "' must be a map", "write vars: {key: value}");
                    }
                }
                case "children" -> {
                    if (v instanceof Map<?, ?> cm) {
                        for (Map.Entry<?, ?> c : cm.entrySet()) {
                            String child = String.valueOf(c.getKey());
                            b.addChild(name, child, at);
                            group(child, c.getValue(), at, b);
                        }
                    } else if (v != null) {
                        throw new InventoryException(at, "children of group '" + name + "' must be a map of groups",
                                "write children: {web: {hosts: ...}}");
                    }
                }
                default -> throw new InventoryException(at, "group '" + name + "' has an unknown key '" + key + "'",
                        "a group has hosts:, vars: and children:");
            }
        }
    }

    private static void hosts(String group, Object v, Location at, InventoryBuilder b) {
        if (v == null) {
            return;
        }
        if (!(v instanceof Map<?, ?> hm)) {
            throw new InventoryException(at, "hosts of group '" + group + "' must be a map of host names",
                    "write hosts: {node1: {ansible_host: 10.0.0.1}}");
        }
        for (Map.Entry<?, ?> h : hm.entrySet()) {
            Map<String, Object> vars = new LinkedHashMap<>();
            if (h.getValue() instanceof Map<?, ?> vm) {
                vm.forEach((k, x) -> vars.put(String.valueOf(k), x));
            }
            String pattern = String.valueOf(h.getKey());
            Object port = null;
            int colon = pattern.lastIndexOf(':');
            if (colon > pattern.lastIndexOf(']') && pattern.substring(colon + 1).matches("\\d+")) {
                port = Integer.parseInt(pattern.substring(colon + 1));
                pattern = pattern.substring(0, colon);
            }
            for (String name : HostRange.expand(pattern, at)) {
                Map<String, Object> hv = new LinkedHashMap<>(vars);
                if (port != null) {
                    hv.putIfAbsent("ansible_port", port);
                }
                b.addHost(group, name, hv, at);
            }
        }
    }
}
