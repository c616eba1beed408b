package dev.hyperform.run;

import java.util.List;
import java.util.Map;

/**
 * What the command line asked for: check and diff mode, parallelism ({@code forks}: hosts worked on at once,
 * default 50), {@code --limit}, tag selection, extra vars ({@code -e}, highest precedence), {@code --start-at-task},
 * {@code --force-handlers}, verbosity and the
 * command line's become ({@code -b}, {@code --become-user}, {@code --become-method}: defaults under every keyword).
 */
public record RunOptions(boolean check, boolean diff, int forks, String limit, TagFilter tags,
                         Map<String, Object> extraVars, String startAtTask, boolean forceHandlers, int verbosity,
                         List<String> rolesPath, BecomeDefaults become) {

    public static final int DEFAULT_FORKS = 50;

    public RunOptions {
        extraVars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extraVars));
        rolesPath = List.copyOf(rolesPath);
        become = become == null ? BecomeDefaults.NONE : become;
        if (forks < 1) {
            throw new IllegalArgumentException("forks must be at least 1");
        }
    }

    public RunOptions(boolean check, boolean diff, int forks, String limit, TagFilter tags,
                      Map<String, Object> extraVars, String startAtTask, boolean forceHandlers, int verbosity,
                      List<String> rolesPath) {
        this(check, diff, forks, limit, tags, extraVars, startAtTask, forceHandlers, verbosity, rolesPath,
                BecomeDefaults.NONE);
    }

    public static RunOptions defaults() {
        return new RunOptions(false, false, DEFAULT_FORKS, null, TagFilter.ALL, Map.of(), null, false, 0, List.of());
    }

    public RunOptions withCheck(boolean c) {
        return new RunOptions(c, diff, forks, limit, tags, extraVars, startAtTask, forceHandlers, verbosity, rolesPath,
                become);
    }
}
