package dev.hyperform.run;

import dev.hyperform.error.Location;
import dev.hyperform.playbook.PlaybookException;
import dev.hyperform.playbook.PlaybookLoader;
import dev.hyperform.playbook.RoleRef;
import dev.hyperform.playbook.RoleUse;
import dev.hyperform.playbook.Step;
import dev.hyperform.playbook.TaskOptions;
import dev.hyperform.playbook.VarsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The runner's run-time loading ({@link IncludeLoader}) done by the playbook loader. */
public final class PlaybookIncludes implements IncludeLoader {
    private final PlaybookLoader loader;

    public PlaybookIncludes(PlaybookLoader loader) {
        this.loader = loader;
    }

    @Override
    public List<Step> loadTaskFile(Path file, RoleRef role, Location includedFrom) {
        return loader.loadTaskFile(file, role, includedFrom);
    }

    @Override
    public Map<String, Object> loadVarsFile(Path file, Location from) {
        if (!Files.isRegularFile(file)) {
            throw new PlaybookException(from, "vars_files: no such file " + file,
                    "vars_files paths are relative to the playbook's directory");
        }
        return VarsFiles.load(file);
    }

    @Override
    public RoleUse loadRole(String name, String tasksFrom, Path playbookDir, Map<String, Object> params, TaskOptions options,
                            Location from) {
        return loader.loadRole(name, tasksFrom, playbookDir, params, options, from);
    }
}
