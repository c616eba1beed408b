package dev.hyperform.run;

import dev.hyperform.inventory.Host;
import dev.hyperform.inventory.Inventory;
import dev.hyperform.playbook.Task;
import dev.hyperform.transport.Connections;
import dev.hyperform.transport.Transport;
import dev.hyperform.vars.Expressions;
import dev.hyperform.vars.Origin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link HostTarget} for a task on a host: which connection (the host's own, the delegate's, or local
 * for {@code connection: local}), with which become, environment and timeout, and where controller files are found.
 */
final class TargetFactory {
    private final Inventory inventory;
    private final Connections connections;
    private final Expressions expressions;

    TargetFactory(Inventory inventory, Connections connections, Expressions expressions) {
        this.inventory = inventory;
        this.connections = connections;
        this.expressions = expressions;
    }

    HostTarget target(PlayContext play, Task task, Inherited inh, HostState host, Map<String, Object> scope,
                      boolean check, Origin origin) {
        Host connectTo = connectionHost(host, inh, scope, origin);
        boolean diff = Options.diffMode(inh, play.options(), expressions, scope, origin);
        boolean noLog = Options.truthy(inh.noLog());
        List<Path> dirs = new ArrayList<>();
        if (inh.role() != null && inh.role().dir() != null) {
            dirs.add(inh.role().dir());
        }
        if (task.location().file() != null && task.location().file().getParent() != null) {
            dirs.add(task.location().file().getParent());
        }
        if (play.play().baseDir() != null) {
            dirs.add(play.play().baseDir());
        }
        return new HostTarget(host.name(), () -> transport(connectTo), () -> transport(connectTo).close(), host.facts,
                scope, check, diff, Options.become(inh, expressions, scope, origin),
                Options.environment(inh, expressions, scope, origin), Options.timeout(inh, expressions, scope, origin),
                noLog, dirs, expressions, origin, services);
    }

    private final HostTarget.HostServices services = new HostTarget.HostServices() {
        @Override
        public Transport transportOf(String name) {
            Host h = inventory.host(name).orElseThrow(() -> new dev.hyperform.module.ModuleException(
                    dev.hyperform.error.Failure.INVALID_INPUT, dev.hyperform.error.Location.UNKNOWN,
                    "no host named '" + name + "' in the inventory", "name an inventory host"));
            return transport(h);
        }

        @Override
        public <T> T shared(String key, java.util.function.Supplier<T> create) {
            return connections.shared(key, create);
        }
    };

    private Transport transport(Host h) {
        return connections.get(h);
    }

    private Host connectionHost(HostState host, Inherited inh, Map<String, Object> scope, Origin origin) {
        Host base = host.host;
        if (inh.delegateTo() != null) {
            String name = String.valueOf(expressions.interpolate(inh.delegateTo(), scope, origin));
            base = inventory.host(name).orElseGet(() -> isLocal(name) ? TaskRunner.implicitHost(name)
                    : new Host(name, Map.of()));
        }
        if ("local".equals(inh.connection())) {
            Map<String, Object> vars = new LinkedHashMap<>(base.vars());
            vars.put("ansible_connection", "local");
            base = new Host(base.name(), vars);
        }
        if (inh.remoteUser() != null) {
            Map<String, Object> vars = new LinkedHashMap<>(base.vars());
            vars.put("ansible_user", String.valueOf(expressions.interpolate(inh.remoteUser(), scope, origin)));
            base = new Host(base.name(), vars);
        }
        return base;
    }

    private static boolean isLocal(String name) {
        return name.equals("localhost") || name.equals("127.0.0.1") || name.equals("::1");
    }
}
