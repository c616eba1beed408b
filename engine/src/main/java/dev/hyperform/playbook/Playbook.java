package dev.hyperform.playbook;

import java.nio.file.Path;
import java.util.List;

/** A loaded playbook: its plays in order, with every {@code import_playbook} already expanded in place. */
public record Playbook(Path file, List<Play> plays) {
    public Playbook {
        plays = List.copyOf(plays);
    }
}
