package dev.hyperform.modules.net;

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
import java.util.List;
import java.util.Map;

/**
 * {@code git}: a checkout of a repository at a version (branch, tag or commit) on the target, with git there.
 * The target's HEAD is compared with what the version resolves to remotely ({@code git ls-remote}); only a
 * difference clones, fetches or checks out.
 */
public final class GitModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Clone or update a git checkout on the target to a branch, tag or commit.")
            .arg(ArgDef.required("repo", ArgType.STRING, "repository URL or path"))
            .arg(ArgDef.required("dest", ArgType.PATH, "checkout directory"))
            .arg(ArgDef.optional("version", ArgType.STRING, "HEAD", "branch, tag or full commit id"))
            .arg(ArgDef.optional("depth", ArgType.INT, null, "shallow clone depth"))
            .arg(ArgDef.optional("recursive", ArgType.BOOL, true, "also fetch submodules"))
            .arg(ArgDef.optional("update", ArgType.BOOL, true, "move an existing checkout to version"))
            .example("- git: {repo: https://github.com/spdk/spdk.git, dest: /usr/local/src/spdk, version: v23.09, depth: 1}")
            .build();

    @Override
    public String name() {
        return "git";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    @Override
    public Change plan(Target target, Args args) {
        String repo = args.string("repo");
        String dest = args.string("dest");
        String version = args.string("version");
        ExecResult head = target.probe(Command.of("git", "-C", dest, "rev-parse", "HEAD"));
        String want = resolve(target, repo, version);
        List<Command> cmds = new ArrayList<>();
        List<String> depth = args.optInteger("depth").map(d -> List.of("--depth", Long.toString(d))).orElse(List.of());
        if (!head.ok()) {
            List<String> argv = new ArrayList<>(List.of("git", "clone"));
            argv.addAll(depth);
            if (!version.equals("HEAD") && !version.matches("[0-9a-f]{40}")) {
                argv.addAll(List.of("--branch", version));
            }
            if (args.bool("recursive")) {
                argv.addAll(List.of("--recurse-submodules"));
            }
            argv.addAll(List.of("--", repo, dest));
            cmds.add(Command.of(argv));
            if (version.matches("[0-9a-f]{40}")) {
                cmds.add(Command.of("git", "-C", dest, "checkout", "--detach", version));
            }
            return Change.of("clone " + repo + " at " + version, cmds).withDiff(Diff.attributes(dest, Map.of("HEAD", new String[] {"absent", want})))
                    .withValues(Map.of("after", want));
        }
        String have = head.out().strip();
        if (have.equals(want) || !args.bool("update")) {
            return Change.none(dest + " is at " + have).withValues(Map.of("before", have, "after", have));
        }
        List<String> fetch = new ArrayList<>(List.of("git", "-C", dest, "fetch"));
        fetch.addAll(depth);
        fetch.addAll(List.of("--", "origin", version.matches("[0-9a-f]{40}") ? want : version));
        cmds.add(Command.of(fetch));
        cmds.add(Command.of("git", "-C", dest, "checkout", "--detach", want));
        if (args.bool("recursive")) {
            cmds.add(Command.of("git", "-C", dest, "submodule", "update", "--init", "--recursive"));
        }
        return Change.of("move " + dest + " from " + have + " to " + want, cmds)
                .withDiff(Diff.attributes(dest, Map.of("HEAD", new String[] {have, want}))).withValues(Map.of("before", have, "after", want));
    }

    private static String resolve(Target target, String repo, String version) {
        if (version.matches("[0-9a-f]{40}")) {
            return version;
        }
        ExecResult r = target.probe(Command.of("git", "ls-remote", "--", repo, version, version + "^{}"));
        if (!r.ok()) {
            throw new ModuleException("git ls-remote " + repo + " failed: " + r.err().strip(), "check the URL and that the host reaches it");
        }
        String found = null;
        for (String line : r.out().lines().toList()) {
            String[] f = line.split("\t");
            if (f.length == 2 && (found == null || f[1].endsWith("^{}"))) {
                found = f[0];
            }
        }
        if (found == null) {
            throw new ModuleException(repo + " has no branch or tag '" + version + "'", "check version:");
        }
        return found;
    }
}
