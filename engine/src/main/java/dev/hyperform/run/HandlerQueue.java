package dev.hyperform.run;

import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.playbook.Handler;
import dev.hyperform.playbook.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The handlers of the current play, in definition order (play handlers, then those of its roles, then those of
 * roles included at run time), and who notified them. A notification that names no handler is an error.
 */
final class HandlerQueue {
    private final List<Handler> handlers = new CopyOnWriteArrayList<>();

    void reset(List<Handler> forPlay) {
        handlers.clear();
        handlers.addAll(forPlay);
    }

    void add(List<Handler> more) {
        for (Handler h : more) {
            if (!handlers.contains(h)) {
                handlers.add(h);
            }
        }
    }

    List<Handler> inOrder() {
        return new ArrayList<>(handlers);
    }

    void notify(HostState host, String notification, Task from) {
        boolean found = false;
        for (Handler h : handlers) {
            if (h.answers(notification)) {
                synchronized (host) {
                    host.notified.add(h);
                }
                found = true;
            }
        }
        if (!found) {
            throw new HyperformException(Failure.INVALID_INPUT, from.location(),
                    "task '" + from.displayName() + "' notifies '" + notification + "', but no handler has that name or listens to it",
                    "handlers of this play: " + handlers.stream().map(x -> x.task().name()).toList());
        }
    }
}
