package dev.hyperform.run;

import dev.hyperform.output.Event;
import dev.hyperform.output.EventSink;
import java.util.function.UnaryOperator;

/**
 * Hands events to the run's sink one at a time (workers run in parallel; sinks see a single ordered stream) and
 * passes every text through the run's redactor first, so no secret reaches output, events or reports.
 */
final class Emitter {
    private final EventSink sink;
    private final UnaryOperator<String> redact;

    Emitter(EventSink sink, UnaryOperator<String> redact) {
        this.sink = sink;
        this.redact = redact;
    }

    synchronized void emit(Event event) {
        sink.accept(event);
    }

    String redact(String text) {
        return text == null ? null : redact.apply(text);
    }
}
