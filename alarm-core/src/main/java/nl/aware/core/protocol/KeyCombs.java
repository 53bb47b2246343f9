package nl.aware.core.protocol;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * Which device keys keep their comb ({@link P256Verification}, 2 KiB a key): those checked within the
 * last {@code idle}. A key checked again later makes its comb anew, 0.24 ms instead of 0.08 for that
 * one check. Kept for every key, 100,000 devices would hold 200 MB for a heartbeat each every 5 minutes;
 * released after 30 s, 10,000 to 20,000 combs stay (20 to 40 MB), and a carrier who presses again and again
 * keeps hers.
 *
 * <p>No thread sweeps: whoever makes a comb looks at the two oldest holders, releases an idle one's
 * comb and sends a busy one to the back (a second chance), so releases keep pace with new combs. A comb
 * therefore goes between {@code idle} and about twice that after its key's last check.
 */
public final class KeyCombs {
    /** Idle time after which a device key's comb may go; shorter than any heartbeat interval in use. */
    public static final Duration DEVICE_KEYS_IDLE = Duration.ofSeconds(30);
    private static final int LOOKS_PER_COMB = 2;
    /** Never released: {@link #made} keeps no queue for it. */
    private static final long NEVER = Long.MAX_VALUE;
    private static final KeyCombs KEPT = new KeyCombs(NEVER, System::nanoTime);

    private final long idleNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentLinkedQueue<FrameVerifier> holders = new ConcurrentLinkedQueue<>();

    private KeyCombs(long idleNanos, LongSupplier nanoClock) {
        this.idleNanos = idleNanos;
        this.nanoClock = nanoClock;
    }

    /** Combs released once their key was not checked for {@code idle}. */
    public static KeyCombs releasedWhenIdle(Duration idle) {
        return releasedWhenIdle(idle, System::nanoTime);
    }

    static KeyCombs releasedWhenIdle(Duration idle, LongSupplier nanoClock) {
        if (idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("the idle time before a key's comb is released must be positive");
        }
        return new KeyCombs(idle.toNanos(), nanoClock);
    }

    /** Combs kept as long as their verifier: for verifiers that live briefly (a report, a benchmark). */
    public static KeyCombs kept() {
        return KEPT;
    }

    long now() {
        return nanoClock.getAsLong();
    }

    /** {@code verifier} just made its comb at {@code now}. */
    void made(FrameVerifier verifier, long now) {
        if (idleNanos == NEVER) {
            return;
        }
        holders.add(verifier);
        for (int looked = 0; looked < LOOKS_PER_COMB; looked++) {
            FrameVerifier oldest = holders.poll();
            if (oldest == null) {
                return;
            }
            if (now - oldest.lastCheckNanos() > idleNanos) {
                oldest.releaseComb();
            } else {
                holders.add(oldest);
            }
        }
    }

    /** Verifiers queued as holding a comb (for tests). */
    int held() {
        return holders.size();
    }
}
