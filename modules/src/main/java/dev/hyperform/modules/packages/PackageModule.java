package dev.hyperform.modules.packages;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.module.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code package}: {@link AptModule} or {@link DnfModule}, picked by {@code facts.package_manager} (apt; dnf or yum)
 * or by {@code use}. It accepts the arguments of both; one meant for the other package manager (apt's {@code purge}
 * on a dnf host) is an error unless it has its default value. Without facts it assumes apt, as before dnf existed.
 */
public final class PackageModule implements Module {
    private final AptModule apt = new AptModule("package");
    private final DnfModule dnf = new DnfModule("package");
    private final ArgSpec spec = union();

    @Override
    public String name() {
        return "package";
    }

    @Override
    public ArgSpec spec() {
        return spec;
    }

    @Override
    public Change plan(Target target, Args args) {
        Module m = backend(target, args);
        return m.plan(target, forBackend(target, m, args));
    }

    @Override
    public ModuleResult apply(Target target, Args args, Change change) {
        Module m = backend(target, args);
        return m.apply(target, forBackend(target, m, args), change);
    }

    private Module backend(Target target, Args args) {
        String use = args.optString("use").orElse("auto");
        Object pm = use.equals("auto") ? target.facts().get("package_manager") : use;
        if (pm == null || "apt".equals(pm)) {
            return apt;
        }
        if ("dnf".equals(pm) || "yum".equals(pm)) {
            return dnf;
        }
        throw new ModuleException("package: " + target.host() + " uses " + pm + ", which is not supported (apt and dnf are)",
                "use the distribution's own tool through command, or set use: apt|dnf if the fact is wrong");
    }

    /** The arguments the chosen module knows, validated by its own spec (which fills its defaults). */
    private Args forBackend(Target target, Module m, Args args) {
        ArgSpec own = m.spec();
        Map<String, Object> raw = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : args.values().entrySet()) {
            if (own.find(e.getKey()).isPresent()) {
                raw.put(e.getKey(), e.getValue());
            } else if (!e.getKey().equals("use")
                    && !Objects.equals(e.getValue(), spec.find(e.getKey()).map(ArgDef::defaultValue).orElse(null))) {
                throw ModuleException.invalidArgs(args.location(), "package: argument '" + e.getKey() + "' is not for "
                        + (m == apt ? "apt" : "dnf") + ", which " + target.host() + " uses", "drop it or make the task conditional on "
                        + "facts.package_manager (see: hyperform doc " + (m == apt ? "apt" : "dnf") + ")");
            }
        }
        return own.validate("package", raw, args.location());
    }

    private ArgSpec union() {
        ArgSpec.Builder b = ArgSpec.builder("Install, remove or upgrade packages with the host's package manager "
                + "(apt on Debian family, dnf on RHEL family; see hyperform doc apt / dnf for the arguments of each)");
        Map<String, ArgDef> all = new LinkedHashMap<>();
        // the shared arguments, described for both package managers
        all.put("name", ArgDef.optional("name", ArgType.LIST, List.of(), "package names; name=VERSION pins a version (dnf: name-VERSION too)")
                .aliases("pkg", "package"));
        all.put("state", apt.spec().find("state").orElseThrow());
        all.put("update_cache", ArgDef.optional("update_cache", ArgType.BOOL, false,
                "refresh the package metadata first (apt-get update, dnf makecache) when older than cache_valid_time").aliases("update-cache"));
        all.put("cache_valid_time", ArgDef.optional("cache_valid_time", ArgType.INT, 0L, "seconds the metadata stays fresh (0: always refresh)"));
        apt.spec().args().forEach(a -> all.putIfAbsent(a.name(), a));
        dnf.spec().args().forEach(a -> all.putIfAbsent(a.name(), a));
        all.values().forEach(b::arg);
        b.arg(ArgDef.optional("use", ArgType.STRING, "auto", "package manager: auto (from facts.package_manager), apt or dnf")
                .choices("auto", "apt", "dnf", "yum"));
        return b.example("- package:\n    name: [qemu-kvm, libvirt]\n    state: present").build();
    }
}
