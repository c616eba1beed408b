package dev.hyperform.transport;

import dev.hyperform.inventory.Host;
import dev.hyperform.transport.openssh.OpenSshTransport;
import dev.hyperform.transport.ssh.JumpHop;
import dev.hyperform.transport.ssh.JumpRoute;
import dev.hyperform.transport.ssh.SshEndpoint;
import dev.hyperform.transport.ssh.SshRoute;
import dev.hyperform.transport.ssh.SshTransport;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Turns a host's jump list (ProxyJump, {@code hyperform_jump_host}) into the route its connection takes. A hop that
 * names an inventory host (by inventory name, or by its {@code ansible_host}) tunnels through that host's own
 * persistent connection, reached however that host's own variables say; a hop that is not in the inventory gets one
 * connection for the run, shared by every host that jumps through it the same way, logged in with the hop's user
 * (else the target's), the target's key files and ssh-agent, and checked against the target's known_hosts files under
 * the target's host key policy. Hops before an inventory host in a list must be that host's own jump list.
 */
final class JumpHosts implements AutoCloseable {
    private final Map<String, Host> byName = new LinkedHashMap<>();
    private final Map<String, Host> byAddress = new LinkedHashMap<>();
    private final Function<Host, Transport> transports;
    private final Function<Host, List<JumpHop>> hopsOf;
    private final Consumer<String> warnings;
    private final Runnable onConnect;
    private final Map<String, SshTransport> adHoc = new LinkedHashMap<>();
    private final Function<Host, SshTransport> builtIn;
    /** Built-in connections to inventory hosts that smart gave OpenSSH before they were named as jump hosts. */
    private final Map<String, SshTransport> carriers = new LinkedHashMap<>();

    JumpHosts(Collection<Host> inventory, Function<Host, Transport> transports, Function<Host, SshTransport> builtIn,
              Function<Host, List<JumpHop>> hopsOf, Consumer<String> warnings, Runnable onConnect) {
        this.builtIn = builtIn;
        for (Host h : inventory) {
            byName.put(h.name(), h);
            Object address = Optional.ofNullable(h.vars().get("hyperform_host")).or(() -> Optional.ofNullable(
                    h.vars().get("ansible_host"))).orElse(h.vars().get("ansible_ssh_host"));
            if (address != null) {
                byAddress.putIfAbsent(String.valueOf(address), h);
            }
        }
        this.transports = transports;
        this.hopsOf = hopsOf;
        this.warnings = warnings;
        this.onConnect = onConnect;
    }

    /** The route of {@code target} (whose endpoint, still direct, is {@code direct}) through {@code hops}. */
    synchronized SshRoute route(SshEndpoint direct, List<JumpHop> hops) {
        SshRoute route = SshRoute.DIRECT;
        String chain = "";
        for (int i = 0; i < hops.size(); i++) {
            JumpHop hop = hops.get(i);
            Host h = Optional.ofNullable(byName.get(hop.host())).orElse(byAddress.get(hop.host()));
            SshTransport via;
            if (h != null) {
                via = inventoryJump(direct.name(), hop, h, hops.subList(0, i));
            } else {
                String key = hop + " via [" + chain + "]";
                SshRoute before = route;
                via = adHoc.computeIfAbsent(key, k -> new SshTransport(new SshEndpoint(hop.toString(), hop.host(),
                        hop.port().orElse(22), hop.user().orElse(direct.user()), direct.keyFiles(), Optional.empty(),
                        direct.knownHosts(), direct.policy(), direct.connectTimeout(), direct.keepAlive(),
                        direct.agentSocket(), false, before), warnings, onConnect));
            }
            chain = chain.isEmpty() ? hop.toString() : chain + "," + hop;
            route = new JumpRoute(via);
        }
        return route;
    }

    private SshTransport inventoryJump(String target, JumpHop hop, Host h, List<JumpHop> before) {
        if (h.name().equals(target)) {
            throw new TransportException(target, "names itself as its jump host (" + hop + ")",
                    "remove " + hop + " from this host's ProxyJump / hyperform_jump_host", null);
        }
        if (!before.isEmpty() && !hopsOf.apply(h).equals(before)) {
            throw new TransportException(target, "jump host " + h.name() + " is an inventory host reached "
                    + describe(hopsOf.apply(h)) + ", not through " + join(before) + " as this host's jump list says",
                    "set " + h.name() + "'s own ansible_ssh_common_args (-o ProxyJump=...) or hyperform_jump_host, and "
                            + "name only " + h.name() + " here", null);
        }
        Transport t = transports.apply(h);
        if (t instanceof OpenSshTransport) {
            // smart chose OpenSSH for it before a jump list named it (a host added during the run jumps through it):
            // the tunnels ride a built-in connection of its own
            t = carriers.computeIfAbsent(h.name(), n -> builtIn.apply(h));
        }
        if (!(t instanceof SshTransport ssh)) {
            throw new TransportException(target, "jump host " + h.name() + " uses the local connection, which cannot "
                    + "carry a tunnel", "reach " + target + " directly, or jump through an SSH host", null);
        }
        SshEndpoint e = ssh.endpoint();
        if (hop.user().filter(u -> !u.equals(e.user())).isPresent()
                || (hop.port().isPresent() && hop.port().getAsInt() != e.port())) {
            throw new TransportException(target, "jump host " + hop + " names inventory host " + h.name()
                    + " with another user or port than its own (" + e.user() + ", port " + e.port() + ")",
                    "write only " + h.name() + " in the jump list (its own variables decide how it is reached), or use "
                            + "an address that is not an inventory host's", null);
        }
        return ssh;
    }

    private static String describe(List<JumpHop> hops) {
        return hops.isEmpty() ? "directly" : "through " + join(hops);
    }

    private static String join(List<JumpHop> hops) {
        return String.join(",", hops.stream().map(JumpHop::toString).toList());
    }

    @Override
    public synchronized void close() {
        adHoc.values().forEach(SshTransport::close);
        adHoc.clear();
        carriers.values().forEach(SshTransport::close);
        carriers.clear();
    }
}
