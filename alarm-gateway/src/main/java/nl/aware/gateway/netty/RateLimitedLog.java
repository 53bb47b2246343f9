package nl.aware.gateway.netty;

import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one line per interval, with the number left out since the last one: a flood of bad
 * connections must not become a flood of log lines.
 */
final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000;
    }

    void warn(String format, Object... arguments) {
        long now = System.nanoTime();
        long next = nextNanos.get();
        if (now - next < 0 || !nextNanos.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long left = suppressed.getAndSet(0);
        if (left > 0) {
            log.warn(format + " (" + left + " similar lines left out)", arguments);
        } else {
            log.warn(format, arguments);
        }
    }
}
