package dev.hyperform.playbook;

import java.util.List;

/** A handler: a task that runs once per notified host when a section ends or at {@code meta: flush_handlers}. */
public record Handler(Task task, List<String> listen) {
    public Handler {
        listen = List.copyOf(listen);
    }

    /** Whether a {@code notify} entry names this handler (by name, or by one of its listen topics). */
    public boolean answers(String notification) {
        return notification.equals(task.name()) || listen.contains(notification)
                || (task.role() != null && notification.equals(task.role().name() + " : " + task.name()));
    }
}
