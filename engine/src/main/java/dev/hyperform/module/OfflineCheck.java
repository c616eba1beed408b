package dev.hyperform.module;

import dev.hyperform.error.Location;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code hyperform syntax-check} gives a module to check a task without connecting anywhere (see
 * {@link Module#checkOffline}): the task's arguments as written, its controller files and templates.
 */
public interface OfflineCheck {

    /** The task's arguments as written (expressions not evaluated). */
    Map<String, Object> args();

    /** Where the task is written. */
    Location location();

    /** A controller file the task names, searched like a run does ({@code files}/{@code templates} of the role, the playbook's directory). */
    Optional<Path> controllerFile(String kind, String name);

    /**
     * A FreeMarker template rendered with the variables a run would give the task: with an inventory ({@code
     * syntax-check -i}) once for each host of the play, with that host's variables (hosts whose renderings are the
     * same text are listed once, under the first of them); without one, once with the variables known without an
     * inventory (role defaults and vars, play vars, vars_files, block and task vars, extra vars).
     *
     * @throws dev.hyperform.error.HyperformException when it cannot be rendered (an undefined variable names file:line)
     */
    List<Rendering> render(Path template);

    /** One rendering of a template: the host whose variables rendered it (null without an inventory) and the text. */
    record Rendering(String host, String text) {
    }
}
