package nl.aware.web.staff;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The half-way state of a sign-in: the password was right, the second factor is still to come. A
 * challenge is 256 random bits, kept (as its SHA-256) in memory only, for {@link #LIFETIME}; it is
 * answered from the address that got it, it ends at its first right answer or after
 * {@link #WRONG_ANSWERS} wrong ones, and it dies with the password it was issued under.
 */
final class LoginChallenges {
    static final Duration LIFETIME = Duration.ofMinutes(5);
    static final int WRONG_ANSWERS = 3;
    private static final int MAX_OPEN = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the challenge asks for: the code of the enrolled factor, or the first code of a new one. */
    enum Kind { TOTP, ENROL }

    /**
     * @param pendingSecret for {@link Kind#ENROL}: the secret shown to the person, stored only once confirmed
     */
    record Challenge(String username, Kind kind, String passwordHash, String source, Instant expiresAt,
                     byte[] pendingSecret, int wrongAnswers) {
        @Override
        public String toString() {
            return "Challenge[" + username + ", " + kind + "]";
        }
    }

    private final Clock clock;
    private final Map<String, Challenge> open = new ConcurrentHashMap<>();

    LoginChallenges(Clock clock) {
        this.clock = clock;
    }

    /** A new challenge; the opaque text handed to the client. */
    String issue(String username, Kind kind, String passwordHash, String source, byte[] pendingSecret) {
        Instant now = clock.instant();
        if (open.size() >= MAX_OPEN) {
            open.values().removeIf(c -> !now.isBefore(c.expiresAt()));
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        open.put(StaffSessions.hash(text), new Challenge(username, kind, passwordHash, source, now.plus(LIFETIME),
                pendingSecret, 0));
        return text;
    }

    /**
     * The live challenge of that kind answered from {@code source}; empty when unknown, expired, of
     * another kind or from another address. It stays open until {@link #answered} or {@link #wrong}.
     */
    Optional<Challenge> find(String text, Kind kind, String source) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return Optional.empty();
        }
        String key = StaffSessions.hash(text);
        Challenge challenge = open.get(key);
        if (challenge == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(challenge.expiresAt())) {
            open.remove(key);
            return Optional.empty();
        }
        return challenge.kind() == kind && challenge.source().equals(source) ? Optional.of(challenge) : Optional.empty();
    }

    /** A right answer: the challenge is spent. False when another request spent it first. */
    boolean answered(String text) {
        return open.remove(StaffSessions.hash(text)) != null;
    }

    /** A wrong answer: counted; the challenge ends at the {@value #WRONG_ANSWERS}rd. */
    void wrong(String text) {
        open.computeIfPresent(StaffSessions.hash(text), (key, c) -> c.wrongAnswers() + 1 >= WRONG_ANSWERS ? null
                : new Challenge(c.username(), c.kind(), c.passwordHash(), c.source(), c.expiresAt(), c.pendingSecret(),
                c.wrongAnswers() + 1));
    }
}
