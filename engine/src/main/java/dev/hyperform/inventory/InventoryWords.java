package dev.hyperform.inventory;

import dev.hyperform.error.Location;
import java.util.List;

/** Shell-like word splitting (quotes, backslashes) for command-line values such as {@code -e 'a=1 b="x y"'}. */
public final class InventoryWords {
    private InventoryWords() {
    }

    public static List<String> split(String text) {
        return ShellWords.split(text, Location.UNKNOWN);
    }
}
