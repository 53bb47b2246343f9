package nl.aware.core.store;

import nl.aware.core.event.Event;
import nl.aware.core.log.LogRecord;
import nl.aware.core.protocol.DeviceFrame;

import java.util.concurrent.CompletableFuture;

/**
 * Where events become durable and reach the projections: the embedded segment log
 * ({@link EmbeddedStore}, the default) or the shared Redis log (the redis-store module, scale-out).
 * Futures complete once the event is durable AND applied to the server state, on the store's
 * own thread: callers hand off, never block in a callback.
 */
public interface EventStore extends AutoCloseable {

    /**
     * The ADP/1 counter rules ({@link nl.aware.core.state.CounterRules}) and the append of an authenticated
     * frame, as one step: a fresh counter is {@link FrameResult.Appended}, a byte-identical repeat of an
     * accepted frame is a {@link FrameResult.Retransmission} with the original event id, anything else at or
     * below the high-water mark is {@link FrameResult.Replayed}; a frame that could not be made durable is
     * {@link FrameResult.NotDurable}. The intake turns the result into the device's answer.
     */
    CompletableFuture<FrameResult> acceptFrame(DeviceFrame frame, long receiveTimeMs);

    /** Appends any other event. */
    CompletableFuture<LogRecord> append(Event event);

    /** For readiness: appends can be durable now. */
    boolean writable();

    /** Sequence of the last record applied here. */
    long lastSequence();

    /** One line for the start-up log: what was replayed and from where (no personal data). */
    String describe();

    @Override
    void close();
}
