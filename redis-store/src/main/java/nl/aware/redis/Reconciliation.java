package nl.aware.redis;

import java.util.UUID;

/**
 * What Redis made of a record a node kept locally while Redis was away.
 *
 * @param original for {@link Kind#ALREADY_THERE} of a frame: the event id Redis holds it under; else null
 */
public record Reconciliation(Kind kind, UUID original) {
    public enum Kind {
        /** Appended now. */
        APPENDED,
        /** Redis has it already (an earlier reconciliation, or the frame was accepted by another node). */
        ALREADY_THERE,
        /** A frame whose counter Redis holds with other bytes: not appended (audited by the caller). */
        REPLAYED
    }

    static Reconciliation appended() {
        return new Reconciliation(Kind.APPENDED, null);
    }

    static Reconciliation alreadyThere(UUID original) {
        return new Reconciliation(Kind.ALREADY_THERE, original);
    }

    static Reconciliation replayed() {
        return new Reconciliation(Kind.REPLAYED, null);
    }
}
