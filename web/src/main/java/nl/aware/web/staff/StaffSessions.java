package nl.aware.web.staff;

import nl.aware.core.crypto.Sha256;
import nl.aware.core.state.StaffDirectory;
import nl.aware.core.staff.StaffRole;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens of logged-in staff: 256 random bits, handed out once, kept only as their SHA-256
 * and only in memory (a restart logs everyone out). A session ends after {@code idle} without use,
 * {@code absolute} after login, at logout, and as soon as its account is disabled or its password is
 * set anew (checked against the directory on every use, so no event can be missed).
 */
public final class StaffSessions {
    /** Many tabs are fine, an unbounded number of live tokens per account is not. */
    static final int MAX_SESSIONS_PER_ACCOUNT = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A live session. {@code passwordHash} is the one in force at login: a reset ends the session. */
    public record Session(String username, StaffRole role, Instant createdAt, String passwordHash, String tokenHash) {
        @Override
        public String toString() {
            return "Session[" + username + ", " + role.label() + "]";
        }
    }

    /** What login hands out: the token (shown once) and when the session ends at the latest. */
    public record Issued(String token, Session session, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[" + session + "]";
        }
    }

    private final StaffDirectory directory;
    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;
    private final Map<String, Session> byTokenHash = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();

    public StaffSessions(StaffDirectory directory, Clock clock, Duration idle, Duration absolute) {
        this.directory = directory;
        this.clock = clock;
        this.idle = idle;
        this.absolute = absolute;
    }

    /** Opens a session for an account whose password was just verified. */
    public Issued open(StaffDirectory.Account account) {
        sweep();
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant();
        String tokenHash = hash(token);
        Session session = new Session(account.username(), account.role(), now, account.passwordHash(), tokenHash);
        byTokenHash.put(tokenHash, session);
        lastUsed.put(tokenHash, now);
        limitPerAccount(account.username());
        return new Issued(token, session, now.plus(absolute));
    }

    /** The live session of a token, marked as used now; empty when unknown, expired or revoked. */
    public Optional<Session> use(String token) {
        if (token == null || token.isEmpty() || token.length() > 64) {
            return Optional.empty();
        }
        String tokenHash = hash(token);
        Session session = byTokenHash.get(tokenHash);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant used = lastUsed.getOrDefault(tokenHash, Instant.MIN);
        if (!now.isBefore(session.createdAt().plus(absolute)) || !now.isBefore(used.plus(idle)) || !stillValid(session)) {
            end(tokenHash);
            return Optional.empty();
        }
        lastUsed.put(tokenHash, now);
        return Optional.of(session);
    }

    /**
     * Whether a session handed out earlier is still live (not logged out, expired or revoked), marking it used
     * when it is: an open live stream (the control-room queue) is use, checked on every heartbeat, and ends
     * when the session does (at the absolute limit at the latest).
     */
    public boolean keepAlive(Session session) {
        Instant now = clock.instant();
        Instant used = lastUsed.getOrDefault(session.tokenHash(), Instant.MIN);
        boolean live = byTokenHash.containsKey(session.tokenHash()) && now.isBefore(session.createdAt().plus(absolute))
                && now.isBefore(used.plus(idle)) && stillValid(session);
        if (live) {
            lastUsed.put(session.tokenHash(), now);
        }
        return live;
    }

    /** Logout. */
    public void close(Session session) {
        end(session.tokenHash());
    }

    /** Ends every session of an account (disabled, password reset). */
    public void endAll(String username) {
        byTokenHash.values().removeIf(s -> {
            if (s.username().equals(username)) {
                lastUsed.remove(s.tokenHash());
                return true;
            }
            return false;
        });
    }

    public int size() {
        return byTokenHash.size();
    }

    private boolean stillValid(Session session) {
        return directory.find(session.username())
                .filter(StaffDirectory.Account::enabled)
                .filter(a -> a.passwordHash().equals(session.passwordHash()))
                .isPresent();
    }

    private void end(String tokenHash) {
        byTokenHash.remove(tokenHash);
        lastUsed.remove(tokenHash);
    }

    /** Drops expired sessions; run at each login, which is often enough at staff volumes. */
    private void sweep() {
        Instant now = clock.instant();
        byTokenHash.values().removeIf(s -> {
            Instant used = lastUsed.getOrDefault(s.tokenHash(), Instant.MIN);
            boolean expired = !now.isBefore(s.createdAt().plus(absolute)) || !now.isBefore(used.plus(idle));
            if (expired) {
                lastUsed.remove(s.tokenHash());
            }
            return expired;
        });
    }

    private void limitPerAccount(String username) {
        var mine = byTokenHash.values().stream().filter(s -> s.username().equals(username))
                .sorted(java.util.Comparator.comparing(Session::createdAt)).toList();
        for (int i = 0; i < mine.size() - MAX_SESSIONS_PER_ACCOUNT; i++) {
            end(mine.get(i).tokenHash());
        }
    }

    static String hash(String token) {
        return HexFormat.of().formatHex(Sha256.of(token.getBytes(StandardCharsets.US_ASCII)));
    }
}
