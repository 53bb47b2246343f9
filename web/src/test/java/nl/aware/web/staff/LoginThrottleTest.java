package nl.aware.web.staff;

import nl.aware.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T09:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock);

    private void fail(int times, String user, String source) {
        for (int i = 0; i < times; i++) {
            throttle.failed(user, source);
        }
    }

    @Test
    void fiveFailuresAreFree_theSixthAttemptWaitsOneSecond() {
        fail(4, "sam", "10.0.0.1");
        assertTrue(throttle.wait("sam", "10.0.0.1").isZero());

        fail(1, "sam", "10.0.0.1");

        assertEquals(Duration.ofSeconds(1), throttle.wait("sam", "10.0.0.1"));
        clock.advance(Duration.ofSeconds(1));
        assertTrue(throttle.wait("sam", "10.0.0.1").isZero());
    }

    @Test
    void eachFurtherFailureDoublesTheWait_upTo15Minutes() {
        fail(8, "sam", "10.0.0.1");
        assertEquals(Duration.ofSeconds(8), throttle.wait("sam", "10.0.0.1"));

        fail(30, "sam", "10.0.0.1");

        assertEquals(Duration.ofMinutes(15), throttle.wait("sam", "10.0.0.1"));
    }

    @Test
    void failuresFromOneAddress_neverThrottleTheAccountAtAnotherAddress() {
        fail(30, "sam", "10.0.0.1");

        assertTrue(throttle.wait("sam", "10.0.0.2").isZero(), "the holder at her own address is not locked out");
        assertEquals(Duration.ofMinutes(15), throttle.wait("sam", "10.0.0.1"));
    }

    @Test
    void theSourceIsThrottledForAnyAccount() {
        fail(6, "sam", "10.0.0.1");

        assertEquals(Duration.ofSeconds(2), throttle.wait("kim", "10.0.0.1"), "same source, other account");
        assertTrue(throttle.wait("kim", "10.0.0.2").isZero());
    }

    @Test
    void success_clearsTheAccountAndTheSource() {
        fail(7, "sam", "10.0.0.1");

        throttle.succeeded("sam", "10.0.0.1");

        assertTrue(throttle.wait("sam", "10.0.0.1").isZero());
    }
}
