package dev.hyperform.inventory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Hosts, groups and their variables, with Ansible's semantics: group membership is inherited upwards through
 * {@code children}, variables merge in Ansible's order (inventory group vars by depth, priority and name, then
 * group_vars files — {@code all} first — then host vars and host_vars files; playbook-adjacent files over
 * inventory-adjacent ones).
 */
public final class Inventory {
    private final Map<String, GroupDef> groups;
    private final List<String> hostOrder;
    private final Map<String, Map<String, Object>> inlineHostVars;
    private final List<VarsDirectory> inventoryDirs;
    private final List<VarsDirectory> playbookDirs;
    // replaced whole when add_host or group_by change the inventory, so readers on other threads see one state
    private volatile Map<String, List<String>> groupHosts = Map.of();
    private volatile Map<String, List<String>> hostGroups = Map.of();
    private volatile Map<String, Host> hosts = Map.of();

    private Inventory(Map<String, GroupDef> groups, List<String> hostOrder, Map<String, Map<String, Object>> inline,
                      List<VarsDirectory> inventoryDirs, List<VarsDirectory> playbookDirs) {
        this.groups = groups;
        this.hostOrder = hostOrder;
        this.inlineHostVars = inline;
        this.inventoryDirs = inventoryDirs;
        this.playbookDirs = playbookDirs;
        computeMembership();
    }

    static Inventory from(InventoryBuilder b) {
        List<VarsDirectory> dirs = new ArrayList<>();
        for (Path d : new LinkedHashSet<>(b.varsDirs)) {
            dirs.add(new VarsDirectory(d));
        }
        return new Inventory(b.groups, new ArrayList<>(b.hostVars.keySet()), b.hostVars, dirs, List.of());
    }

