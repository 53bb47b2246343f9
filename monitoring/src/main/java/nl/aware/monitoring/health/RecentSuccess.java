package nl.aware.monitoring.health;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Up unless something was attempted and has gone unanswered for longer than a window: e.g. "the
 * police endpoints of IJsselland answered within the last 2 minutes, or nothing was sent there since
 * their last answer". A quiet night with no alarms is healthy; a delivery that keeps failing is not.
 *
 * <p>The owner calls {@link #attempted()} before each try and {@link #succeeded()} when the other side
 * answered. Both are lock-free and safe from any thread, including event loops.
 */
public final class RecentSuccess implements HealthCheck {
    private static final long NONE = Long.MIN_VALUE;

    private final String name;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    /** nanoTime of the first attempt since the last success, or NONE when nothing is outstanding. */
    private final AtomicLong unansweredSince = new AtomicLong(NONE);
    private final AtomicLong lastSuccess = new AtomicLong(NONE);

    public RecentSuccess(String name, Duration window) {
        this(name, window, System::nanoTime);
    }

    /** With an explicit {@link System#nanoTime()}-like clock, for tests. */
    public RecentSuccess(String name, Duration window, LongSupplier nanoClock) {
        this.name = Objects.requireNonNull(name, "name");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        this.windowNanos = window.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** Something was sent and an answer is now expected. */
    public void attempted() {
        long now = nanoClock.getAsLong();
        unansweredSince.compareAndSet(NONE, now == NONE ? now + 1 : now);
    }

    /** The other side answered: everything outstanding counts as answered. */
    public void succeeded() {
        lastSuccess.set(nanoClock.getAsLong());
        unansweredSince.set(NONE);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Health check() {
        long since = unansweredSince.get();
        if (since == NONE) {
            return Health.up(lastSuccess.get() == NONE ? "nothing attempted yet" : "answered");
        }
        long waitingNanos = nanoClock.getAsLong() - since;
        long waitingSeconds = Duration.ofNanos(waitingNanos).toSeconds();
        if (waitingNanos > windowNanos) {
            return Health.down("no answer for " + waitingSeconds + " s");
        }
        return Health.up("waiting " + waitingSeconds + " s for an answer");
    }
}
