package nl.aware.core.state;

/**
 * The ADP/1 counter rules (docs/protocol.md §6), in one place for every Java store: a counter above the
 * device's high-water mark is fresh; at or below it, a frame byte-identical to one of the last
 * {@link #REMEMBERED} accepted is a retransmission (answered with the original event id); anything else
 * is a replay. Counters compare as unsigned 64-bit numbers. A new enrolment (a new certificate) starts a
 * new epoch with no mark ({@link ServerState}).
 *
 * <p>The Redis store's {@code append.lua} is the twin of this class on the Redis side (a Lua script must
 * decide atomically where the data is); one table of cases ({@code CounterRuleCases} in alarm-core's
 * test-jar) runs against both.
 */
public final class CounterRules {
    /** Retransmissions come 3 s apart; frames older than the last eight are not expected back. */
    public static final int REMEMBERED = 8;

    public enum Verdict { FRESH, RETRANSMISSION, REPLAY }

    private CounterRules() {
    }

    /**
     * @param anyAccepted           whether the device has accepted any frame in this epoch (else there is no mark)
     * @param highWater             the highest counter accepted in this epoch
     * @param counter               the frame's counter
     * @param identicalToRemembered whether one of the last {@link #REMEMBERED} accepted frames has this counter
     *                              and the same bytes (digest)
     */
    public static Verdict judge(boolean anyAccepted, long highWater, long counter, boolean identicalToRemembered) {
        if (!anyAccepted || Long.compareUnsigned(counter, highWater) > 0) {
            return Verdict.FRESH;
        }
        return identicalToRemembered ? Verdict.RETRANSMISSION : Verdict.REPLAY;
    }
}
