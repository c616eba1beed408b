package dev.hyperform.output;

import java.util.List;

/**
 * Fans a run's events out to several sinks in order. A sink that throws is reported once on stderr and dropped,
 * so a full disk under {@code --events} does not stop a rollout.
 */
public final class EventBus implements EventSink {
    private final List<EventSink> sinks;

    public EventBus(List<EventSink> sinks) {
        this.sinks = new java.util.concurrent.CopyOnWriteArrayList<>(sinks);
    }

    @Override
    public synchronized void accept(Event event) {
        for (EventSink s : sinks) {
            try {
                s.accept(event);
            } catch (RuntimeException e) {
                System.err.println("hyperform: output " + s.getClass().getSimpleName() + " failed and is switched off: " + e);
                sinks.remove(s);
            }
        }
    }

    @Override
    public void close() {
        for (EventSink s : sinks) {
            try {
                s.close();
            } catch (RuntimeException e) {
                System.err.println("hyperform: closing " + s.getClass().getSimpleName() + " failed: " + e);
            }
        }
    }
}
