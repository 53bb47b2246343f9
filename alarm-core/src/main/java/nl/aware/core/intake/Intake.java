package nl.aware.core.intake;

import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.LogOverloadedException;
import nl.aware.core.log.LogRecord;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.NackReason;
import nl.aware.core.state.CounterWindow;
import nl.aware.core.state.ServerState;
import nl.aware.core.logging.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Where an authenticated frame becomes an event: the ADP/1 counter rules, then a durable append,
 * then the projections. The returned future completes only when the answer is final, so the
 * gateway can acknowledge late. Futures complete on the log writer thread: callers hand off.
 */
public final class Intake {
    private static final Logger log = LoggerFactory.getLogger(Intake.class);
    /** A full disk fails every append: one line a second says so, not one per frame. */
    private static final RateLimitedLog notDurableLog = new RateLimitedLog(log, 1000);

    private final EventLog eventLog;
    private final EventCodec codec;
    private final ServerState state;
    private final Clock clock;

    public Intake(EventLog eventLog, EventCodec codec, ServerState state, Clock clock) {
        this.eventLog = eventLog;
        this.codec = codec;
        this.state = state;
        this.clock = clock;
    }

    /** Applies the counter rules to a frame whose identity and signature were already checked. */
    public CompletableFuture<IntakeOutcome> submit(DeviceFrame frame) {
        CounterWindow.Verdict verdict = state.counters(frame.deviceId()).classify(frame.counter(), frame.digest());
        if (verdict instanceof CounterWindow.Verdict.Fresh fresh) {
            return accept(frame, fresh.entry());
        }
        if (verdict instanceof CounterWindow.Verdict.Retransmission retransmission) {
            return retransmission.entry().durable().handle((eventId, failure) -> failure == null
                    ? new IntakeOutcome.Accepted(eventId, true)
                    : new IntakeOutcome.Refused(NackReason.OVERLOADED));
        }
        audit(new Event.SecurityViolation(frame.deviceId(), frame.deviceId(), frame.counter(), NackReason.REPLAYED_COUNTER));
        return CompletableFuture.completedFuture(new IntakeOutcome.Refused(NackReason.REPLAYED_COUNTER));
    }

    private CompletableFuture<IntakeOutcome> accept(DeviceFrame frame, CounterWindow.Entry entry) {
        UUID eventId = entry.eventId();
        CompletableFuture<UUID> durable = entry.durable();
        return record(new Event.FrameAccepted(eventId, clock.millis(), frame)).handle((record, failure) -> {
            if (failure == null) {
                durable.complete(eventId);
                return new IntakeOutcome.Accepted(eventId, false);
            }
            // Not durable: the device is told to retry, and its retransmission is accepted afresh.
            durable.completeExceptionally(failure);
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (!(cause instanceof LogOverloadedException)) {
                notDurableLog.error("event {} of device {} not durable, device told to retry: {}",
                        eventId, String.format("%016x", frame.deviceId()), cause.toString());
            }
            return new IntakeOutcome.Refused(NackReason.OVERLOADED);
        });
    }

    /**
     * Records a security event without making anyone wait for it. An audit record that cannot be
     * written is reported loudly: the refusal itself already happened and stands.
     */
    public void audit(Event.SecurityViolation violation) {
        record(violation).whenComplete((record, failure) -> {
            if (failure != null) {
                log.error("security event {} for device {} not recorded: {}", violation.reason(),
                        String.format("%016x", violation.tlsDeviceId()), failure.toString());
            }
        });
    }

    /** Appends any event and applies it to the projections once durable. */
    public CompletableFuture<LogRecord> record(Event event) {
        return eventLog.append(EventCodec.typeOf(event), codec.encode(event)).thenApply(record -> {
            state.apply(record, event);
            return record;
        });
    }
}
