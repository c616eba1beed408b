package dev.hyperform.run;

import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.error.Location;
import dev.hyperform.vars.Expressions;
import dev.hyperform.vars.Origin;
import dev.hyperform.vars.UndefinedVariableException;
import java.util.List;
import java.util.Map;

/** The list a task's or an include's {@code loop} goes over, read as ansible-core reads it. */
final class LoopItems {
    private LoopItems() {
    }

    /**
     * The loop's items; null when the loop is over something undefined and the step's conditions, asked without an
     * item, are false: the step is skipped, as in ansible-core (a condition that needs the item cannot decide, so the
     * loop's error stands).
     */
    static List<?> of(Expressions expressions, Object loop, Inherited inh, Map<String, Object> scope, Origin origin,
                      Location location) {
        Object items;
        try {
            items = expressions.interpolate(loop, scope, origin);
        } catch (UndefinedVariableException loopError) {
            boolean holds;
            try {
                holds = conditionsHold(expressions, inh, scope, origin);
            } catch (HyperformException undecided) {
                throw loopError;
            }
            if (holds) {
                throw loopError;
            }
            return null;
        }
        if (!(items instanceof List<?> list)) {
            throw new HyperformException(Failure.INVALID_INPUT, location, "loop must be a list, got "
                    + (items == null ? "nothing" : items.getClass().getSimpleName() + " (" + items + ")"),
                    "write loop: [a, b] or loop: ${some_list}");
        }
        return list;
    }

    /** The inherited conditions, in order, outermost first, stopping at the first false one. */
    static boolean conditionsHold(Expressions expressions, Inherited inh, Map<String, Object> scope, Origin origin) {
        for (String c : inh.when()) {
            if (!expressions.test(c, scope, origin)) {
                return false;
            }
        }
        return true;
    }
}
