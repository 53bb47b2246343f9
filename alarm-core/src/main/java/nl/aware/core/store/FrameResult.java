package nl.aware.core.store;

import java.util.UUID;

/**
 * What a store did with an authenticated frame: the store's own answer, in storage terms. The intake
 * turns it into the device's ACK or NACK (the store knows nothing of the intake).
 */
public sealed interface FrameResult {
    /** A fresh counter: the frame is durable under {@code eventId}. */
    record Appended(UUID eventId) implements FrameResult {
    }

    /** Byte-identical to a frame accepted before, which is durable under {@code eventId}; nothing written. */
    record Retransmission(UUID eventId) implements FrameResult {
    }

    /** At or below the device's high-water mark and not a retransmission; nothing written. */
    record Replayed() implements FrameResult {
    }

    /** Could not be made durable now (log full, slow, Redis away): nothing is promised, the device retries. */
    record NotDurable() implements FrameResult {
    }

    FrameResult REPLAYED = new Replayed();
    FrameResult NOT_DURABLE = new NotDurable();
}
