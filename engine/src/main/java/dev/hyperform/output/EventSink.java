package dev.hyperform.output;

/** Listens to a run's events. Sinks are called from one thread at a time, in event order. */
public interface EventSink extends AutoCloseable {

    void accept(Event event);

    /** Flush and release; called once after {@code RunFinished}. */
    @Override
    default void close() {
    }
}
