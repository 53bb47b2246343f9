package nl.aware.dispatch;

import nl.aware.core.event.Event;

import java.util.concurrent.CompletableFuture;

/** Appends an event to the log; the future completes when it is durable and applied. */
@FunctionalInterface
public interface EventRecorder {
    CompletableFuture<?> record(Event event);
}
