package dev.hyperform.playbook;

import dev.hyperform.inventory.Host;
import dev.hyperform.inventory.Inventory;
import dev.hyperform.vars.Expressions;
import dev.hyperform.vars.LazyScope;
import dev.hyperform.vars.Origin;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The variables a task sees on one host, built by {@code syntax-check} without connecting anywhere: the layers of a
 * run in a run's order (docs/variables.md; run.HostScope builds them during a run) — role defaults, the inventory's
 * variables of the host, play vars, vars_files, role vars, block vars, task vars, role params, extra vars — then the
 * magic variables ({@code inventory_hostname}, {@code groups}, {@code hostvars} ...), resolved lazily so variables
 * may refer to each other. What only a run knows is absent: facts, vars_prompt answers, registered results and
 * set_fact values, include_tasks parameters and loop variables.
 *
 * @param varsFiles the play's vars_files whose names hold no expression, merged in order
 * @param inventory the inventory given with {@code -i}, or null (then there is no host layer)
 * @param hosts     the hosts the play would run on (empty without an inventory)
 */
record OfflineScope(Play play, Map<String, Object> varsFiles, Inventory inventory, List<Host> hosts,
                    Map<String, Object> extraVars) {

    /** The scope of task {@code t} under {@code blockVars} (outermost first) on {@code host} (null: no inventory). */
    Map<String, Object> of(Task t, List<Map<String, Object>> blockVars, Host host, Expressions expressions) {
        Map<String, Object> m = new LinkedHashMap<>();
        RoleRef role = t.role();
        if (role != null) {
            m.putAll(role.defaults());
        }
        if (host != null) {
            m.putAll(host.vars());
        }
        m.putAll(play.vars());
        m.putAll(varsFiles);
        if (role != null) {
            m.putAll(role.vars());
        }
        blockVars.forEach(m::putAll);
        if (t.options().vars() != null) {
            m.putAll(t.options().vars());
        }
        if (role != null) {
            m.putAll(role.params());
        }
        m.putAll(extraVars);
        List<String> names = hosts.stream().map(Host::name).toList();
        if (host != null) {
            m.put("inventory_hostname", host.name());
            m.put("inventory_hostname_short", host.name().split("\\.", 2)[0]);
            m.put("group_names", inventory.groupNames(host.name()));
            m.put("groups", inventory.groups());
            m.put("hostvars", hostvars(expressions));
        }
        m.put("play_hosts", names);
        m.put("ansible_play_hosts", names);
        m.put("ansible_play_hosts_all", names);
        m.put("ansible_play_batch", names);
        m.put("ansible_check_mode", false);
        m.put("ansible_diff_mode", false);
        m.put("playbook_dir", play.baseDir().toAbsolutePath().normalize().toString());
        if (role != null) {
            m.put("role_name", role.name());
            m.put("role_path", role.dir().toAbsolutePath().normalize().toString());
        }
        return new LazyScope(m, expressions, new Origin(host == null ? "syntax-check" : host.name(), t.displayName(),
                t.location()));
    }

    /** {@code hostvars}: every inventory host's own variables with the play's vars, as a run shows them. */
    private Map<String, Object> hostvars(Expressions expressions) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (Host h : inventory.hosts()) {
            Map<String, Object> v = new LinkedHashMap<>(h.vars());
            v.putAll(play.vars());
            v.putAll(extraVars);
            v.put("inventory_hostname", h.name());
            all.put(h.name(), new LazyScope(v, expressions, new Origin(h.name(), null, play.location())));
        }
        return all;
    }
}
