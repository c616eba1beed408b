package dev.hyperform.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps the default journal folder from growing without end: of one playbook's journals, the newest {@code keep}
 * stay, and older ones are deleted only when their run ended without failure (nothing to resume there). Journals of
 * failed or interrupted runs stay until the user deletes them; files named otherwise are never touched.
 */
public final class JournalPruner {
    private JournalPruner() {
    }

    /** Prunes {@code dir}'s journals of {@code playbook} (its file name without .yml/.yaml); returns how many went. */
    public static int prune(Path dir, String playbook, int keep) {
        Pattern own = Pattern.compile(Pattern.quote(playbook) + "-\\d{8}-\\d{6}-\\d{3}\\.jsonl");
        List<Path> journals;
        try (Stream<Path> s = Files.list(dir)) {
            // the stamp sorts as text: newest last
            journals = s.filter(p -> own.matcher(p.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            return 0; // no folder yet, or unreadable: nothing to prune
        }
        int deleted = 0;
        for (Path old : journals.subList(0, Math.max(0, journals.size() - keep))) {
            try {
                if (JournalState.endedCleanly(old) && Files.deleteIfExists(old)) {
                    deleted++;
                }
            } catch (IOException e) {
                // not a journal this version reads, or not deletable: leave it
            }
        }
        return deleted;
    }
}
