package nl.aware.gateway.testing;

import nl.aware.core.staff.Base32;
import nl.aware.core.staff.Totp;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which step the test authenticator answers with on a real clock: never a code about to expire. */
class TestAuthenticatorTest {
    private static final byte[] SECRET = "12345678901234567890".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final long STEP = 59_000_000;

    private static String firstCodeAt(int secondsIntoStep) throws Exception {
        Instant at = Instant.ofEpochSecond(STEP * Totp.STEP_SECONDS + secondsIntoStep);
        TestAuthenticator app = new TestAuthenticator(Clock.fixed(at, ZoneOffset.UTC));
        return app.of("op").enrol(Base32.encode(SECRET), null);
    }

    @Test
    void earlyInAStep_thePreviousStepsCodeIsUsed_itStaysGoodForTheRestOfTheStep() throws Exception {
        assertEquals(Totp.code(SECRET, STEP - 1, Totp.DIGITS), firstCodeAt(5));
    }

    @Test
    void lateInAStep_theCurrentStepsCode_becauseThePreviousOneExpiresBeforeItCouldBeTyped() throws Exception {
        assertEquals(Totp.code(SECRET, STEP, Totp.DIGITS), firstCodeAt(25));
    }
}
