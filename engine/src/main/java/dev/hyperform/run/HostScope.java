package dev.hyperform.run;

import dev.hyperform.playbook.RoleRef;
import dev.hyperform.vars.Expressions;
import dev.hyperform.vars.LazyScope;
import dev.hyperform.vars.Origin;
import java.util.AbstractMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the variables a task sees on one host, lowest precedence first (documented in docs/variables.md):
 * role defaults, inventory vars (group, group_vars, host, host_vars — merged by the inventory), facts, play vars,
 * vars_prompt, vars_files, role vars, block vars, task vars, set_fact/registered, role params, include params,
 * extra vars; then the magic variables ({@code inventory_hostname}, {@code groups}, {@code hostvars} ...), which
 * cannot be overridden.
 *
 * <p>Values are resolved lazily: a variable whose value holds {@code ${...}} is interpolated when it is read, in
 * the same scope, so {@code vars: {url: "http://${host}:${port}"}} works whatever order the layers came in.
 */
final class HostScope {
    private HostScope() {
    }

    static Map<String, Object> build(PlayContext play, HostState host, Inherited inh, Map<String, Object> taskVars,
                                     Map<String, Object> loopVars, Expressions expressions,
                                     Map<String, HostState> allHosts) {
        Map<String, Object> m = new LinkedHashMap<>();
        RoleRef role = inh.role();
        if (role != null) {
            m.putAll(role.defaults());
        }
        m.putAll(host.host.vars());
        m.put("facts", host.facts);
        m.put("ansible_facts", host.facts);
        m.putAll(play.playVars());
        m.putAll(play.promptVars());
        m.putAll(play.varsFiles());
        if (role != null) {
            m.putAll(role.vars());
        }
        inh.blockVars().forEach(m::putAll);
        m.putAll(taskVars);
        m.putAll(host.hostFacts);
        if (role != null) {
            m.putAll(role.params());
        }
        m.putAll(inh.includeParams());
        m.putAll(loopVars);
        m.putAll(play.options().extraVars());
        m.put("inventory_hostname", host.name());
        m.put("inventory_hostname_short", host.name().split("\\.", 2)[0]);
        m.put("group_names", play.inventory().groupNames(host.name()));
        m.put("groups", play.inventory().groups());
        m.put("play_hosts", play.batchHosts());
        m.put("ansible_play_hosts", play.playHosts());
        m.put("ansible_play_hosts_all", play.playHosts());
        m.put("ansible_play_batch", play.batchHosts());
        m.put("ansible_check_mode", play.options().check());
        m.put("ansible_diff_mode", play.options().diff());
        m.put("playbook_dir", play.playbookDir().toAbsolutePath().normalize().toString());
        if (role != null) {
            m.put("role_name", role.name());
            m.put("role_path", role.dir().toAbsolutePath().normalize().toString());
        }
        if (!host.failedTask.isEmpty()) {
            m.put("ansible_failed_task", host.failedTask);
            m.put("ansible_failed_result", host.failedResult);
        }
        m.put("hostvars", new HostVarsView(play, allHosts, expressions));
        return new LazyScope(m, fromHost(m, host), expressions, new Origin(host.name(), null, play.play().location()));
    }

    /**
     * The names in scope whose values came from the host (registered results, set facts, gathered facts, the failed
     * result): taken as they are, since text holding ${...} there is data, not an expression to evaluate again.
     */
    private static Set<String> fromHost(Map<String, Object> scope, HostState host) {
        Set<String> literal = new HashSet<>();
        host.hostFacts.forEach((k, v) -> {
            if (scope.get(k) == v) {
                literal.add(k);
            }
        });
        literal.addAll(List.of("facts", "ansible_facts", "ansible_failed_task", "ansible_failed_result"));
        return literal;
    }

    /** Play-level scope for a host with no task context (hostvars of other hosts, vars_files paths). */
    static Map<String, Object> forHost(PlayContext play, HostState host, Expressions ex, Map<String, HostState> all) {
        return build(play, host, Inherited.root(), Map.of(), Map.of(), ex, all);
    }

    /**
     * {@code hostvars[name]}: every inventory host's play-level variables, built only for the hosts actually read. As
     * in ansible-core, hosts outside {@code --limit} (or left out by {@code --resume}) are there too, with their
     * inventory variables and no facts.
     */
    static final class HostVarsView extends AbstractMap<String, Object> {
        private final PlayContext play;
        private final Map<String, HostState> all;
        private final Expressions expressions;

        HostVarsView(PlayContext play, Map<String, HostState> all, Expressions expressions) {
            this.play = play;
            this.all = all;
            this.expressions = expressions;
        }

        @Override
        public boolean containsKey(Object key) {
            return all.containsKey(key) || key instanceof String name && play.inventory().host(name).isPresent();
        }

        @Override
        public Object get(Object key) {
            HostState h = all.get(key);
            if (h == null && key instanceof String name) {
                h = play.inventory().host(name).map(HostState::new).orElse(null);
            }
            if (h == null) {
                return null;
            }
            Map<String, Object> m = new LinkedHashMap<>(h.host.vars());
            m.put("facts", h.facts);
            m.put("ansible_facts", h.facts);
            m.putAll(play.playVars());
            m.putAll(h.hostFacts);
            m.putAll(play.options().extraVars());   // as in ansible-core: -e is every host's variable
            m.put("inventory_hostname", h.name());
            return new LazyScope(m, fromHost(m, h), expressions, new Origin(h.name(), null, play.play().location()));
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            Map<String, Object> view = new LinkedHashMap<>();
            for (String name : keySet()) {
                view.put(name, get(name));
            }
            return view.entrySet();
        }

        @Override
        public Set<String> keySet() {
            Set<String> names = new java.util.LinkedHashSet<>();
            play.inventory().hosts().forEach(h -> names.add(h.name()));
            names.addAll(all.keySet());
            return names;
        }
    }
}
