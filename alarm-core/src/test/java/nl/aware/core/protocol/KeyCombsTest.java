package nl.aware.core.protocol;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which keys keep their comb: real keys and signed frames, a clock the test moves. */
class KeyCombsTest {
    private static final Duration IDLE = Duration.ofSeconds(30);
    private static final long SECOND = 1_000_000_000L;
    private static final List<KeyPair> KEYS = new ArrayList<>();

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final KeyCombs combs = KeyCombs.releasedWhenIdle(IDLE, clock::get);

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        for (int i = 0; i < 4; i++) {
            KEYS.add(generator.generateKeyPair());
        }
    }

    private static DeviceFrame heartbeat(int key, long counter) {
        return DeviceFrame.create(FrameType.HEARTBEAT, 0x0c00L + key, counter, 1_764_000_000_000L, new byte[] {80, 0},
                new FrameSigner(KEYS.get(key).getPrivate()));
    }

    private FrameVerifier verifier(int key) {
        return new FrameVerifier(KEYS.get(key).getPublic(), combs);
    }

    @Test
    void idleKeysComb_isReleasedWhenAnotherIsMade_andMadeAgainAtItsNextCheck_whichStillVerifies() {
        FrameVerifier idle = verifier(0);
        assertTrue(idle.verify(heartbeat(0, 1)));
        assertTrue(idle.holdsComb());

        clock.addAndGet(31 * SECOND);
        FrameVerifier next = verifier(1);
        assertTrue(next.verify(heartbeat(1, 1)));
        assertFalse(idle.holdsComb(), "checked 31 s ago: its comb goes when the next one is made");
        assertTrue(next.holdsComb());

        assertTrue(idle.verify(heartbeat(0, 2)), "a released key still verifies its frames");
        assertFalse(idle.verify(heartbeat(1, 3)), "and still refuses another key's signature");
        assertTrue(idle.holdsComb(), "made again at its check");
    }

    @Test
    void keyCheckedWithinTheIdleTime_keepsItsComb_whileOthersIdleForTwiceAsLongAreReleased() {
        FrameVerifier busy = verifier(0);
        assertTrue(busy.verify(heartbeat(0, 1)));
        List<FrameVerifier> others = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            clock.addAndGet(20 * SECOND);
            assertTrue(busy.verify(heartbeat(0, 2 + round)), "pressed again every 20 s");
            for (int key = 1; key < 4; key++) {
                FrameVerifier other = verifier(key);
                others.add(other);
                assertTrue(other.verify(heartbeat(key, 1)));
            }
        }
        assertTrue(busy.holdsComb(), "100 s of checks 20 s apart: never idle for 30 s, never released");
        assertTrue(others.subList(0, 6).stream().noneMatch(FrameVerifier::holdsComb),
                "the others of the first two rounds, idle for 60 s and more, were released");
        assertTrue(others.subList(12, 15).stream().allMatch(FrameVerifier::holdsComb), "the last round's are kept");
    }

    @Test
    void combsHeld_stayNearWhatWasCheckedInTheIdleTime_notEveryKeyEverChecked() {
        List<FrameVerifier> verifiers = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            verifiers.add(verifier(i % 4)); // 400 devices (four keys are enough: each verifier has its own comb)
        }
        for (int second = 0; second < 100; second++) {
            for (int i = 0; i < 4; i++) {
                int device = second * 4 + i;
                assertTrue(verifiers.get(device).verify(heartbeat(device % 4, second + 1)));
            }
            clock.addAndGet(SECOND);
        }
        long holding = verifiers.stream().filter(FrameVerifier::holdsComb).count();
        // A busy holder goes to the back of the queue: a comb goes between 30 and about 60 s after its last check.
        assertTrue(holding <= 4 * 61, "4 new keys a second, 30 s idle time: at most about 244 combs, was " + holding);
        assertTrue(holding >= 4 * 30, "the keys of the last 30 s are all kept, was " + holding);
        assertEquals(holding, combs.held(), "the queue holds exactly the verifiers with a comb");
    }

    @Test
    void keptCombs_areNeverReleased() {
        FrameVerifier kept = new FrameVerifier(KEYS.get(0).getPublic());
        assertTrue(kept.verify(heartbeat(0, 1)));
        FrameVerifier other = new FrameVerifier(KEYS.get(1).getPublic());
        assertTrue(other.verify(heartbeat(1, 1)));
        assertTrue(kept.holdsComb() && other.holdsComb());
    }

    @Test
    void idleTime_mustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> KeyCombs.releasedWhenIdle(Duration.ZERO));
    }
}
