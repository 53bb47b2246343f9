package nl.aware.core.intake;

import nl.aware.core.protocol.NackReason;

import java.util.UUID;

/** The answer a device gets for an authenticated frame. */
public sealed interface IntakeOutcome {
    /** Durable. {@code duplicate}: a retransmission of a frame accepted before. */
    record Accepted(UUID eventId, boolean duplicate) implements IntakeOutcome {
    }

    record Refused(NackReason reason) implements IntakeOutcome {
    }
}
