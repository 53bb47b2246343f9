package nl.aware.core.logging;

import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one line per interval, with the number left out since the last one: a flood of bad
 * connections must not become a flood of log lines.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000;
    }

    public void warn(String format, Object... arguments) {
        emit(false, format, arguments);
    }

    /** ERROR, same limit; a Throwable as last argument is printed only on the lines that are written. */
    public void error(String format, Object... arguments) {
        emit(true, format, arguments);
    }

    private void emit(boolean error, String format, Object... arguments) {
        long now = System.nanoTime();
        long next = nextNanos.get();
        if (now - next < 0 || !nextNanos.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long left = suppressed.getAndSet(0);
        String line = left > 0 ? format + " (" + left + " similar lines left out)" : format;
        if (error) {
            log.error(line, arguments);
        } else {
            log.warn(line, arguments);
        }
    }
}
