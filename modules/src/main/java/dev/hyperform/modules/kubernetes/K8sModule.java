package dev.hyperform.modules.kubernetes;

import dev.hyperform.error.Failure;
import dev.hyperform.error.Location;
import dev.hyperform.module.ModuleException;
import dev.hyperform.module.OfflineCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Diff;
import dev.hyperform.module.Module;
import dev.hyperform.module.ModuleResult;
import dev.hyperform.module.Operation;
import dev.hyperform.module.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code k8s}: Kubernetes objects present (server-side apply, field manager {@code hyperform}), absent (delete with a
 * propagation policy, then wait until gone) or patched (merge patch of an existing object). Plans from what the API
 * says: a live read and a server-side dry run per object, so {@code --check} names exactly the objects a real run
 * creates, changes or deletes, and {@code --diff} shows the managed fields before and after.
 */
public final class K8sModule implements Module {

    @Override
    public String name() {
        return "k8s";
    }

    @Override
    public List<String> aliases() {
        return List.of("kubernetes.core.k8s");
    }

    @Override
    public ArgSpec spec() {
        ArgSpec.Builder b = ArgSpec.builder("Manage Kubernetes objects from the controller with fabric8: server-side apply "
                + "(field manager hyperform), delete, merge patch; CRDs first and waited for Established, Namespaces "
                + "before namespaced objects; check mode is a server-side dry run")
                .arg(ArgDef.optional("state", ArgType.STRING, "present", "present | absent | patched"))
                .arg(ArgDef.optional("definition", ArgType.ANY, null, "an object, a list of objects, or multi-document YAML text"))
                .arg(ArgDef.optional("src", ArgType.STRING, null, "a multi-document YAML file on the controller (files/ of the role)"))
                .arg(ArgDef.optional("template", ArgType.STRING, null, "a FreeMarker template on the controller rendered with the task's variables (multi-document)"))
                .arg(ArgDef.optional("namespace", ArgType.STRING, null, "namespace for namespaced objects that name none (default: default)"))
                .arg(ArgDef.optional("force_conflicts", ArgType.BOOL, false, "take over fields another field manager owns (server-side apply force)"))
                .arg(ArgDef.optional("propagation_policy", ArgType.STRING, "Foreground", "state absent: Foreground | Background | Orphan"))
                .arg(ArgDef.optional("delete_timeout", ArgType.INT, 120, "state absent: seconds to wait until the objects are gone"));
        KubeArgs.common(b);
        KubeArgs.waits(b);
        return b.example("""
                k8s:
                  state: present
                  src: kubevirt-cr.yaml
                  wait: true
                  wait_condition: {type: Available, status: "True"}
                  wait_timeout: 600""").build();
    }

    @Override
    public Change plan(Target target, Args args) {
        String state = args.string("state");
        if (!List.of("present", "absent", "patched").contains(state)) {
            throw KubeErrors.invalid("state must be present, absent or patched, not '" + state + "'", "see: hyperform doc k8s");
        }
        KubeConnection conn = KubeConnection.of(target, args);
        ObjectPlanner planner = new ObjectPlanner(target, conn, ApiKinds.of(target, conn), args);
        Manifests.Source source = Manifests.source(target, args);
        if (source != null) {
            validated(ManifestValidator.validate(source.text(), source.file()), null);
        }
        List<Manifest> manifests = planner.resolve(Manifests.ordered(Manifests.load(target, args, source)));
        List<Operation> ops = new ArrayList<>();
        List<Diff> diffs = new ArrayList<>();
        Map<String, List<String>> outcome = new LinkedHashMap<>();
        boolean depends = false;
        for (Manifest m : manifests) {
            ObjectPlanner.Step step = switch (state) {
                case "absent" -> planner.absent(m);
                case "patched" -> planner.patched(m);
                default -> planner.present(m);
            };
            outcome.computeIfAbsent(step.outcome(), k -> new ArrayList<>()).add(m.ref());
            if (step.call() != null) {
                ops.add(step.call());
                if (step.before() != null || step.after() != null) {
                    diffs.add(Diff.content("k8s:" + m.ref(), step.before(), step.after()));
                }
                depends |= step.dependsOnEarlier();
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        outcome.forEach(values::put);
        values.put("objects", manifests.size());
        Waits waits = state.equals("present") ? Waits.of(args) : null;
        if (ops.isEmpty()) {
            if (waits != null && !target.checkMode()) {
                planner.await(manifests, waits);
            }
            return Change.none(summary(outcome)).withValues(values);
        }
        Change c = new Change(summary(outcome), ops, diffs, values, Map.of(), depends);
        return c;
    }

    @Override
    public ModuleResult apply(Target target, Args args, Change change) {
        ModuleResult r = target.execute(change);
        Waits waits = args.string("state").equals("present") ? Waits.of(args) : null;
        if (r.failed() || waits == null) {
            return r;
        }
        KubeConnection conn = KubeConnection.of(target, args);
        ObjectPlanner planner = new ObjectPlanner(target, conn, ApiKinds.of(target, conn), args);
        planner.await(planner.resolve(Manifests.ordered(Manifests.load(target, args))), waits);
        return r;
    }

    /** syntax-check: the task's src file, or its template rendered with role defaults and play vars, validated. */
    @Override
    public void checkOffline(OfflineCheck task) {
        Map<String, Object> a = task.args();
        if (a.get("src") instanceof String src && !src.contains("${")) {
            Path p = task.controllerFile("files", src).orElse(null);
            if (p == null) {
                throw new ModuleException(Failure.INVALID_INPUT, task.location(), "k8s src '" + src + "' not found",
                        "put it in the role's files/ directory or beside the playbook");
            }
            try {
                validated(ManifestValidator.validate(Files.readString(p), p.toString()), task.location());
            } catch (IOException e) {
                throw new ModuleException(Failure.INVALID_INPUT, task.location(), "cannot read " + p, null);
            }
        } else if (a.get("template") instanceof String tpl && !tpl.contains("${")) {
            Path p = task.controllerFile("templates", tpl).orElseThrow(() -> new ModuleException(Failure.INVALID_INPUT,
                    task.location(), "k8s template '" + tpl + "' not found", "put it in the role's templates/ directory"));
            for (OfflineCheck.Rendering r : task.render(p)) {
                validated(ManifestValidator.validate(r.text(), p + (r.host() == null ? " (rendered)"
                        : " (rendered for " + r.host() + ")")), task.location());
            }
        }
    }

    private static void validated(List<ManifestValidator.Problem> problems, Location task) {
        if (problems.isEmpty()) {
            return;
        }
        StringBuilder s = new StringBuilder("manifest does not validate against its schema (nothing was applied):");
        problems.stream().limit(10).forEach(p -> s.append("\n    ").append(p));
        if (problems.size() > 10) {
            s.append("\n    ... and ").append(problems.size() - 10).append(" more");
        }
        throw new ModuleException(Failure.INVALID_INPUT, task, s.toString(),
                "fix the fields named above (schemas: KubeVirt 0.58, rook 1.10.10, Kubernetes core kinds)");
    }

    private static String summary(Map<String, List<String>> outcome) {
        List<String> parts = new ArrayList<>();
        outcome.forEach((what, refs) -> parts.add(what + " " + (refs.size() == 1 ? refs.get(0) : refs.size() + " objects")));
        return String.join(", ", parts);
    }
}
