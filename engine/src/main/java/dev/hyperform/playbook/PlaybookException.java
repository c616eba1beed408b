package dev.hyperform.playbook;

import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.error.Location;

/**
 * A playbook, task file, role or vars file cannot be loaded: malformed YAML, an unknown keyword or module, a
 * wrong argument, a missing file. Always INVALID_INPUT (nothing ran), always with the place it was found.
 */
public class PlaybookException extends HyperformException {

    public PlaybookException(Location location, String message, String hint) {
        super(Failure.INVALID_INPUT, location, message, hint);
    }

    public PlaybookException(Location location, String message, String hint, Throwable cause) {
        super(Failure.INVALID_INPUT, location, message, hint, cause);
    }
}
