package dev.hyperform.run;

import dev.hyperform.playbook.RoleRef;
import dev.hyperform.playbook.TaskOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keywords in force at a step, inherited down play → role → block → include → task: conditions accumulate
 * (all must hold), tags add up, vars stack, environment merges, and the innermost value of every other keyword wins.
 */
record Inherited(List<String> when, Set<String> tags, Object become, String becomeUser, String becomeMethod,
                 Object noLog, Object checkMode, Object diff, Map<String, Object> environment, Object ignoreErrors,
                 Object ignoreUnreachable, List<Map<String, Object>> blockVars, Object anyErrorsFatal,
                 String delegateTo, Object runOnce, Object timeout, Object throttle, String connection,
                 String remoteUser, RoleRef role, Map<String, Object> includeParams) {

    static Inherited root() {
        return root(BecomeDefaults.NONE);
    }

    /** The layer under every play: the command line's become settings, which any keyword overrides. */
    static Inherited root(BecomeDefaults cli) {
        return new Inherited(List.of(), Set.of(), cli.enabled() ? Boolean.TRUE : null, cli.user(), cli.method(),
                null, null, null, Map.of(), null, null, List.of(), null, null, null, null, null, null, null, null,
                Map.of());
    }

    /** Apply a play's, role use's, block's or include's options. Their {@code vars} become a block-vars layer. */
    Inherited child(TaskOptions o) {
        if (o == null) {
            return this;
        }
        List<String> w = new ArrayList<>(when);
        if (o.when() != null) {
            w.addAll(o.when());
        }
        Set<String> t = new LinkedHashSet<>(tags);
        if (o.tags() != null) {
            t.addAll(o.tags());
        }
        Map<String, Object> env = new LinkedHashMap<>(environment);
        if (o.environment() != null) {
            env.putAll(o.environment());
        }
        List<Map<String, Object>> bv = blockVars;
        if (o.vars() != null && !o.vars().isEmpty()) {
            bv = new ArrayList<>(blockVars);
            bv.add(o.vars());
        }
        return new Inherited(w, t, pick(o.become(), become), pick(o.becomeUser(), becomeUser),
                pick(o.becomeMethod(), becomeMethod), pick(o.noLog(), noLog), pick(o.checkMode(), checkMode),
                pick(o.diff(), diff), env, pick(o.ignoreErrors(), ignoreErrors),
                pick(o.ignoreUnreachable(), ignoreUnreachable), bv, pick(o.anyErrorsFatal(), anyErrorsFatal),
                pick(o.delegateTo(), delegateTo), pick(o.runOnce(), runOnce), pick(o.timeout(), timeout),
                pick(o.throttle(), throttle), pick(o.connection(), connection), pick(o.remoteUser(), remoteUser),
                role, includeParams);
    }

    /** The same, for the steps of a role. */
    Inherited inRole(RoleRef r) {
        return new Inherited(when, tags, become, becomeUser, becomeMethod, noLog, checkMode, diff, environment,
                ignoreErrors, ignoreUnreachable, blockVars, anyErrorsFatal, delegateTo, runOnce, timeout, throttle,
                connection, remoteUser, r, includeParams);
    }

    /**
     * The same, with {@code when} replaced: the tasks an include brings in keep the conditions of the blocks around
     * the include but not the include's own, which ansible-core tests once, for the include itself.
     */
    Inherited withWhen(List<String> conditions) {
        return new Inherited(List.copyOf(conditions), tags, become, becomeUser, becomeMethod, noLog, checkMode, diff,
                environment, ignoreErrors, ignoreUnreachable, blockVars, anyErrorsFatal, delegateTo, runOnce, timeout,
                throttle, connection, remoteUser, role, includeParams);
    }

    /** The same, with the parameters of an include added (they rank above set_fact). */
    Inherited withIncludeParams(Map<String, Object> params) {
        Map<String, Object> p = new LinkedHashMap<>(includeParams);
        p.putAll(params);
        return new Inherited(when, tags, become, becomeUser, becomeMethod, noLog, checkMode, diff, environment,
                ignoreErrors, ignoreUnreachable, blockVars, anyErrorsFatal, delegateTo, runOnce, timeout, throttle,
                connection, remoteUser, role, p);
    }

    private static <T> T pick(T inner, T outer) {
        return inner != null ? inner : outer;
    }
}
