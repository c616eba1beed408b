package dev.hyperform.cli;

import dev.hyperform.journal.RunJournal;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A new run's journal, opened on a thread of its own from the start of the run (its folder pruned, the run's files
 * hashed, its first line written: ~50 ms of cold code), while the main thread reads the playbook and the inventory and
 * works out the first play's hosts. A run that stops before it starts ({@link #discard}: a playbook or inventory that
 * does not load) leaves no journal behind: there would be nothing to resume.
 */
final class JournalOpening {
    private final FutureTask<RunJournal> task;
    private volatile boolean taken;

    private JournalOpening(Callable<RunJournal> open) {
        this.task = new FutureTask<>(open);
        Thread t = new Thread(task, "hyperform-journal");
        t.setDaemon(true);
        t.start();
    }

    static JournalOpening start(Callable<RunJournal> open) {
        return new JournalOpening(open);
    }

    /** The journal, once written, for the run to keep; what opening it threw, as it was thrown. */
    RunJournal take() throws Exception {
        try {
            RunJournal j = task.get();
            taken = true;
            return j;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw (Error) e.getCause();
        }
    }

    /** The run stopped before it took the journal: wait for the journal and delete it. */
    void discard() {
        if (taken) {
            return;
        }
        try {
            Files.deleteIfExists(task.get().file());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | IOException | RuntimeException e) {
            // it was never written, or cannot be deleted: the stop's own error is what the user needs
        }
    }
}
