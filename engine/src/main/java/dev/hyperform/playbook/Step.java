package dev.hyperform.playbook;

import dev.hyperform.error.Location;

/** An entry of a task list: a task, a block, or a dynamic include. Static imports are already expanded. */
public sealed interface Step permits Task, Block, Include {

    String name();

    TaskOptions options();

    Location location();

    /** The role this step was written in, or null. */
    RoleRef role();
}
