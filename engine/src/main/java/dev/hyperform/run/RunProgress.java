package dev.hyperform.run;

import java.util.List;
import java.util.Set;

/**
 * What the runner tells a run journal and asks it: which hosts already finished a play (to be skipped on a resumed
 * run) and which hosts just finished a serial batch of a play. Plays are numbered from 0 across all playbooks of
 * the run, in order.
 */
public interface RunProgress {
    RunProgress NONE = new RunProgress() {
        @Override
        public Set<String> finished(int play) {
            return Set.of();
        }

        @Override
        public void finished(int play, String playName, int batch, List<String> hosts) {
        }
    };

    /** Hosts that finished play {@code play} in the run being resumed: the runner leaves them out of that play. */
    Set<String> finished(int play);

    /** The hosts of batch {@code batch} (from 1) ran all tasks and handlers of play {@code play} without failing. */
    void finished(int play, String playName, int batch, List<String> hosts);

    /** The run ended (also on Ctrl-C and SIGTERM: called before the runner reports that it finished). */
    default void ended(int exitCode, boolean interrupted) {
    }
}
