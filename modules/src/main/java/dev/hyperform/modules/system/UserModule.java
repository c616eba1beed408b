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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code user} (basic): a local account present or absent, its uid, shell, home and supplementary groups. */
public final class UserModule implements Module {
    static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_.-]*\\$?");
    private static final ArgSpec SPEC = ArgSpec.builder("Create, change or remove a local user (useradd/usermod/userdel).")
            .arg(ArgDef.required("name", ArgType.STRING, "user name"))
            .arg(ArgDef.optional("state", ArgType.STRING, "present", "present or absent").choices("present", "absent"))
            .arg(ArgDef.optional("uid", ArgType.INT, null, "numeric uid"))
            .arg(ArgDef.optional("groups", ArgType.LIST, null, "supplementary groups"))
            .arg(ArgDef.optional("append", ArgType.BOOL, false, "add to groups instead of setting exactly these"))
            .arg(ArgDef.optional("shell", ArgType.PATH, null, "login shell"))
            .arg(ArgDef.optional("home", ArgType.PATH, null, "home directory"))
            .arg(ArgDef.optional("system", ArgType.BOOL, false, "a system account (on creation)"))
            .arg(ArgDef.optional("create_home", ArgType.BOOL, true, "create the home directory (on creation)"))
            .arg(ArgDef.optional("remove", ArgType.BOOL, false, "with state absent: remove the home directory too"))
            .example("- user: {name: spdk, system: true, shell: /usr/sbin/nologin, create_home: false}")
            .build();

    @Override
    public String name() {
        return "user";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        String name = args.string("name");
        if (!NAME.matcher(name).matches()) {
            throw ModuleException.invalidArgs(args.location(), "'" + name + "' is not a valid user name", "lower case letters, digits, _ . -");
        }
        ExecResult r = target.probe(Command.sh("getent passwd -- \"$1\"; echo; id -nG -- \"$1\" 2>/dev/null", List.of(name)));
        List<String> lines = r.out().lines().toList();
        boolean exists = !lines.isEmpty() && !lines.get(0).isBlank();
        if (args.string("state").equals("absent")) {
            if (!exists) {
                return Change.none("user " + name + " is absent");
            }
            List<String> argv = new ArrayList<>(List.of("userdel"));
            if (args.bool("remove")) {
                argv.add("-r");
            }
            argv.addAll(List.of("--", name));
            return Change.of("remove user " + name, Command.of(argv)).withDiff(Diff.attributes(name, Map.of("state", new String[] {"present", "absent"})));
        }
        if (!exists) {
            List<String> argv = new ArrayList<>(List.of("useradd"));
            args.optInteger("uid").ifPresent(u -> argv.addAll(List.of("-u", Long.toString(u))));
            args.optString("shell").ifPresent(s -> argv.addAll(List.of("-s", s)));
            args.optString("home").ifPresent(h -> argv.addAll(List.of("-d", h)));
            if (args.bool("system")) {
                argv.add("-r");
            }
            argv.add(args.bool("create_home") ? "-m" : "-M");
            if (args.has("groups") && !args.strings("groups").isEmpty()) {
                argv.addAll(List.of("-G", String.join(",", args.strings("groups"))));
            }
            argv.addAll(List.of("--", name));
            return Change.of("create user " + name, Command.of(argv)).withDiff(Diff.attributes(name, Map.of("state", new String[] {"absent", "present"})));
        }
        String[] pw = lines.get(0).split(":", -1);
        Set<String> have = new LinkedHashSet<>(lines.size() > 2 ? Arrays.asList(lines.get(2).trim().split("\\s+")) : List.of());
        List<String> argv = new ArrayList<>(List.of("usermod"));
        Map<String, String[]> diff = new LinkedHashMap<>();
        args.optInteger("uid").filter(u -> !Long.toString(u).equals(pw[2])).ifPresent(u -> {
            argv.addAll(List.of("-u", Long.toString(u)));
            diff.put("uid", new String[] {pw[2], Long.toString(u)});
        });
        args.optString("shell").filter(s -> !s.equals(pw[6])).ifPresent(s -> {
            argv.addAll(List.of("-s", s));
            diff.put("shell", new String[] {pw[6], s});
        });
        args.optString("home").filter(h -> !h.equals(pw[5])).ifPresent(h -> {
            argv.addAll(List.of("-d", h));
            diff.put("home", new String[] {pw[5], h});
        });
        if (args.has("groups")) {
            Set<String> want = new LinkedHashSet<>(args.strings("groups"));
            Set<String> supplementary = new LinkedHashSet<>(have);
            supplementary.remove(name);
            boolean differs = args.bool("append") ? !supplementary.containsAll(want) : !supplementary.equals(want);
            if (differs) {
                if (args.bool("append")) {
                    argv.add("-a");
                }
                argv.addAll(List.of("-G", String.join(",", want)));
                diff.put("groups", new String[] {String.join(",", supplementary), String.join(",", want)});
            }
        }
        if (diff.isEmpty()) {
            return Change.none("user " + name + " is as declared");
        }
        argv.addAll(List.of("--", name));
        return Change.of("change user " + name + ": " + String.join(", ", diff.keySet()), Command.of(argv)).withDiff(Diff.attributes(name, diff));
    }
}
