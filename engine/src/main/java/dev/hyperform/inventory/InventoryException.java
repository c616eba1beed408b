package dev.hyperform.inventory;

import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.error.Location;

/** Malformed inventory or host pattern. Always INVALID_INPUT: nothing runs. */
public final class InventoryException extends HyperformException {
    public InventoryException(Location location, String message, String hint) {
        super(Failure.INVALID_INPUT, location, message, hint);
    }
}
