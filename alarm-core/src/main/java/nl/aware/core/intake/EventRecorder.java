package nl.aware.core.intake;

import nl.aware.core.concurrent.Futures;
import nl.aware.core.event.Event;
import nl.aware.core.log.LogRecord;
import org.slf4j.Logger;

import java.util.concurrent.CompletableFuture;

/**
 * The one way the server's parts write an event (the running server's {@link Intake#record}): the
 * future completes when the event is durable and applied to the projections, on the store's thread,
 * so whoever continues on it hands off and never blocks there.
 */
@FunctionalInterface
public interface EventRecorder {

    CompletableFuture<LogRecord> record(Event event);

    /**
     * Records an event that nobody waits for (an audit, the outcome of work already done): the act it
     * records stands either way, so a record that cannot be written is logged at ERROR on the caller's
     * {@code log} as "{@code what} not recorded: cause", never dropped in silence.
     *
     * @param what names the record without personal data (ids, kinds, reasons)
     * @return the record's future, for a caller that goes on once it is durable
     */
    default CompletableFuture<LogRecord> recordOrReport(Event event, Logger log, String what) {
        CompletableFuture<LogRecord> recorded;
        try {
            recorded = record(event);
        } catch (RuntimeException e) {
            recorded = CompletableFuture.failedFuture(e);
        }
        return recorded.whenComplete((record, failure) -> {
            if (failure != null) {
                log.error("{} not recorded: {}", what, Futures.cause(failure).toString());
            }
        });
    }
}
