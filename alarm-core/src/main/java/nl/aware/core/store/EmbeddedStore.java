package nl.aware.core.store;

import nl.aware.core.concurrent.Futures;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.LogOverloadedException;
import nl.aware.core.log.LogRecord;
import nl.aware.core.logging.RateLimitedLog;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.state.CounterWindow;
import nl.aware.core.state.ServerState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * The single-node store: the embedded segment log, with the counter rules checked in memory
 * ({@link WindowedAppend}: the device's {@link CounterWindow} reserves a counter before the append, so
 * two connections of one device never both accept it).
 */
public final class EmbeddedStore implements EventStore {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedStore.class);
    /** A full disk fails every append: one line a second says so, not one per frame. */
    private static final RateLimitedLog notDurableLog = new RateLimitedLog(log, 1000);

    private final EventLog eventLog;
    private final EventCodec codec;
    private final ServerState state;

    public EmbeddedStore(EventLog eventLog, EventCodec codec, ServerState state) {
        this.eventLog = eventLog;
        this.codec = codec;
        this.state = state;
    }

    @Override
    public CompletableFuture<FrameResult> acceptFrame(DeviceFrame frame, long receiveTimeMs) {
        Event.FrameAccepted event = new Event.FrameAccepted(
                state.devices().frameEventId(frame.deviceId(), frame.counter()), receiveTimeMs, frame);
        return WindowedAppend.accept(state.counters(frame.deviceId()), event, this::appendOrSay);
    }

    /** Not durable: the device is told to retry; a full disk says so once a second, a full queue not at all. */
    private CompletableFuture<LogRecord> appendOrSay(Event.FrameAccepted event) {
        return append(event).whenComplete((record, failure) -> {
            if (failure == null) {
                return;
            }
            Throwable cause = Futures.cause(failure);
            if (!(cause instanceof LogOverloadedException)) {
                notDurableLog.error("event {} of device {} not durable, device told to retry: {}", event.eventId(),
                        String.format("%016x", event.frame().deviceId()), cause.toString());
            }
        });
    }

    @Override
    public CompletableFuture<LogRecord> append(Event event) {
        // Applied by the writer, in log order: a thenApply here ran on this thread whenever the writer was faster.
        return eventLog.append(EventCodec.typeOf(event), codec.encode(event), Lanes.of(event),
                record -> state.apply(record, event));
    }

    @Override
    public boolean writable() {
        return eventLog.writable();
    }

    @Override
    public long lastSequence() {
        return eventLog.lastSequence();
    }

    @Override
    public String describe() {
        var recovery = eventLog.recovery();
        return "embedded log " + eventLog.directory() + ": " + recovery.records() + " records replayed in "
                + recovery.elapsed().toMillis() + " ms";
    }

    public EventLog eventLog() {
        return eventLog;
    }

    @Override
    public void close() {
        eventLog.close();
    }
}
