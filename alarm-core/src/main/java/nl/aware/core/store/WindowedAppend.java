package nl.aware.core.store;

import nl.aware.core.event.Event;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.state.CounterWindow;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A frame judged by the device's in-memory {@link CounterWindow} and appended when fresh: the path of
 * every Java store that keeps the counters in this process (the embedded store, and the failover store
 * while Redis is away). The window reserves the counter before the append, so two connections of one
 * device never both accept it; a failed append frees it for the device's retry.
 */
public final class WindowedAppend {
    private WindowedAppend() {
    }

    /** {@code append} makes the event durable (and applies it); it fails when it cannot. */
    public static CompletableFuture<FrameResult> accept(CounterWindow window, Event.FrameAccepted event,
                                                        Function<Event.FrameAccepted, CompletableFuture<?>> append) {
        DeviceFrame frame = event.frame();
        CounterWindow.Verdict verdict = window.classify(frame.counter(), frame.digest(), event.eventId());
        if (verdict instanceof CounterWindow.Verdict.Retransmission retransmission) {
            return retransmission.entry().durable().handle((eventId, failure) -> failure == null
                    ? new FrameResult.Retransmission(eventId) : FrameResult.NOT_DURABLE);
        }
        if (verdict instanceof CounterWindow.Verdict.Replay) {
            return CompletableFuture.completedFuture(FrameResult.REPLAYED);
        }
        CounterWindow.Entry entry = ((CounterWindow.Verdict.Fresh) verdict).entry();
        // A retry of a frame whose append failed keeps the event id it was first given.
        Event.FrameAccepted toAppend = entry.eventId().equals(event.eventId()) ? event
                : new Event.FrameAccepted(entry.eventId(), event.receiveTimeMs(), frame);
        return append.apply(toAppend).handle((record, failure) -> {
            if (failure == null) {
                entry.durable().complete(entry.eventId());
                return new FrameResult.Appended(entry.eventId());
            }
            entry.durable().completeExceptionally(failure);
            return FrameResult.NOT_DURABLE;
        });
    }
}
