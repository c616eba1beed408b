package dev.hyperform.modules.system;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Command;
import dev.hyperform.module.Diff;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.Target;
import dev.hyperform.transport.ExecResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code systemd} (alias {@code service}): a unit's state (started, stopped, restarted, reloaded), whether it is
 * enabled or masked, and daemon-reload. One {@code systemctl show} probe decides what to do.
 */
public final class SystemdModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Start, stop, restart, reload, enable or mask a systemd unit.")
            .arg(ArgDef.optional("name", ArgType.STRING, null, "unit name (.service may be left out)").aliases("unit"))
            .arg(ArgDef.optional("state", ArgType.STRING, null, "started, stopped, restarted or reloaded")
                    .choices("started", "stopped", "restarted", "reloaded"))
            .arg(ArgDef.optional("enabled", ArgType.BOOL, null, "start at boot"))
            .arg(ArgDef.optional("masked", ArgType.BOOL, null, "mask (true) or unmask (false)"))
            .arg(ArgDef.optional("daemon_reload", ArgType.BOOL, false, "run systemctl daemon-reload first").aliases("daemon-reload"))
            .example("- systemd: {name: spdk-vhost, state: started, enabled: true, daemon_reload: true}")
            .build();

    @Override
    public String name() {
        return "systemd";
    }

    @Override
    public List<String> aliases() {
        return List.of("service", "systemd_service");
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        List<Command> cmds = new ArrayList<>();
        Map<String, String[]> diff = new LinkedHashMap<>();
        if (!args.has("name")) {
            if (!args.bool("daemon_reload")) {
                throw ModuleException.invalidArgs(args.location(), "systemd needs name (or only daemon_reload: true)", "add name: UNIT");
            }
            return Change.of("daemon-reload", Command.of("systemctl", "daemon-reload"));
        }
        String unit = args.string("name");
        ExecResult r = target.probe(Command.of("systemctl", "show", "-p", "ActiveState", "-p", "UnitFileState", "-p",
                "LoadState", "-p", "NeedDaemonReload", "--", unit));
        if (!r.ok()) {
            throw new ModuleException("cannot ask systemd about " + unit + " (exit " + r.exitCode() + "): " + r.err().strip(),
                    "is systemd running on this host? (facts.init)");
        }
        Map<String, String> props = new LinkedHashMap<>();
        r.out().lines().forEach(l -> {
            int eq = l.indexOf('=');
            if (eq > 0) {
                props.put(l.substring(0, eq), l.substring(eq + 1));
            }
        });
        // daemon-reload only when systemd says the unit's files changed (or the unit is not loaded yet): idempotent
        if (args.bool("daemon_reload") && ("yes".equals(props.get("NeedDaemonReload")) || "not-found".equals(props.get("LoadState")))) {
            cmds.add(Command.of("systemctl", "daemon-reload"));
            diff.put("daemon_reload", new String[] {"unit files changed", "reloaded"});
        }
        String active = props.getOrDefault("ActiveState", "");
        String file = props.getOrDefault("UnitFileState", "");
        boolean missing = "not-found".equals(props.get("LoadState"));
        if (missing && !args.bool("daemon_reload") && (args.has("state") || Boolean.TRUE.equals(args.optBool("enabled").orElse(null)))) {
            throw new ModuleException("unit " + unit + " does not exist on " + target.host(),
                    "install the package or template the unit first (and set daemon_reload: true)");
        }
        args.optBool("masked").ifPresent(m -> {
            if (m != file.equals("masked")) {
                cmds.add(Command.of("systemctl", m ? "mask" : "unmask", "--", unit));
                diff.put("masked", new String[] {String.valueOf(!m), String.valueOf(m)});
            }
        });
        args.optBool("enabled").ifPresent(e -> {
            boolean now = file.equals("enabled") || file.equals("enabled-runtime") || file.equals("alias");
            if (e != now && !file.equals("static")) {
                cmds.add(Command.of("systemctl", e ? "enable" : "disable", "--", unit));
                diff.put("enabled", new String[] {file, e ? "enabled" : "disabled"});
            }
        });
        args.optString("state").ifPresent(s -> {
            boolean running = active.equals("active") || active.equals("activating") || active.equals("reloading");
            switch (s) {
                case "started" -> {
                    if (!running) {
                        cmds.add(Command.of("systemctl", "start", "--", unit));
                        diff.put("state", new String[] {active, "active"});
                    }
                }
                case "stopped" -> {
                    if (running) {
                        cmds.add(Command.of("systemctl", "stop", "--", unit));
                        diff.put("state", new String[] {active, "inactive"});
                    }
                }
                case "restarted" -> {
                    cmds.add(Command.of("systemctl", "restart", "--", unit));
                    diff.put("state", new String[] {active, "restarted"});
                }
                default -> {
                    cmds.add(Command.of("systemctl", running ? "reload-or-restart" : "start", "--", unit));
                    diff.put("state", new String[] {active, "reloaded"});
                }
            }
        });
        Map<String, Object> status = Map.of("name", unit, "status", Map.copyOf(props));
        if (diff.isEmpty()) {
            return cmds.isEmpty() ? Change.none(unit + " is " + active + ", " + file).withValues(status)
                    : Change.of("daemon-reload", cmds).withValues(status);
        }
        return Change.of(unit + ": " + String.join(", ", diff.keySet()), cmds)
                .withDiff(Diff.attributes(unit, diff)).withValues(status);
    }
}
