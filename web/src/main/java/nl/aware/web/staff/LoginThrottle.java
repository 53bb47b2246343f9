package nl.aware.web.staff;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password and code guessing, per account at an address and per address: {@value #FREE_FAILURES} failures in a
 * row are free, then each further attempt must wait 1 s, 2 s, 4 s ... up to {@link #MAX_WAIT} after
 * the last failure. A blocked attempt costs no hash. A success clears both counters. Forgotten after
 * {@link #MAX_WAIT} of quiet, and bounded in size, so a spray of names cannot fill memory.
 *
 * <p>There is deliberately no counter for an account over all addresses: guesses from elsewhere would
 * then lock its holder out (an attacker's cheapest way to keep a case worker from an alarm). The
 * holder's own address is throttled only by failures from that address. Distributed guessing still
 * needs the password (15+ characters, not a common one) and a code that changes every 30 s.
 */
final class LoginThrottle {
    static final int FREE_FAILURES = 5;
    static final Duration MAX_WAIT = Duration.ofMinutes(15);
    private static final int MAX_ENTRIES = 10_000;

    private record Failures(int count, Instant last) {
    }

    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long the attempt must wait; zero when it may go ahead. */
    Duration wait(String username, String source) {
        Instant now = clock.instant();
        Duration account = wait(failures.get(accountKey(username, source)), now);
        Duration address = wait(failures.get(sourceKey(source)), now);
        return account.compareTo(address) >= 0 ? account : address;
    }

    void failed(String username, String source) {
        Instant now = clock.instant();
        if (failures.size() >= MAX_ENTRIES) {
            failures.values().removeIf(f -> !now.isBefore(f.last().plus(MAX_WAIT)));
        }
        for (String key : new String[] {accountKey(username, source), sourceKey(source)}) {
            failures.merge(key, new Failures(1, now), (old, one) -> new Failures(old.count() + 1, now));
        }
    }

    void succeeded(String username, String source) {
        failures.remove(accountKey(username, source));
        failures.remove(sourceKey(source));
    }

    private static Duration wait(Failures f, Instant now) {
        if (f == null || f.count() < FREE_FAILURES) {
            return Duration.ZERO;
        }
        int doublings = Math.min(f.count() - FREE_FAILURES, 20);
        Duration delay = Duration.ofSeconds(1L << doublings);
        if (delay.compareTo(MAX_WAIT) > 0) {
            delay = MAX_WAIT;
        }
        Duration left = Duration.between(now, f.last().plus(delay));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static String accountKey(String username, String source) {
        return "account:" + username + "@" + source;
    }

    private static String sourceKey(String source) {
        return "source:" + source;
    }
}
