package dev.hyperform.modules.packages;

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
import java.util.regex.Pattern;

/**
 * {@code apt} (and {@code package} on Debian-family hosts, see {@link PackageModule}): packages present, absent or latest, with version pins
 * ({@code name=version}), an optional cache update when the cache is older than {@code cache_valid_time}. One
 * {@code dpkg-query} probe for all names; one {@code apt-get} call for all changes.
 */
public final class AptModule implements Module {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]*(:[a-z0-9]+)?(=[A-Za-z0-9.+:~_-]+)?");
    private static final String APT = "DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Options::=--force-confdef "
            + "-o Dpkg::Options::=--force-confold";
    private final String name;

    public AptModule() {
        this("apt");
    }

    AptModule(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ArgSpec spec() {
        return ArgSpec.builder("Install, remove or upgrade Debian packages with apt-get (one call for all of them).")
                .arg(ArgDef.optional("name", ArgType.LIST, List.of(), "package names; name=version pins a version").aliases("pkg", "package"))
                .arg(ArgDef.optional("state", ArgType.STRING, "present", "present, absent or latest").choices("present", "absent", "latest", "installed", "removed"))
                .arg(ArgDef.optional("update_cache", ArgType.BOOL, false, "run apt-get update first (when older than cache_valid_time)").aliases("update-cache"))
                .arg(ArgDef.optional("cache_valid_time", ArgType.INT, 0L, "seconds the cache stays fresh"))
                .arg(ArgDef.optional("install_recommends", ArgType.BOOL, false, "also install recommended packages").aliases("install-recommends"))
                .arg(ArgDef.optional("purge", ArgType.BOOL, false, "remove configuration files too (state absent)"))
                .example("- apt:\n    name: [qemu-system-x86, libvirt-daemon-system]\n    update_cache: true\n    cache_valid_time: 3600")
                .build();
    }

    @Override
    public Change plan(Target target, Args args) {
        List<String> names = new ArrayList<>();
        for (String n : args.strings("name")) {
            for (String part : n.split(",")) {
                if (!part.isBlank()) {
                    names.add(part.strip());
                }
            }
        }
        for (String n : names) {
            if (!NAME.matcher(n).matches()) {
                throw ModuleException.invalidArgs(args.location(), "'" + n + "' is not a Debian package name",
                        "package names are lower case letters, digits, + - . (optionally =VERSION)");
            }
        }
        String state = switch (args.string("state")) {
            case "installed" -> "present";
            case "removed" -> "absent";
            default -> args.string("state");
        };
        List<Command> cmds = new ArrayList<>();
        boolean refresh = args.bool("update_cache") && cacheStale(target, args.integer("cache_valid_time"));
        if (refresh) {
            // apt leaves unchanged lists untouched: the stamp (the one Debian's apt-daily also touches) dates the refresh
            cmds.add(Command.sh(APT + " update && mkdir -p /var/lib/apt/periodic && touch " + STAMP).described("apt-get update"));
        }
        Map<String, String> installed = installed(target, names);
        List<String> toInstall = new ArrayList<>();
        List<String> toRemove = new ArrayList<>();
        Map<String, String[]> diff = new LinkedHashMap<>();
        for (String n : names) {
            String pkg = n.split("=", 2)[0];
            String want = n.contains("=") ? n.split("=", 2)[1] : null;
            String have = installed.get(pkg);
            if (state.equals("absent")) {
                if (have != null) {
                    toRemove.add(pkg);
                    diff.put(pkg, new String[] {have, "absent"});
                }
            } else if (have == null || (want != null && !have.equals(want))) {
                toInstall.add(n);
                diff.put(pkg, new String[] {have == null ? "absent" : have, want == null ? "installed" : want});
            }
        }
        if (state.equals("latest")) {
            for (Map.Entry<String, String> c : candidates(target, names).entrySet()) {
                String have = installed.get(c.getKey());
                if (have != null && !have.equals(c.getValue()) && !toInstall.contains(c.getKey())) {
                    toInstall.add(c.getKey());
                    diff.put(c.getKey(), new String[] {have, c.getValue()});
                }
            }
        }
        boolean changesPackages = !toInstall.isEmpty() || !toRemove.isEmpty();
        if (!toInstall.isEmpty()) {
            String recommends = args.bool("install_recommends") ? "" : " --no-install-recommends";
            cmds.add(Command.sh(APT + recommends + " install -- \"$@\"", toInstall).described("apt-get install " + String.join(" ", toInstall)));
        }
        if (!toRemove.isEmpty()) {
            cmds.add(Command.sh(APT + (args.bool("purge") ? " purge" : " remove") + " -- \"$@\"", toRemove)
                    .described("apt-get remove " + String.join(" ", toRemove)));
        }
        if (names.isEmpty() && refresh) {
            // update_cache without packages: the refresh is the task (when the lists are older than cache_valid_time)
            return Change.of("update the package lists", cmds);
        }
        if (!changesPackages) {
            // a cache refresh alongside packages is not worth a change in the recap when nothing else would happen
            return Change.none("all " + names.size() + " packages are " + state).withValues(Map.of("packages", installed));
        }
        Change c = Change.of((toInstall.isEmpty() ? "" : "install " + String.join(" ", toInstall))
                + (toRemove.isEmpty() ? "" : (toInstall.isEmpty() ? "" : "; ") + "remove " + String.join(" ", toRemove)), cmds)
                .withDiff(Diff.attributes("packages", diff)).withValues(Map.of("packages", installed));
        return refresh ? c.dependingOnEarlier() : c;
    }

    private static final String STAMP = "/var/lib/apt/periodic/update-success-stamp";

    private static boolean cacheStale(Target target, long validSeconds) {
        // the age of the newest package list or of the last successful update; no lists at all (a fresh host) is as
        // stale as it gets, whatever the stamp says
        ExecResult r = target.probe(Command.sh("t=0; for f in /var/lib/apt/lists/*_Packages*; do [ -e \"$f\" ] || continue; "
                + "m=$(stat -c %Y \"$f\"); [ \"$m\" -gt \"$t\" ] && t=$m; done; "
                + "if [ \"$t\" -gt 0 ] && [ -e " + STAMP + " ]; then m=$(stat -c %Y " + STAMP + "); [ \"$m\" -gt \"$t\" ] && t=$m; fi; "
                + "if [ \"$t\" -eq 0 ]; then echo 999999999; else echo $(( $(date +%s) - t )); fi"));
        long age = r.ok() ? Long.parseLong(r.out().strip()) : Long.MAX_VALUE;
        return age > validSeconds || validSeconds == 0;
    }

    /** Installed versions of the named packages (missing ones are left out). */
    private static Map<String, String> installed(Target target, List<String> names) {
        Map<String, String> out = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        List<String> pkgs = names.stream().map(n -> n.split("=", 2)[0]).toList();
        ExecResult r = target.probe(Command.sh("dpkg-query -W -f='${Package}\\t${db:Status-Abbrev}\\t${Version}\\n' -- \"$@\" 2>/dev/null; true", pkgs));
        for (String line : r.out().lines().toList()) {
            String[] f = line.split("\t");
            if (f.length == 3 && f[1].startsWith("ii")) {
                out.put(f[0], f[2]);
            }
        }
        return out;
    }

    private static Map<String, String> candidates(Target target, List<String> names) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> pkgs = names.stream().map(n -> n.split("=", 2)[0]).toList();
        ExecResult r = target.probe(Command.sh("LC_ALL=C apt-cache policy -- \"$@\"", pkgs));
        String current = null;
        for (String line : r.out().lines().toList()) {
            if (!line.startsWith(" ") && line.endsWith(":")) {
                current = line.substring(0, line.length() - 1);
            } else if (current != null && line.strip().startsWith("Candidate:")) {
                String v = line.strip().substring("Candidate:".length()).strip();
                if (!v.equals("(none)")) {
                    out.put(current, v);
                }
            }
        }
        return out;
    }
}
