package nl.aware.core.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * The ADP/1 counter rules as one table of cases, run against the Java rules ({@link CounterRules}, through
 * the {@link CounterWindow} every Java store uses: CounterRulesTest here) and against their Redis-side twin
 * {@code append.lua} on a real redis-server (CounterRulesLuaTest in redis-store). A change to the rules
 * changes this table, and both must follow.
 *
 * <p>Each case: frames the device had accepted, in order (each was fresh when sent), then one probe frame
 * and the verdict the rules must give it. A frame is a counter and a tag standing for its bytes (frames
 * with the same tag are byte-identical).
 */
public final class CounterRuleCases {
    /** One frame: its counter and what its bytes are (a tag; the same tag, the same bytes). */
    public record Sent(long counter, String bytes) {
        public byte[] digest() {
            try {
                return MessageDigest.getInstance("SHA-256").digest((counter + "/" + bytes).getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public record Case(String name, List<Sent> accepted, Sent probe, CounterRules.Verdict expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private CounterRuleCases() {
    }

    public static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("first frame of a device is fresh", List.of(), sent(1), CounterRules.Verdict.FRESH));
        cases.add(new Case("first frame may use counter 0", List.of(), sent(0), CounterRules.Verdict.FRESH));
        cases.add(new Case("next counter is fresh", List.of(sent(1), sent(2)), sent(3), CounterRules.Verdict.FRESH));
        cases.add(new Case("a gap above the mark is fresh", List.of(sent(1)), sent(1_000), CounterRules.Verdict.FRESH));
        cases.add(new Case("identical repeat of the last frame is a retransmission", List.of(sent(1), sent(2)),
                sent(2), CounterRules.Verdict.RETRANSMISSION));
        cases.add(new Case("identical repeat of the 8th-last frame is a retransmission", upTo(8), sent(1),
                CounterRules.Verdict.RETRANSMISSION));
        cases.add(new Case("identical repeat of the 9th-last frame is a replay", upTo(9), sent(1),
                CounterRules.Verdict.REPLAY));
        cases.add(new Case("same counter, other bytes is a replay", List.of(sent(1), sent(2)),
                new Sent(2, "forged"), CounterRules.Verdict.REPLAY));
        cases.add(new Case("an unused counter below the mark is a replay", List.of(sent(5)), sent(3),
                CounterRules.Verdict.REPLAY));
        cases.add(new Case("counter 0 after 1 is a replay", List.of(sent(1)), sent(0), CounterRules.Verdict.REPLAY));
        cases.add(new Case("counters compare unsigned: 2^63 is above 2^63-1", List.of(sent(Long.MAX_VALUE)),
                sent(Long.MIN_VALUE), CounterRules.Verdict.FRESH));
        cases.add(new Case("counters compare unsigned: 1 is below 2^64-1", List.of(sent(-1L)), sent(1),
                CounterRules.Verdict.REPLAY));
        cases.add(new Case("identical repeat at 2^64-1 is a retransmission", List.of(sent(-1L)), sent(-1L),
                CounterRules.Verdict.RETRANSMISSION));
        cases.add(new Case("other bytes at 2^64-1 after it was used are a replay", List.of(sent(-1L)),
                new Sent(-1L, "forged"), CounterRules.Verdict.REPLAY));
        return cases;
    }

    private static Sent sent(long counter) {
        return new Sent(counter, "original");
    }

    private static List<Sent> upTo(long last) {
        return LongStream.rangeClosed(1, last).mapToObj(CounterRuleCases::sent).toList();
    }
}
