package dev.hyperform.modules.spdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import dev.hyperform.modules.libvirt.DomainDisks;
import dev.hyperform.transport.ExecResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code spdk_vm_disks}: what a libvirt domain's disks are made of on this host, read only: its vhost-user sockets,
 * the SPDK vhost-blk controllers that serve them, their bdevs and the RBD images and cluster registrations behind
 * those, given back as a declaration {@code spdk_rpc} takes ({@code spdk.rbd_clusters}, {@code spdk.bdevs},
 * {@code spdk.vhost_blk_controllers}) with the same names and bdev UUIDs: another node declaring it serves the same
 * disk under the same socket path. A running domain with a disk that lives on this host alone (a file, a block
 * device) or a vhost-user disk on a malloc bdev is refused: a live migration would leave that disk behind.
 */
public final class SpdkVmDisksModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Read a libvirt domain's disks and the SPDK declaration that serves its vhost-user disks (read only).")
            .arg(ArgDef.required("domain", ArgType.STRING, "the libvirt domain's name"))
            .arg(ArgDef.optional("spdk_socket", ArgType.PATH, "/var/tmp/spdk.sock", "the SPDK target's RPC socket on this host"))
            .arg(ArgDef.optional("rpc_timeout", ArgType.INT, 30L, "seconds to wait for SPDK's answers"))
            .example("- spdk_vm_disks: {domain: vm1}\n  register: disks\n- spdk_rpc: \"${disks.spdk}\"\n  delegate_to: node2")
            .build();

    @Override
    public String name() {
        return "spdk_vm_disks";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        String domain = args.string("domain");
        Map<String, Object> values = new LinkedHashMap<>();
        ExecResult st = target.probe(Command.of("virsh", "domstate", "--", domain));
        String state = st.ok() ? st.out().strip() : "absent";
        values.put("state", state);
        values.put("running", state.equals("running"));
        Map<String, Object> spdk = new LinkedHashMap<>(Map.of("rbd_clusters", List.of(), "bdevs", List.of(), "vhost_blk_controllers", List.of()));
        values.put("spdk", spdk);
        values.put("sockets", List.of());
        values.put("local_disks", List.of());
        if (!st.ok()) {
            return Change.none("no domain " + domain + " on this host").withValues(values);
        }
        ExecResult xml = target.probe(Command.of("virsh", "dumpxml", "--", domain));
        if (!xml.ok()) {
            throw new ModuleException("virsh dumpxml " + domain + " failed: " + xml.err().strip(), "is libvirtd running?");
        }
        List<DomainDisks.Disk> disks = DomainDisks.of(domain, xml.out());
        List<String> sockets = disks.stream().filter(d -> d.type().equals("vhostuser")).map(DomainDisks.Disk::source).toList();
        List<String> local = disks.stream().filter(DomainDisks.Disk::local).map(DomainDisks.Disk::toString).toList();
        values.put("sockets", sockets);
        values.put("local_disks", local);
        if (!local.isEmpty() && state.equals("running")) {
            throw new ModuleException("domain " + domain + " has disks on this host alone: " + String.join(", ", local)
                    + "; a live migration would leave them behind",
                    "put the disk on RBD (a vhost-user disk the SPDK target serves from an RBD image, or an rbd network disk), or shut the VM down and move it cold");
        }
        if (!sockets.isEmpty()) {
            declare(target, domain, sockets, args, spdk);
        }
        return Change.none(domain + " " + state + "; vhost-user disks " + sockets + (local.isEmpty() ? "" : ", local disks " + local)).withValues(values);
    }

    private static void declare(Target target, String domain, List<String> sockets, Args args, Map<String, Object> spdk) {
        String rpc = args.string("spdk_socket");
        List<SpdkRpc.Answer> a = SpdkRpc.probe(target, rpc, TargetState.PROBES, args.integer("rpc_timeout"));
        TargetState have = TargetState.of(a);
        Map<String, JsonNode> clusterInfo = new LinkedHashMap<>();
        if (a.get(2).ok()) {
            JsonNode r = a.get(2).result();
            (r.isArray() ? r : SpdkRpc.JSON.createArrayNode().add(r)).forEach(c -> clusterInfo.put(c.path("cluster_name").asText(), c));
        }
        List<Object> controllers = new ArrayList<>();
        List<Object> bdevs = new ArrayList<>();
        Map<String, Object> clusters = new LinkedHashMap<>();
        for (String socket : sockets) {
            Map.Entry<String, JsonNode> c = have.controllers().entrySet().stream()
                    .filter(e -> socket.equals(e.getValue().path("socket").asText(null)) || socket.endsWith("/" + e.getKey())).findFirst()
                    .orElseThrow(() -> new ModuleException("domain " + domain + "'s vhost-user disk " + socket + " has no SPDK controller on this host"
                            + " (controllers: " + have.controllers().keySet() + ")", "declare it with spdk_rpc (vhost_blk_controllers) or fix the domain's socket"));
            String bdevName = TargetState.bdevOf(c.getValue());
            JsonNode bdev = have.bdevs().get(have.canonical(bdevName));
            JsonNode rbd = bdev == null ? null : bdev.path("driver_specific").get("rbd");
            if (rbd == null) {
                throw new ModuleException("domain " + domain + "'s disk " + socket + " (controller " + c.getKey() + ") is on bdev '" + bdevName
                        + "', which is not an RBD bdev: its data is on this host alone", "put the VM's disk on an RBD bdev to migrate it live");
            }
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("name", bdevName);
            b.put("type", "rbd");
            b.put("pool_name", rbd.path("pool_name").asText());
            b.put("rbd_name", rbd.path("rbd_name").asText());
            b.put("block_size", bdev.path("block_size").asLong());
            if (bdev.hasNonNull("uuid")) {
                b.put("uuid", bdev.path("uuid").asText());
            }
            String cluster = rbd.path("cluster_name").asText("");
            if (cluster.isEmpty() && clusterInfo.size() == 1) {
                cluster = clusterInfo.keySet().iterator().next();
            }
            if (!cluster.isEmpty()) {
                b.put("cluster_name", cluster);
                JsonNode info = clusterInfo.get(cluster);
                if (info == null) {
                    throw new ModuleException("bdev " + bdevName + " names RBD cluster '" + cluster + "', which SPDK does not list", "is this an SPDK vhost target (v23.09)?");
                }
                Map<String, Object> decl = new LinkedHashMap<>();
                decl.put("name", cluster);
                info.fields().forEachRemaining(f -> {
                    if (!f.getKey().equals("cluster_name")) {
                        decl.put(f.getKey(), SpdkRpc.JSON.convertValue(f.getValue(), Object.class));
                    }
                });
                clusters.put(cluster, decl);
            } else if (clusterInfo.size() > 1) {
                throw new ModuleException("bdev " + bdevName + " does not say which of the RBD clusters " + clusterInfo.keySet() + " it uses",
                        "declare its cluster on the destination yourself (spdk_rpc rbd_clusters) and migrate again");
            } else {
                rbd.fields().forEachRemaining(f -> {
                    if (f.getKey().equals("user_id") || f.getKey().equals("config")) {
                        b.put(f.getKey(), SpdkRpc.JSON.convertValue(f.getValue(), Object.class));
                    }
                });
            }
            bdevs.add(b);
            Map<String, Object> ctrl = new LinkedHashMap<>();
            ctrl.put("ctrlr", c.getKey());
            ctrl.put("dev_name", bdevName);
            if (c.getValue().hasNonNull("cpumask")) {
                ctrl.put("cpumask", c.getValue().path("cpumask").asText());
            }
            controllers.add(ctrl);
        }
        spdk.put("rbd_clusters", new ArrayList<>(clusters.values()));
        spdk.put("bdevs", bdevs);
        spdk.put("vhost_blk_controllers", controllers);
    }
}
