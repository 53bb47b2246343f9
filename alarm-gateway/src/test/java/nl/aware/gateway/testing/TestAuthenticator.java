package nl.aware.gateway.testing;

import nl.aware.core.staff.Base32;
import nl.aware.core.staff.Totp;
import nl.aware.core.testing.MutableClock;
import nl.aware.gateway.cli.SecondFactor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authenticator app of every test person: keeps the secret each enrolled with and answers with
 * the code of the server's (test) clock. A code is good once, so when a person signs in again within
 * the same 30 s step the clock moves on to the next step first, as a real person would wait.
 */
public final class TestAuthenticator {
    private final MutableClock clock;
    private final Map<String, byte[]> secrets = new ConcurrentHashMap<>();
    private final Map<String, Long> lastStep = new ConcurrentHashMap<>();
    private final Map<String, List<String>> recoveryCodes = new ConcurrentHashMap<>();

    public TestAuthenticator(MutableClock clock) {
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
        long step = Totp.step(clock.instant());
        if (step <= lastStep.getOrDefault(username, Long.MIN_VALUE)) {
            clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
            step = Totp.step(clock.instant());
        }
        lastStep.put(username, step);
        return Totp.code(secret, step, Totp.DIGITS);
    }

    public byte[] secret(String username) {
        return secrets.get(username);
    }

    public List<String> recoveryCodes(String username) {
        return recoveryCodes.getOrDefault(username, List.of());
    }
}
