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
import dev.hyperform.module.ModuleResult;
import dev.hyperform.module.Target;
import dev.hyperform.transport.ExecResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code dnf} (also {@code yum}, and {@code package} on RHEL-family hosts): packages present, absent or latest.
 * A version is pinned as {@code name-VERSION[-RELEASE]} (dnf's own spec, as in Ansible) or {@code name=VERSION}
 * (apt's form, rewritten to {@code name-VERSION}); a pin that differs from what is installed installs exactly that
 * version (dnf downgrades when it is older). One {@code rpm -q} probe decides present/absent; {@code latest} adds
 * one {@code dnf repoquery --upgrades} probe. Commands are argument vectors (no shell), always with {@code -y}.
 */
public final class DnfModule implements Module {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_+][A-Za-z0-9_.+-]*(=[A-Za-z0-9._+~^:-]+)?");
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9_.:*?\\[\\]][A-Za-z0-9_.:*?\\[\\]-]*");
    private static final Pattern RELEASEVER = Pattern.compile("[A-Za-z0-9._-]+");
    /** name TAB [epoch:]version-release TAB arch, for every installed package an argument matches. */
    private static final String RPM_QF = "%{NAME}\\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\t%{ARCH}\\n";
    static final ArgSpec SPEC = ArgSpec.builder("Install, remove or upgrade RPM packages with dnf (one call per kind of change).")
            .arg(ArgDef.optional("name", ArgType.LIST, List.of(), "package names; name-VERSION[-RELEASE] or name=VERSION pins a version")
                    .aliases("pkg", "package"))
            .arg(ArgDef.optional("state", ArgType.STRING, "present", "present, absent or latest").choices("present", "absent", "latest", "installed", "removed"))
            .arg(ArgDef.optional("update_cache", ArgType.BOOL, false, "run dnf makecache --refresh first (when older than cache_valid_time)")
                    .aliases("update-cache", "expire-cache"))
            .arg(ArgDef.optional("cache_valid_time", ArgType.INT, 0L, "seconds the metadata cache stays fresh (0: always refresh)"))
            .arg(ArgDef.optional("install_weak_deps", ArgType.BOOL, false, "also install weak dependencies (Recommends), like apt's install_recommends"))
            .arg(ArgDef.optional("enablerepo", ArgType.LIST, List.of(), "repository ids (or globs) to enable for this task"))
            .arg(ArgDef.optional("disablerepo", ArgType.LIST, List.of(), "repository ids (or globs) to disable for this task (applied before enablerepo)"))
            .arg(ArgDef.optional("installroot", ArgType.STRING, "/", "absolute path of an alternative root to manage packages in"))
            .arg(ArgDef.optional("conf_file", ArgType.STRING, null, "dnf configuration file to use instead of /etc/dnf/dnf.conf"))
            .arg(ArgDef.optional("releasever", ArgType.STRING, null, "value of $releasever (needed for an empty installroot)"))
            .example("- dnf:\n    name: [qemu-kvm, libvirt-daemon-kvm]\n    enablerepo: [crb]\n    update_cache: true\n    cache_valid_time: 3600\n"
                    + "- dnf: {name: 'spdk-23.01', state: present}   # pinned; name=23.01 works too")
            .build();
    private final String name;

    public DnfModule() {
        this("dnf");
    }

    DnfModule(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> aliases() {
        return name.equals("dnf") ? List.of("yum") : List.of();
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    /** One package argument: what the user wrote and the spec handed to rpm and dnf ({@code name=1.2} becomes {@code name-1.2}). */
    private record Pkg(String given, String spec) {
    }

    @Override
    public Change plan(Target target, Args args) {
        List<Pkg> pkgs = packages(args);
        String state = switch (args.string("state")) {
            case "installed" -> "present";
            case "removed" -> "absent";
            default -> args.string("state");
        };
        String root = args.optString("installroot").orElse("/");
        List<String> base = base(args, root);
        List<Command> cmds = new ArrayList<>();
        boolean refresh = args.bool("update_cache") && cacheStale(target, root, args.optInteger("cache_valid_time").orElse(0L));
        if (refresh) {
            cmds.add(Command.of(with(base, "makecache", "--refresh")));
        }
        Map<String, List<String[]>> installed = installed(target, root, pkgs);
        List<String> toInstall = new ArrayList<>();
        List<String> toUpgrade = new ArrayList<>();
        List<String> toRemove = new ArrayList<>();
        Map<String, String[]> diff = new LinkedHashMap<>();
        List<Pkg> upgradable = new ArrayList<>();
        for (Pkg p : pkgs) {
            List<String[]> have = installed.get(p.spec());
            if (state.equals("absent")) {
                if (!have.isEmpty()) {
                    toRemove.add(p.spec());
                    diff.put(p.spec(), new String[] {versions(have), "absent"});
                }
            } else if (have.isEmpty()) {
                toInstall.add(p.spec());
                diff.put(p.spec(), new String[] {"absent", "installed"});
            } else if (state.equals("latest") && !pinned(p, have)) {
                upgradable.add(p);
            }
        }
        if (!upgradable.isEmpty()) {
            Map<String, String> newer = upgrades(target, base, upgradable);
            for (Pkg p : upgradable) {
                List<String[]> have = installed.get(p.spec());
                String to = have.stream().map(h -> newer.get(h[0])).filter(v -> v != null).findFirst().orElse(null);
                if (to != null) {
                    toUpgrade.add(p.spec());
                    diff.put(p.spec(), new String[] {versions(have), to});
                }
            }
        }
        List<String> weak = args.bool("install_weak_deps") ? List.of() : List.of("--setopt=install_weak_deps=False");
        if (!toInstall.isEmpty()) {
            cmds.add(Command.of(with(with(base, weak), "install", "--", toInstall)));
        }
        if (!toUpgrade.isEmpty()) {
            cmds.add(Command.of(with(with(base, weak), "upgrade", "--", toUpgrade)));
        }
        if (!toRemove.isEmpty()) {
            cmds.add(Command.of(with(base, "remove", "--", toRemove)));
        }
        Map<String, Object> values = Map.of("packages", registered(installed));
        if (pkgs.isEmpty() && refresh) {
            // update_cache without packages: the refresh is the task (when the metadata is older than cache_valid_time)
            return Change.of("refresh the package metadata", cmds);
        }
        if (toInstall.isEmpty() && toUpgrade.isEmpty() && toRemove.isEmpty()) {
            // a metadata refresh alongside packages is not worth a change in the recap when nothing else would happen
            return Change.none("all " + pkgs.size() + " packages are " + state).withValues(values);
        }
        List<String> parts = new ArrayList<>();
        if (!toInstall.isEmpty()) {
            parts.add("install " + String.join(" ", toInstall));
        }
        if (!toUpgrade.isEmpty()) {
            parts.add("upgrade " + String.join(" ", toUpgrade));
        }
        if (!toRemove.isEmpty()) {
            parts.add("remove " + String.join(" ", toRemove));
        }
        Change c = Change.of(String.join("; ", parts), cmds).withDiff(Diff.attributes("packages", diff)).withValues(values);
        return refresh ? c.dependingOnEarlier() : c;
    }

    /** Runs the planned commands; a failure names the host, the command, its exit code and everything dnf said on stderr. */
    @Override
    public ModuleResult apply(Target target, Args args, Change change) {
        ModuleResult r = target.execute(change);
        if (!r.failed() || r.ran().isEmpty()) {
            return r;
        }
        ModuleResult.Ran last = r.ran().get(r.ran().size() - 1);
        ExecResult e = last.result();
        String said = e.err().strip().isEmpty() ? e.out().strip() : e.err().strip();
        String hint = e.exitCode() == 127 ? "dnf is not installed on " + target.host() + " (yum-only hosts such as EL7 are not supported)"
                : said.contains("Unable to find a match") || said.contains("No match for argument")
                ? "check the package name and that a repository providing it is enabled (enablerepo; dnf repolist shows them)"
                : "run the command on the host to see dnf's full output";
        return ModuleResult.failed(name + " on " + target.host() + ": '" + last.command().display() + "' failed with exit code "
                + e.exitCode() + (said.isEmpty() ? "" : ":\n" + said) + "\nhint: " + hint, r.values(), r.ran());
    }

    private static List<Pkg> packages(Args args) {
        List<Pkg> out = new ArrayList<>();
        for (String n : args.strings("name")) {
            for (String part : n.split(",")) {
                String p = part.strip();
                if (p.isEmpty()) {
                    continue;
                }
                if (!NAME.matcher(p).matches()) {
                    throw ModuleException.invalidArgs(args.location(), "'" + p + "' is not an RPM package name",
                            "names are letters, digits and _ + . - (optionally -VERSION or =VERSION); groups, globs, files and URLs "
                                    + "are not supported: install those with command");
                }
                out.add(new Pkg(p, p.contains("=") ? p.replaceFirst("=", "-") : p));
            }
        }
        return out;
    }

    /** {@code dnf -y} with the task's root, configuration, release and repositories. */
    private static List<String> base(Args args, String root) {
        List<String> b = new ArrayList<>(List.of("dnf", "-y"));
        if (!root.startsWith("/")) {
            throw ModuleException.invalidArgs(args.location(), "installroot '" + root + "' is not an absolute path", "write it from /");
        }
        if (!root.equals("/")) {
            b.add("--installroot=" + root);
        }
        args.optString("conf_file").ifPresent(c -> b.add("--config=" + c));
        args.optString("releasever").ifPresent(r -> {
            if (!RELEASEVER.matcher(r).matches()) {
                throw ModuleException.invalidArgs(args.location(), "releasever '" + r + "' is not a release version", "e.g. 9 or 9.4");
            }
            b.add("--releasever=" + r);
        });
        for (String kind : List.of("disablerepo", "enablerepo")) {
            for (String repo : args.strings(kind)) {
                for (String id : repo.split(",")) {
                    if (!REPO.matcher(id.strip()).matches()) {
                        throw ModuleException.invalidArgs(args.location(), kind + ": '" + id + "' is not a repository id",
                                "ids are letters, digits and _ . : - (globs * ? [] allowed); dnf repolist --all lists them");
                    }
                    b.add("--" + kind + "=" + id.strip());
                }
            }
        }
        return b;
    }

    private static List<String> with(List<String> base, String... more) {
        return with(base, List.of(more));
    }

    private static List<String> with(List<String> base, List<String> more) {
        List<String> out = new ArrayList<>(base);
        out.addAll(more);
        return out;
    }

    private static List<String> with(List<String> base, String verb, String dashes, List<String> specs) {
        List<String> out = with(base, verb, dashes);
        out.addAll(specs);
        return out;
    }

    private static boolean cacheStale(Target target, String root, long validSeconds) {
        // the age of the newest repomd.xml in root's dnf cache; none at all is as stale as it gets
        ExecResult r = target.probe(Command.sh("t=0; for f in \"${1%/}\"/var/cache/dnf/*/repodata/repomd.xml; do [ -e \"$f\" ] || continue; "
                + "m=$(stat -c %Y \"$f\"); [ \"$m\" -gt \"$t\" ] && t=$m; done; "
                + "if [ \"$t\" -eq 0 ]; then echo 999999999; else echo $(( $(date +%s) - t )); fi", List.of(root)));
        long age = r.ok() ? Long.parseLong(r.out().strip()) : Long.MAX_VALUE;
        return age > validSeconds || validSeconds == 0;
    }

    /** For every spec, the installed packages it matches as {name, evr, arch} (empty when none): one rpm call per spec, one round trip. */
    private static Map<String, List<String[]>> installed(Target target, String root, List<Pkg> pkgs) {
        Map<String, List<String[]>> out = new LinkedHashMap<>();
        pkgs.forEach(p -> out.put(p.spec(), new ArrayList<>()));
        if (pkgs.isEmpty()) {
            return out;
        }
        List<String> argv = new ArrayList<>(List.of(root));
        pkgs.forEach(p -> argv.add(p.spec()));
        ExecResult r = target.probe(Command.sh("r=$1; shift; for p; do printf '=%s\\n' \"$p\"; "
                + "rpm -q --root \"$r\" --queryformat '" + RPM_QF + "' -- \"$p\" 2>/dev/null; done; true", argv));
        List<String[]> current = null;
        for (String line : r.out().lines().toList()) {
            if (line.startsWith("=")) {
                current = out.get(line.substring(1));
            } else if (current != null) {
                String[] f = line.split("\t");
                if (f.length == 3) {
                    current.add(f);
                }
            }
        }
        return out;
    }

    /** Newer versions the enabled repositories offer for the installed packages, by name. */
    private static Map<String, String> upgrades(Target target, List<String> base, List<Pkg> pkgs) {
        List<String> argv = with(base, "-q", "repoquery", "--upgrades", "--latest-limit=1", "--queryformat=%{name}\t%{evr}\t%{arch}", "--");
        pkgs.forEach(p -> argv.add(p.spec()));
        ExecResult r = target.probe(Command.of(argv));
        if (!r.ok()) {
            throw new ModuleException("dnf on " + target.host() + ": '" + String.join(" ", argv) + "' failed with exit code "
                    + r.exitCode() + ":\n" + r.err().strip(), "check the repositories (dnf repolist) and the network");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : r.out().lines().toList()) {
            String[] f = line.split("\t");
            if (f.length == 3) {
                out.put(f[0], f[1]);
            }
        }
        return out;
    }

    /** True when the spec names a version, not just name or name.arch of what it matched. */
    private static boolean pinned(Pkg p, List<String[]> have) {
        if (!p.given().equals(p.spec())) {
            return true;
        }
        return !have.isEmpty() && have.stream().noneMatch(h -> p.spec().equals(h[0]) || p.spec().equals(h[0] + "." + h[2]));
    }

    private static String versions(List<String[]> have) {
        return String.join(", ", have.stream().map(h -> h[1]).toList());
    }

    private static Map<String, String> registered(Map<String, List<String[]>> installed) {
        Map<String, String> out = new LinkedHashMap<>();
        installed.values().forEach(l -> l.forEach(h -> out.putIfAbsent(h[0], h[1])));
        return out;
    }
}