    /** Membership, then every host's merged variables, from the groups and hosts as they are now. */
    private void computeMembership() {
        Map<String, List<String>> groupHosts = new LinkedHashMap<>();
        Map<String, List<String>> hostGroups = new LinkedHashMap<>();
        GroupDef ungrouped = groups.get("ungrouped");
        Map<String, Set<String>> direct = new LinkedHashMap<>();
        for (GroupDef g : groups.values()) {
            for (String h : g.hosts) {
                direct.computeIfAbsent(h, k -> new LinkedHashSet<>()).add(g.name);
            }
        }
        // as Ansible's reconcile_inventory: a host listed before any section (or under ungrouped) that also belongs
        // to another group leaves ungrouped
        for (Map.Entry<String, Set<String>> e : direct.entrySet()) {
            Set<String> in = e.getValue();
            if (in.contains("ungrouped") && in.stream().anyMatch(g -> !g.equals("ungrouped") && !g.equals("all"))) {
                ungrouped.hosts.remove(e.getKey());
                in.remove("ungrouped");
            }
        }
        for (String h : hostOrder) {
            if (!direct.containsKey(h)) {
                ungrouped.hosts.add(h);
                direct.computeIfAbsent(h, k -> new LinkedHashSet<>()).add("ungrouped");
            }
        }
        for (GroupDef g : groups.values()) {
            Set<String> members = new LinkedHashSet<>();
            collect(g, members, new LinkedHashSet<>());
            List<String> ordered = new ArrayList<>();
            if (g.name.equals("all")) {
                ordered.addAll(hostOrder);
            } else {
                // a group lists its children's hosts first, then its own, as Ansible does
                ordered.addAll(members);
            }
            groupHosts.put(g.name, Collections.unmodifiableList(ordered));
        }
        Map<String, List<String>> byHost = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : groupHosts.entrySet()) {
            if (!e.getKey().equals("all")) {
                for (String h : e.getValue()) {
                    byHost.computeIfAbsent(h, k -> new ArrayList<>()).add(e.getKey());
                }
            }
        }
        for (String h : hostOrder) {
            List<String> names = byHost.getOrDefault(h, new ArrayList<>());
            Collections.sort(names);
            hostGroups.put(h, List.copyOf(names));
        }
        this.groupHosts = Collections.unmodifiableMap(groupHosts);
        this.hostGroups = hostGroups;
        Map<String, Host> merged = new LinkedHashMap<>();
        for (String h : hostOrder) {
            merged.put(h, new Host(h, mergedVars(h)));
        }
        this.hosts = merged;
    }

    /**
     * {@code add_host}: the host (new or known) gets these variables over its own and joins these groups (new
     * ones hang under {@code all}); true when anything changed, as ansible-core's {@code add_dynamic_host} says.
     */
    public synchronized boolean addHost(String name, Map<String, Object> vars, List<String> groupNames) {
        boolean changed = false;
        if (!inlineHostVars.containsKey(name)) {
            inlineHostVars.put(name, new LinkedHashMap<>());
            hostOrder.add(name);
            changed = true;
        }
        Map<String, Object> own = inlineHostVars.get(name);
        Map<String, Object> combined = new LinkedHashMap<>(own);
        combined.putAll(vars);
        if (!combined.equals(own)) {
            own.putAll(vars);
            changed = true;
        }
        for (String g : groupNames) {
            changed |= ensureGroup(g, "all");
            changed |= groups.get(g).hosts.add(name);
        }
        computeMembership();
        return changed;
    }

    /**
     * {@code group_by}: the host joins the group, which becomes a child of each parent (created under {@code all}
     * when new); true when a parent was created, a parent gained the group, or the host joined it.
     */
    public synchronized boolean addToGroup(String host, String group, List<String> parents) {
        boolean changed = false;
        ensureGroup(group, null);
        for (String p : parents) {
            changed |= ensureGroup(p, "all");
        }
        GroupDef g = groups.get(group);
        for (String p : parents) {
            if (groups.get(p).children.add(group)) {
                g.parents.add(p);
                changed = true;
            }
        }
        if (g.parents.isEmpty()) {
            groups.get("all").children.add(group);
            g.parents.add("all");
        }
        changed |= g.hosts.add(host);
        depths(groups.get("all"), 0, new LinkedHashSet<>());
        computeMembership();
        return changed;
    }

    /** Creates the group when it is missing (under {@code parent} if given); true when it was created. */
    private boolean ensureGroup(String name, String parent) {
        if (groups.containsKey(name)) {
            return false;
        }
        GroupDef g = new GroupDef(name, dev.hyperform.error.Location.UNKNOWN);
        groups.put(name, g);
        if (parent != null) {
            groups.get(parent).children.add(name);
            g.parents.add(parent);
            g.depth = groups.get(parent).depth + 1;
        }
        return true;
    }

    private void depths(GroupDef g, int depth, Set<String> path) {
        if (!path.add(g.name)) {
            return;
        }
        g.depth = Math.max(g.depth, depth);
        for (String c : g.children) {
            depths(groups.get(c), depth + 1, path);
        }
        path.remove(g.name);
    }

    private void collect(GroupDef g, Set<String> out, Set<String> seen) {
        if (!seen.add(g.name)) {
            return;
        }
        for (String c : g.children) {
            collect(groups.get(c), out, seen);
        }
        out.addAll(g.hosts);
    }

    /** Groups of a host including {@code all}, sorted as Ansible merges them: depth, priority, name. */
    private List<GroupDef> sortedGroupsOf(String host) {
        List<GroupDef> gs = new ArrayList<>();
        gs.add(groups.get("all"));
        for (String n : hostGroups.getOrDefault(host, List.of())) {
            gs.add(groups.get(n));
        }
        gs.sort(Comparator.comparingInt((GroupDef g) -> g.depth).thenComparingInt(GroupDef::priority)
                .thenComparing(g -> g.name));
        return gs;
    }

    private Map<String, Object> mergedVars(String host) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<GroupDef> sorted = sortedGroupsOf(host);
        for (GroupDef g : sorted) {
            m.putAll(g.vars);
        }
        m.remove("ansible_group_priority"); // a property of the group, not a variable (as in Ansible)
        inventoryDirs.forEach(d -> m.putAll(d.group("all")));
        playbookDirs.forEach(d -> m.putAll(d.group("all")));
        for (GroupDef g : sorted) {
            if (!g.name.equals("all")) {
                inventoryDirs.forEach(d -> m.putAll(d.group(g.name)));
            }
        }
        for (GroupDef g : sorted) {
            if (!g.name.equals("all")) {
                playbookDirs.forEach(d -> m.putAll(d.group(g.name)));
            }
        }
        m.putAll(inlineHostVars.getOrDefault(host, Map.of()));
        inventoryDirs.forEach(d -> m.putAll(d.host(host)));
        playbookDirs.forEach(d -> m.putAll(d.host(host)));
        return m;
    }

    /** Every host, in inventory order (the order {@code all} lists them). */
    public List<Host> hosts() {
        return List.copyOf(hosts.values());
    }

    /** A host by name; {@code localhost} is implicit (local connection) when the inventory does not name it. */
    public Optional<Host> host(String name) {
        Host h = hosts.get(name);
        if (h == null && (name.equals("localhost") || name.equals("127.0.0.1"))) {
            Map<String, Object> vars = new LinkedHashMap<>(groups.get("all").vars);
            vars.put("ansible_connection", "local");
            return Optional.of(new Host(name, vars));
        }
        return Optional.ofNullable(h);
    }

    /**
     * Hosts matching an Ansible host pattern, in inventory order.
     *
     * @throws InventoryException (INVALID_INPUT) for a malformed pattern
     */
    public List<Host> select(String pattern) {
        List<Host> out = new ArrayList<>();
        for (String name : HostPattern.select(pattern, this)) {
            host(name).ifPresent(out::add);
        }
        return out;
    }

    /** Group name to its hosts (all descendants), in inventory order; includes {@code all} and {@code ungrouped}. */
    public Map<String, List<String>> groups() {
        return Collections.unmodifiableMap(groupHosts);
    }

    /** The groups a host is in ({@code group_names}: sorted, without {@code all}). */
    public List<String> groupNames(String host) {
        return hostGroups.getOrDefault(host, List.of());
    }

    /** Direct children of a group, in the order written. */
    public List<String> children(String group) {
        GroupDef g = groups.get(group);
        return g == null ? List.of() : List.copyOf(g.children);
    }

    /** Hosts written directly in a group (not through children), in the order written. */
    public List<String> directHosts(String group) {
        GroupDef g = groups.get(group);
        return g == null ? List.of() : List.copyOf(g.hosts);
    }

    List<String> hostNames() {
        return hostOrder;
    }

    /**
     * The same inventory, with {@code group_vars/} and {@code host_vars/} beside the playbook also applied, at
     * their Ansible precedence.
     */
    public Inventory withPlaybookDir(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        for (VarsDirectory d : inventoryDirs) {
            if (d.isFor(abs)) {
                return this;
            }
        }
        return new Inventory(groups, hostOrder, inlineHostVars, inventoryDirs, List.of(new VarsDirectory(abs)));
    }
}
