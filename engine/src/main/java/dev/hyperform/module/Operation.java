package dev.hyperform.module;

/**
 * One thing a real run does to bring a target to its declared state: a shell {@link Command} on a host, or an
 * {@link ApiCall} to an API the controller talks to (Kubernetes). Check mode reports operations as {@code planned},
 * a real run executes them in order and reports each as {@code run}; both kinds go through the same events.
 */
public sealed interface Operation permits Command, ApiCall {

    /** What output and events may show (hidden when sensitive). */
    String display();

    /** True when the operation's text must not be shown (no_log, secrets). */
    boolean sensitive();
}
