package dev.hyperform.modules.kubernetes;

import dev.hyperform.module.ApiCall;
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
        List<Manifest> manifests = planner.resolve(Manifests.ordered(Manifests.load(target, args)));
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

    private static String summary(Map<String, List<String>> outcome) {
        List<String> parts = new ArrayList<>();
        outcome.forEach((what, refs) -> parts.add(what + " " + (refs.size() == 1 ? refs.get(0) : refs.size() + " objects")));
        return String.join(", ", parts);
    }
}
