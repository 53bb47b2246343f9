package nl.aware.core.intake;

import nl.aware.core.event.AudioRefusal;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.LogRecord;
import nl.aware.core.protocol.AudioChunk;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.NackReason;
import nl.aware.core.state.ServerState;
import nl.aware.core.store.EmbeddedStore;
import nl.aware.core.store.EventStore;
import nl.aware.core.store.FrameResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where an authenticated frame becomes an event: the ADP/1 counter rules and a durable append (one
 * step of the {@link EventStore}), then the projections. The returned future completes only when the
 * answer is final, so the gateway can acknowledge late. Futures complete on the store's thread:
 * callers hand off.
 */
public final class Intake implements EventRecorder {
    private static final Logger log = LoggerFactory.getLogger(Intake.class);

    private final EventStore store;
    private final ServerState state;
    private final Clock clock;

    /** @param state the projections of {@code store}: which audio streams are open, which frames were seen */
    public Intake(EventStore store, ServerState state, Clock clock) {
        this.store = store;
        this.state = state;
        this.clock = clock;
    }

    /** The embedded store over {@code eventLog}. */
    public Intake(EventLog eventLog, EventCodec codec, ServerState state, Clock clock) {
        this(new EmbeddedStore(eventLog, codec, state), state, clock);
    }

    /**
     * Applies the counter rules to a frame whose identity and signature were already checked, and turns
     * the store's result into the device's answer: ACK 0 appended, ACK 1 retransmission, NACK 2 replay
     * (audited), NACK 7 not durable (the device retries).
     */
    public CompletableFuture<IntakeOutcome> submit(DeviceFrame frame) {
        if (frame.type() == FrameType.AUDIO) {
            return submitAudio(frame);
        }
        return store.acceptFrame(frame, clock.millis()).thenApply(result -> answer(frame, result));
    }

    /**
     * AUDIO takes the same path as every frame (counter rules, durable before its ACK) once its stream is
     * expected: the press of an open alert whose carrier agreed to recording, or a LISTEN sent to the device.
     * Anything else that would be news is NACK 8, audited and not kept. A frame at or below the device's mark is
     * left to the counter rules whatever its stream: a retransmission of a kept frame is answered as one even
     * when its stream has ended meanwhile (a lost ACK never turns into a refusal of evidence we hold), and a
     * replay is a replay (NACK 2), never appended.
     */
    private CompletableFuture<IntakeOutcome> submitAudio(DeviceFrame frame) {
        AudioChunk chunk = frame.audio();
        Optional<AudioRefusal> refusal = state.audioStreams().refusal(frame.deviceId(), chunk.streamId());
        if (refusal.isPresent() && state.counters(frame.deviceId()).wouldBeFresh(frame.counter())) {
            recordOrReport(new Event.AudioRefused(frame.deviceId(), frame.counter(), chunk.streamId(), refusal.get(),
                    clock.millis()), log, "audio refusal " + refusal.get() + " for device "
                    + String.format("%016x", frame.deviceId()));
            return CompletableFuture.completedFuture(new IntakeOutcome.Refused(NackReason.NOT_EXPECTED));
        }
        return store.acceptFrame(frame, clock.millis()).thenApply(result -> {
            IntakeOutcome outcome = answer(frame, result);
            if (chunk.last() && result instanceof FrameResult.Appended) {
                recordGaps(frame.deviceId(), chunk.streamId());
            }
            return outcome;
        });
    }

    /** The stream's last frame is durable (and applied): its holes go on the record; nobody waits for that. */
    private void recordGaps(long deviceId, long streamId) {
        for (long[] hole : state.audioStreams().endedHoles(deviceId, streamId)) {
            recordOrReport(new Event.AudioGap(deviceId, streamId, hole[0], hole[1], clock.millis()), log,
                    "audio gap of device " + String.format("%016x", deviceId) + " stream " + streamId);
        }
    }

    private IntakeOutcome answer(DeviceFrame frame, FrameResult result) {
        if (result instanceof FrameResult.Appended appended) {
            return new IntakeOutcome.Accepted(appended.eventId(), false);
        }
        if (result instanceof FrameResult.Retransmission retransmission) {
            return new IntakeOutcome.Accepted(retransmission.eventId(), true);
        }
        if (result instanceof FrameResult.Replayed) {
            audit(new Event.SecurityViolation(frame.deviceId(), frame.deviceId(), frame.counter(),
                    NackReason.REPLAYED_COUNTER));
            return new IntakeOutcome.Refused(NackReason.REPLAYED_COUNTER);
        }
        return new IntakeOutcome.Refused(NackReason.OVERLOADED);
    }

    /**
     * Records a security event without making anyone wait for it. An audit record that cannot be
     * written is reported loudly: the refusal itself already happened and stands.
     */
    public void audit(Event.SecurityViolation violation) {
        recordOrReport(violation, log, "security event " + violation.reason() + " for device "
                + String.format("%016x", violation.tlsDeviceId()));
    }

    /** Appends any event and applies it to the projections once durable. */
    @Override
    public CompletableFuture<LogRecord> record(Event event) {
        return store.append(event);
    }
}
