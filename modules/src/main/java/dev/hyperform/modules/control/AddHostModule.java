package dev.hyperform.modules.control;

import dev.hyperform.error.Failure;
import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code add_host}: put a host (and its groups and variables) into the run's in-memory inventory, as ansible-core's
 * action does: it runs once per play (it bypasses the host loop), the runner applies the {@code add_host} value of
 * the result to the inventory and reports changed when the host, one of its variables or a group membership is new.
 */
public final class AddHostModule implements Module {
    /** ansible-core 2.14's special arguments: every other argument (even host and group) becomes a host variable. */
    private static final Set<String> SPECIAL = Set.of("name", "hostname", "groupname", "groups");
    private static final ArgSpec SPEC = ArgSpec.builder("Add a host to the in-memory inventory for the rest of the run"
                    + " (runs once per play; with a loop, once per item).")
            .arg(ArgDef.optional("name", ArgType.STRING, null, "the host's name; host:port sets ansible_ssh_port"
                    + " (aliases hostname, host)"))
            .arg(ArgDef.optional("hostname", ArgType.STRING, null, "alias of name"))
            .arg(ArgDef.optional("host", ArgType.STRING, null, "alias of name (also kept as a host variable, as Ansible does)"))
            .arg(ArgDef.optional("groups", ArgType.ANY, null, "groups to put the host in: a list or a comma-separated"
                    + " string (aliases groupname, group); new groups hang under all"))
            .arg(ArgDef.optional("groupname", ArgType.ANY, null, "alias of groups"))
            .arg(ArgDef.optional("group", ArgType.ANY, null, "alias of groups (also kept as a host variable, as Ansible does)"))
            .arg(ArgDef.optional(ArgSpec.ANY_KEY, ArgType.ANY, null, "any other name: value is a host variable"
                    + " (ansible_host, ansible_port, ansible_user, ansible_ssh_private_key_file, ansible_connection ...)"))
            .example("- add_host:\n    name: ${item.name}\n    groups: guests\n    ansible_host: ${item.ip}\n"
                    + "    ansible_user: debian\n  loop: ${vms}")
            .build();

    @Override
    public String name() {
        return "add_host";
    }

    @Override
    public boolean bypassHostLoop() {
        return true;
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        Map<String, Object> a = args.values();
        Object written = first(a, "name", "hostname", "host");
        if (written == null) {
            throw new ModuleException(Failure.INVALID_INPUT, args.location(), "add_host needs the host's name",
                    "write name: (or hostname:, host:)");
        }
        String name = String.valueOf(written);
        Map<String, Object> vars = new LinkedHashMap<>();
        a.forEach((k, v) -> {
            if (!SPECIAL.contains(k)) {
                vars.put(k, v);
            }
        });
        int colon = name.lastIndexOf(':');
        if (colon > 0 && name.indexOf(':') == colon && name.substring(colon + 1).matches("\\d+")) {
            vars.put("ansible_ssh_port", Integer.parseInt(name.substring(colon + 1)));
            name = name.substring(0, colon);
        }
        List<String> groups = groups(first(a, "groupname", "groups", "group"), args);
        Map<String, Object> added = new LinkedHashMap<>();
        added.put("host_name", name);
        added.put("groups", groups);
        added.put("host_vars", vars);
        return Change.none("add host " + name + (groups.isEmpty() ? "" : " to " + String.join(", ", groups)))
                .withValues(Map.of("add_host", added));
    }

    private static Object first(Map<String, Object> a, String... keys) {
        for (String k : keys) {
            if (a.get(k) != null) {
                return a.get(k);
            }
        }
        return null;
    }

    private static List<String> groups(Object given, Args args) {
        List<String> out = new ArrayList<>();
        if (given == null || "".equals(given)) {
            return out;
        }
        List<?> raw;
        if (given instanceof List<?> l) {
            raw = l;
        } else if (given instanceof String s) {
            raw = List.of(s.split(","));
        } else {
            throw new ModuleException(Failure.INVALID_INPUT, args.location(), "add_host: groups must be a list, got "
                    + given, "write groups: [a, b] or groups: a,b");
        }
        for (Object g : raw) {
            String name = String.valueOf(g).strip();
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }
}
