package nl.aware.gateway.testing;

import nl.aware.core.staff.Base32;
import nl.aware.core.staff.Totp;
import nl.aware.core.testing.MutableClock;
import nl.aware.gateway.cli.SecondFactor;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authenticator app of every test person: keeps the secret each enrolled with and answers with
 * the code of the server's clock. A code is good once and the server takes one step of drift either
 * way, so each answer uses the earliest step still open (the previous one first; on a real clock only
 * while it stays open long enough to be typed); when a person has used all three, a test clock moves
 * on to the next step, as a real person would wait (a real clock is waited for).
 */
public final class TestAuthenticator {
    /**
     * On a real clock a code is typed, sent and checked within this, even by a browser on a loaded machine: a code
     * that would expire sooner is not used (a CI run failed on a previous-step code that expired on the way).
     */
    private static final Duration TYPED_WITHIN = Duration.ofSeconds(10);
    private final Clock clock;
    private final Map<String, byte[]> secrets = new ConcurrentHashMap<>();
    private final Map<String, Long> lastStep = new ConcurrentHashMap<>();
    private final Map<String, List<String>> recoveryCodes = new ConcurrentHashMap<>();

    public TestAuthenticator(Clock clock) {
        this.clock = clock;
    }

    /** The app of one person. */
    public SecondFactor of(String username) {
        return new SecondFactor() {
            @Override
            public String code() {
                return codeNow(username);
            }

            @Override
            public String enrol(String secret, String otpauthUri) {
                secrets.put(username, Base32.decode(secret));
                return codeNow(username);
            }

            @Override
            public void recoveryCodes(List<String> codes) {
                recoveryCodes.put(username, List.copyOf(codes));
            }
        };
    }

    /** A code the server has not seen yet for this person (the clock moves to the next step if need be). */
    public String codeNow(String username) {
        byte[] secret = secrets.get(username);
        if (secret == null) {
            throw new IllegalStateException(username + " has not enrolled");
        }
        long used = lastStep.getOrDefault(username, Long.MIN_VALUE);
        long earliest = Totp.step(clock.instant()) - 1;
        if (!(clock instanceof MutableClock) && acceptedForMillis(earliest) < TYPED_WITHIN.toMillis()) {
            earliest++; // the previous step's code would expire while a browser types and sends it
        }
        long step = Math.max(earliest, used + 1);
        while (step > Totp.step(clock.instant()) + 1) {
            if (clock instanceof MutableClock test) {
                test.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
            } else {
                sleepUntilNextStep();
            }
        }
        lastStep.put(username, step);
        return Totp.code(secret, step, Totp.DIGITS);
    }

    /** How long the server still takes a code of {@code step}: while its own step is at most one later. */
    private long acceptedForMillis(long step) {
        return (step + 2) * Totp.STEP_SECONDS * 1000L - clock.millis();
    }

    private void sleepUntilNextStep() {
        long next = (Totp.step(clock.instant()) + 1) * Totp.STEP_SECONDS * 1000L;
        try {
            Thread.sleep(Math.max(1, next - clock.millis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the next TOTP step", e);
        }
    }

    public byte[] secret(String username) {
        return secrets.get(username);
    }

    public List<String> recoveryCodes(String username) {
        return recoveryCodes.getOrDefault(username, List.of());
    }
}
