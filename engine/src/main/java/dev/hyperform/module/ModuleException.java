package dev.hyperform.module;

import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.error.Location;

/**
 * A module could not do its work: wrong arguments (INVALID_INPUT, raised before anything runs) or a failed
 * probe or command (TASK_FAILED). The message says what was run, its exit code and stderr, and what to do.
 */
public class ModuleException extends HyperformException {

    public ModuleException(Failure kind, Location location, String message, String hint) {
        super(kind, location, message, hint);
    }

    public ModuleException(String message, String hint) {
        super(Failure.TASK_FAILED, Location.UNKNOWN, message, hint);
    }

    public static ModuleException invalidArgs(Location location, String message, String hint) {
        return new ModuleException(Failure.INVALID_INPUT, location, message, hint);
    }
}
