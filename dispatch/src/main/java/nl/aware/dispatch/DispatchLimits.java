package nl.aware.dispatch;

import java.time.Duration;

/**
 * How hard dispatch pushes a region's receivers, and when it gives up on low-priority work.
 *
 * @param maxInFlight          requests in flight per region
 * @param reservedForPanic     of those, slots only a PANIC may use, so a PANIC never waits for a slow TEST
 * @param maxQueuedSheddable   queued non-PANIC work per region before the oldest of the lowest priority is shed
 * @param backoffBase          first retry delay; doubles per attempt, with jitter
 * @param backoffMax           longest retry delay
 * @param maxAttemptsSheddable attempts before non-PANIC work is shed (a PANIC is retried for ever)
 * @param escalateAfter        no police acceptance by then: escalate, and keep trying the police
 */
public record DispatchLimits(int maxInFlight, int reservedForPanic, int maxQueuedSheddable, Duration backoffBase,
                             Duration backoffMax, int maxAttemptsSheddable, Duration escalateAfter) {
    public DispatchLimits {
        if (maxInFlight < 2 || reservedForPanic < 1 || reservedForPanic >= maxInFlight) {
            throw new IllegalArgumentException("dispatch needs 1 <= reservedForPanic < maxInFlight, was "
                    + reservedForPanic + " of " + maxInFlight);
        }
        if (maxQueuedSheddable < 1 || maxAttemptsSheddable < 1) {
            throw new IllegalArgumentException("queue bound and attempt limit must be positive");
        }
        if (backoffBase.isNegative() || backoffBase.isZero() || backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 < base <= max");
        }
        if (escalateAfter.isNegative() || escalateAfter.isZero()) {
            throw new IllegalArgumentException("escalate-after must be positive, was " + escalateAfter);
        }
    }

    public static DispatchLimits defaults() {
        return new DispatchLimits(16, 4, 20_000, Duration.ofMillis(200), Duration.ofSeconds(5), 30,
                Duration.ofSeconds(15));
    }

    public DispatchLimits withEscalateAfter(Duration after) {
        return new DispatchLimits(maxInFlight, reservedForPanic, maxQueuedSheddable, backoffBase, backoffMax,
                maxAttemptsSheddable, after);
    }

    public DispatchLimits withMaxQueuedSheddable(int bound) {
        return new DispatchLimits(maxInFlight, reservedForPanic, bound, backoffBase, backoffMax,
                maxAttemptsSheddable, escalateAfter);
    }

    /** Exponential backoff with equal jitter: half fixed, half random. */
    public long backoffMillis(int attempt, double random) {
        long ceiling = Math.min(backoffMax.toMillis(), backoffBase.toMillis() << Math.min(attempt - 1, 20));
        return ceiling / 2 + (long) (random * (ceiling / 2.0));
    }
}
