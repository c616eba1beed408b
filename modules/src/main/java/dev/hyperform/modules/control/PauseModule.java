package dev.hyperform.modules.control;

import dev.hyperform.module.ArgDef;
import dev.hyperform.module.ArgSpec;
import dev.hyperform.module.ArgType;
import dev.hyperform.module.Args;
import dev.hyperform.module.Change;
import dev.hyperform.module.Module;
import dev.hyperform.module.Target;
import java.util.Map;

/**
 * {@code pause}: wait a number of seconds (never prompts; in check mode it does not wait). A {@code prompt} is shown
 * as the task's message (like debug's msg) and never waited for: runs are never interactive.
 */
public final class PauseModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder("Wait for some time without asking anything.")
            .arg(ArgDef.optional("seconds", ArgType.INT, null, "seconds to wait"))
            .arg(ArgDef.optional("minutes", ArgType.INT, null, "minutes to wait"))
            .arg(ArgDef.optional("prompt", ArgType.STRING, null, "shown in the task's output line, never waited for (no interactive prompts)"))
            .example("- pause: {seconds: 5}")
            .build();

    @Override
    public String name() {
        return "pause";
    }

    @Override
    public ArgSpec spec() {
        return SPEC;
    }

    /** Waiting changes nothing on the host, so it is not a change: check mode and the real run both report ok. */
    @Override
    public Change plan(Target target, Args args) {
        long s = args.optInteger("seconds").orElse(0L) + 60 * args.optInteger("minutes").orElse(0L);
        if (!target.checkMode()) {
            try {
                Thread.sleep(s * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Map<String, Object> values = new java.util.LinkedHashMap<>(Map.of("seconds", s));
        args.optString("prompt").ifPresent(p -> values.put("msg", p));
        String prompt = args.optString("prompt").map(p -> ": " + p).orElse("");
        return Change.none((target.checkMode() ? "would wait " : "waited ") + s + " s" + prompt).withValues(values);
    }
}
