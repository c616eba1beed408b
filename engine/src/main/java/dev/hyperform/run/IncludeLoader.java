package dev.hyperform.run;

import dev.hyperform.error.Location;
import dev.hyperform.playbook.RoleRef;
import dev.hyperform.playbook.RoleUse;
import dev.hyperform.playbook.Step;
import dev.hyperform.playbook.TaskOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the runner needs from the playbook loader at run time: dynamic {@code include_tasks} and
 * {@code include_role}, and {@code vars_files} (whose names may hold expressions).
 */
public interface IncludeLoader {

    List<Step> loadTaskFile(Path file, RoleRef role, Location includedFrom);

    Map<String, Object> loadVarsFile(Path file, Location from);

    RoleUse loadRole(String name, String tasksFrom, Path playbookDir, Map<String, Object> params, TaskOptions options, Location from);
}
