package dev.hyperform.playbook;

import java.util.List;
import java.util.Map;

/**
 * The keywords plays, role uses, blocks, includes and tasks share, as written. A null field means "not set
 * here" (inherit from the enclosing block/role/play); values that may be expressions are kept as
 * {@code Object} (Boolean/Integer/String) and resolved by the runner.
 *
 * <p>{@code notifications} is the {@code notify} keyword (a record cannot have a component named notify).
 *
 * <p>Lists: {@code when}, {@code changedWhen}, {@code failedWhen} are implicit AND lists of FreeMarker boolean
 * expressions (a single string becomes a one-element list; null = not set, empty = never seen).
 */
public record TaskOptions(
        List<String> when,
        Object loop,
        LoopControl loopControl,
        String register,
        List<String> notifications,
        List<String> changedWhen,
        List<String> failedWhen,
        Object ignoreErrors,
        Object ignoreUnreachable,
        String until,
        Object retries,
        Object delay,
        String delegateTo,
        Object runOnce,
        List<String> tags,
        Object become,
        String becomeUser,
        String becomeMethod,
        Object noLog,
        Object checkMode,
        Object diff,
        Map<String, Object> environment,
        Object timeout,
        Object throttle,
        Map<String, Object> vars,
        Object anyErrorsFatal,
        String connection,
        String remoteUser) {

    public static final TaskOptions NONE = new TaskOptions(null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null);

    /** {@code loop_control}: loop_var (default "item"), index_var, label, pause (seconds), extended. */
    public record LoopControl(String loopVar, String indexVar, String label, Object pause, boolean extended) {
        public static final LoopControl DEFAULT = new LoopControl("item", null, null, null, false);
    }
}
