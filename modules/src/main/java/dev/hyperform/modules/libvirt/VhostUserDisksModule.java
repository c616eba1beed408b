package dev.hyperform.modules.libvirt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.module.Target;
import dev.hyperform.transport.ExecResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code vhost_user_disks}: the vhost-user-blk disks of the node's running libvirt domains whose sockets are in
 * SPDK's socket directory, and whether QEMU has each one connected, read from QEMU itself (QMP
 * {@code query-chardev} through {@code virsh qemu-monitor-command}: a client socket QEMU lost shows as
 * {@code disconnected:unix:PATH} until it reconnects). It changes nothing. It refuses a disk without
 * {@code reconnect} on its chardev (restarting SPDK would take the VM's disk away for good) unless
 * {@code refuse_unsafe: false}, and a disk whose controller is not among {@code controllers} (nothing would
 * serve it again). With {@code wait: connected} it polls until every disk is connected and reports, per VM, the
 * seconds from {@code since} (when SPDK went down, epoch seconds on the node's clock) to the moment QEMU was
 * seen connected again: the disk's I/O pause as the host sees it. In check mode it does not wait.
 */
public final class VhostUserDisksModule implements Module {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String LIST = "command -v virsh >/dev/null || exit 0; for d in $(virsh list --name --state-running); do "
            + "printf '\\n@@HF-DOMAIN %s\\n' \"$d\"; virsh dumpxml \"$d\" || exit 1; done";
    static final String POLL = "for d in \"$@\"; do printf '@@HF-DOMAIN %s %s\\n' \"$d\" \"$(date +%s.%N)\"; "
            + "virsh qemu-monitor-command \"$d\" '{\"execute\":\"query-chardev\"}' || printf '{}'; printf '\\n'; done";
    private static final long POLL_MS = 200;
    private static final ArgSpec SPEC = ArgSpec.builder("The vhost-user-blk disks of the node's running libvirt VMs on SPDK's sockets, their reconnect setting and whether QEMU has them connected; optionally wait until all are.")
            .arg(ArgDef.optional("socket_dir", ArgType.PATH, "/var/tmp", "SPDK's controller socket directory (-S): only disks whose socket is in it"))
            .arg(ArgDef.optional("refuse_unsafe", ArgType.BOOL, true, "fail when a disk's chardev has no reconnect (the VM would lose its disk when SPDK "
                    + "restarts) or, with controllers, when a disk's socket is not one of them"))
            .arg(ArgDef.optional("controllers", ArgType.LIST, null, "controller names that will serve the disks again"))
            .arg(ArgDef.optional("wait", ArgType.STRING, "none", "none, or connected: poll until QEMU has every disk connected"))
            .arg(ArgDef.optional("since", ArgType.STRING, null, "epoch seconds (node clock) when SPDK went down: each VM's pause is counted from it"))
            .arg(ArgDef.optional("timeout", ArgType.INT, 300L, "seconds to wait with wait: connected"))
            .example("- vhost_user_disks: {socket_dir: /var/tmp, wait: connected, since: \"${t_down}\"}\n  register: disks")
            .build();

    @Override
    public String name() {
        return "vhost_user_disks";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        String dir = args.string("socket_dir").replaceAll("/+$", "");
        String wait = args.string("wait");
        if (!wait.equals("none") && !wait.equals("connected")) {
            throw new ModuleException("vhost_user_disks: wait is '" + wait + "'", "use wait: none or wait: connected");
        }
        List<VhostUserDisk> disks = list(target, dir);
        List<String> wrong = new ArrayList<>();
        boolean refuse = args.bool("refuse_unsafe");
        if (refuse) {
            for (VhostUserDisk d : disks) {
                if (d.reconnect() == null) {
                    wrong.add(d.where() + " has no reconnect on its vhost-user chardev: it would lose its disk for good when SPDK restarts");
                }
            }
        }
        if (refuse && args.has("controllers") && args.list("controllers") != null) {
            Set<String> served = new LinkedHashSet<>(args.strings("controllers"));
            for (VhostUserDisk d : disks) {
                if (!served.contains(d.controller())) {
                    wrong.add(d.where() + " needs controller '" + d.controller() + "', which is neither recorded nor declared " + served);
                }
            }
        }
        if (!wrong.isEmpty()) {
            throw new ModuleException("on " + target.host() + ": " + String.join("; ", wrong),
                    "give the disk a reconnect (libvirt: <source type='unix' path='...'><reconnect enabled='yes' timeout='1'/></source>, "
                            + "libvirt_domain: reconnect: 1; QEMU: -chardev socket,...,reconnect=1) and restart or migrate the VM, "
                            + "or declare the missing controller (spdk_vhost_blk_controllers), or move the VM away first; "
                            + "spdk_recover_force: true goes ahead anyway. SPDK and the VMs were not touched");
        }
        Map<String, Double> seen = new LinkedHashMap<>();
        Set<String> vms = new LinkedHashSet<>();
        disks.forEach(d -> vms.add(d.vm()));
        Map<String, Boolean> connected = poll(target, vms, disks, seen);
        boolean waited = wait.equals("connected") && !target.checkMode();
        if (waited) {
            long deadline = System.nanoTime() + args.integer("timeout") * 1_000_000_000L;
            while (connected.containsValue(false) && System.nanoTime() < deadline) {
                sleep();
                connected = poll(target, vms, disks, seen);
            }
            if (connected.containsValue(false)) {
                List<String> missing = new ArrayList<>();
                disks.stream().filter(d -> !connected(d, seen)).forEach(d -> missing.add(d.where()));
                throw new ModuleException("on " + target.host() + ": QEMU did not reconnect " + missing + " within " + args.integer("timeout") + " s",
                        "is the controller served again (vhost_get_controllers on SPDK's RPC socket)? see the VM's QEMU log "
                                + "(/var/log/libvirt/qemu/VM.log) and journalctl -u spdk-vhost");
            }
        }
        Double since = args.optString("since").filter(s -> !s.isBlank()).map(Double::parseDouble).orElse(null);
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Object> pauses = new LinkedHashMap<>();
        for (VhostUserDisk d : disks) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("vm", d.vm());
            m.put("disk", d.disk());
            m.put("socket", d.socket());
            m.put("chardev", d.chardev());
            m.put("reconnect", d.reconnect());
            m.put("connected", connected(d, seen));
            if (waited && since != null && seen.containsKey(key(d))) {
                double pause = Math.round((seen.get(key(d)) - since) * 1000) / 1000.0;
                m.put("pause_s", pause);
                pauses.merge(d.vm(), pause, (a, b) -> Math.max((Double) a, (Double) b));
            }
            out.add(m);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("disks", out);
        values.put("vms", new ArrayList<>(vms));
        values.put("pauses", pauses);
        String summary = disks.size() + " vhost-user disk(s) on " + dir + " in " + vms.size() + " VM(s)"
                + (waited ? ", all reconnected" + (pauses.isEmpty() ? "" : "; pause per VM (s): " + pauses) : "")
                + (wait.equals("connected") && target.checkMode() ? " (check mode: not waited)" : "");
        return new Change(summary, List.of(), List.of(), values, Map.of(), false);
    }

    @Override
    public ModuleResult apply(Target target, Args args, Change change) {
        return ModuleResult.ok(change.summary(), change.values());
    }

    private static List<VhostUserDisk> list(Target target, String dir) {
        ExecResult r = target.probe(Command.sh(LIST));
        if (!r.ok()) {
            throw new ModuleException("could not read the running libvirt domains on " + target.host() + ": " + r.err().strip(),
                    "is libvirtd running? try: virsh list");
        }
        List<VhostUserDisk> out = new ArrayList<>();
        for (String part : r.out().split("\n@@HF-DOMAIN ")) {
            int nl = part.indexOf('\n');
            if (part.isBlank() || nl < 0) {
                continue;
            }
            for (VhostUserDisk d : VhostUserDisk.of(part.substring(0, nl).strip(), part.substring(nl + 1))) {
                if (d.socket().startsWith(dir + "/") && d.socket().indexOf('/', dir.length() + 1) < 0) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    /** Each disk's chardev state now; the first time a disk is seen connected is kept in seen (node clock). */
    private static Map<String, Boolean> poll(Target target, Set<String> vms, List<VhostUserDisk> disks, Map<String, Double> seen) {
        Map<String, Boolean> state = new LinkedHashMap<>();
        if (vms.isEmpty()) {
            return state;
        }
        ExecResult r = target.probe(Command.sh(POLL, new ArrayList<>(vms)));
        Map<String, JsonNode> chardevs = new LinkedHashMap<>();
        Map<String, Double> when = new LinkedHashMap<>();
        String vm = null;
        for (String line : r.out().split("\n")) {
            if (line.startsWith("@@HF-DOMAIN ")) {
                String[] f = line.split(" ");
                vm = f[1];
                when.put(vm, Double.parseDouble(f[2]));
            } else if (vm != null && !line.isBlank()) {
                String current = vm;
                try {
                    JSON.readTree(line).path("return").forEach(c -> chardevs.put(current + "/" + c.path("label").asText(), c));
                } catch (IOException e) {
                    // a monitor that answered nothing usable: the disk counts as not connected this round
                }
            }
        }
        for (VhostUserDisk d : disks) {
            JsonNode c = chardevs.get(key(d));
            boolean up = c != null && !c.path("filename").asText().startsWith("disconnected:");
            state.put(key(d), up);
            if (up) {
                seen.putIfAbsent(key(d), when.get(d.vm()));
            }
        }
        return state;
    }

    private static boolean connected(VhostUserDisk d, Map<String, Double> seen) {
        return seen.containsKey(key(d));
    }

    private static String key(VhostUserDisk d) {
        return d.vm() + "/" + d.chardev();
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModuleException("interrupted while waiting for the vhost-user disks to reconnect", "run the play again");
        }
    }
}
