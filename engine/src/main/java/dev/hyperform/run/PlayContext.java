package dev.hyperform.run;

import dev.hyperform.inventory.Inventory;
import dev.hyperform.playbook.Play;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What every task of a play shares: the play, its resolved vars layers (vars, vars_prompt, vars_files), the
 * inventory, the hosts of the play and of the current batch, and the run's options.
 */
record PlayContext(Play play, Inventory inventory, Map<String, Object> playVars, Map<String, Object> promptVars,
                   Map<String, Object> varsFiles, List<String> playHosts, List<String> batchHosts,
                   RunOptions options, Path playbookDir) {
}
