package dev.hyperform.cli;

import dev.hyperform.journal.JournalPruner;
import dev.hyperform.journal.RunFingerprint;
import dev.hyperform.journal.RunJournal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * {@code --journal} and {@code --resume} of {@code hyperform play}: where a run's journal goes (by default
 * {@code .hyperform/journal/PLAYBOOK-YYYYMMDD-HHMMSS.jsonl} under the current directory) and, for a resumed run,
 * the check that it is the same run as the journal's. The default folder keeps a playbook's newest {@value #KEEP}
 * journals and every journal of a run that failed or was interrupted.
 */
final class JournalSetup {
    static final Path DEFAULT_DIR = Path.of(".hyperform", "journal");
    /** Journals of one playbook kept in the default folder (older ones of runs that ended well are deleted). */
    static final int KEEP = 20;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private JournalSetup() {
    }

    /** The journal's playbooks and inventories, for a {@code --resume} that names neither. */
    static RunFingerprint recorded(Path resume) {
        return RunJournal.fingerprintOf(resume);
    }

    static RunJournal open(Path journal, Path resume, List<Path> playbooks, List<String> inventories, String limit,
                           List<String> tags, List<String> skipTags, boolean check, Map<String, Object> extraVars) {
        Path file = resume != null ? resume : journal != null ? journal : defaultFile(playbooks.get(0));
        if (resume == null && journal == null) {
            JournalPruner.prune(DEFAULT_DIR, name(playbooks.get(0)), KEEP);
        }
        RunFingerprint now = RunFingerprint.of(playbooks, inventories, limit, tags, skipTags, check, extraVars, file);
        return resume != null ? RunJournal.resume(file, now) : RunJournal.start(file, now);
    }

    private static Path defaultFile(Path playbook) {
        return DEFAULT_DIR.resolve(name(playbook) + "-" + LocalDateTime.now().format(STAMP) + ".jsonl");
    }

    private static String name(Path playbook) {
        return playbook.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    }
}
