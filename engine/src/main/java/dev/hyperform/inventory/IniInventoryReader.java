package dev.hyperform.inventory;

import dev.hyperform.error.Location;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The INI inventory format with Ansible's rules: {@code [group]}, {@code [group:vars]}, {@code [group:children]},
 * host lines with {@code key=value} pairs (shell-like quoting), {@code host:port}, ranges, Python-literal values.
 */
final class IniInventoryReader {
    private IniInventoryReader() {
    }

    static void read(Path file, List<String> lines, InventoryBuilder b) {
        String group = "ungrouped";
        String state = "hosts";
        for (int n = 0; n < lines.size(); n++) {
            Location at = Location.of(file, n + 1, 1);
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) {
                    throw new InventoryException(at, "section header '" + line + "' is missing its closing ']'",
                            "write [group], [group:vars] or [group:children]");
                }
                String section = line.substring(1, line.length() - 1).strip();
                int colon = section.indexOf(':');
                group = colon < 0 ? section : section.substring(0, colon);
                state = colon < 0 ? "hosts" : section.substring(colon + 1);
                if (!state.equals("hosts") && !state.equals("vars") && !state.equals("children")) {
                    throw new InventoryException(at, "section [" + section + "] has an unknown suffix ':" + state + "'",
                            "the suffixes are :vars, :children and :hosts");
                }
                if (group.isEmpty() || group.contains(" ")) {
                    throw new InventoryException(at, "'" + group + "' is not a valid group name", "group names have no spaces");
                }
                b.group(group, at);
                continue;
            }
            switch (state) {
                case "vars" -> {
                    int eq = line.indexOf('=');
                    if (eq < 0) {
                        throw new InventoryException(at, "[" + group + ":vars] line '" + line + "' is not key=value",
                                "write name=value, one per line");
                    }
                    b.group(group, at).vars.put(line.substring(0, eq).strip(),
                            PythonLiteral.parse(line.substring(eq + 1).strip()));
                }
                case "children" -> b.addChild(group, firstWord(line), at);
                default -> hostLine(line, group, at, b);
            }
        }
    }

    private static String firstWord(String line) {
        return line.split("\\s+", 2)[0];
    }

    private static void hostLine(String line, String group, Location at, InventoryBuilder b) {
        List<String> tokens = ShellWords.split(line, at);
        if (tokens.isEmpty()) {
            return;
        }
        Map<String, Object> vars = new LinkedHashMap<>();
        for (String t : tokens.subList(1, tokens.size())) {
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new InventoryException(at, "expected key=value host variable assignment, got '" + t + "'",
                        "host lines are: NAME [key=value ...]");
            }
            vars.put(t.substring(0, eq), PythonLiteral.parse(t.substring(eq + 1)));
        }
        String pattern = tokens.get(0);
        Object port = null;
        int colon = pattern.lastIndexOf(':');
        if (colon > 0 && colon > pattern.lastIndexOf(']')) {
            String p = pattern.substring(colon + 1);
            if (p.matches("\\d+")) {
                port = Integer.parseInt(p);
                pattern = pattern.substring(0, colon);
            }
        }
        List<String> names = new ArrayList<>(HostRange.expand(pattern, at));
        for (String name : names) {
            Map<String, Object> v = new LinkedHashMap<>(vars);
            if (port != null) {
                v.put("ansible_port", port);
            }
            b.addHost(group, name, v, at);
        }
    }
}
