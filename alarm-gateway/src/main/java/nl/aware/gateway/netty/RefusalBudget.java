package nl.aware.gateway.netty;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many refusal records the gateway may write: one per key (a certificate, an address) per interval.
 * A dead certificate reconnecting in a loop, or one address cycling through certificates, writes one
 * record a minute; the rest is only counted. A refusal is recorded only when every one of its keys has
 * budget left, and then spends all of them.
 *
 * <p>Bounded memory: at most {@code maxKeys} keys are remembered; when full, spent keys are forgotten
 * first, and if none has expired the refusal is not recorded (a flood of distinct keys is exactly when
 * records must not grow). Thread-safe (the gateway's event loops share one budget).
 */
final class RefusalBudget {
    private final Clock clock;
    private final long intervalMillis;
    private final int maxKeys;
    private final Map<Object, Long> spentAt = new LinkedHashMap<>();

    RefusalBudget(Clock clock, Duration interval, int maxKeys) {
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
        this.maxKeys = maxKeys;
    }

    /** True when a record may be written for a refusal with these keys (nulls are skipped); spends them. */
    synchronized boolean tryRecord(List<?> keys) {
        long now = clock.millis();
        for (Object key : keys) {
            Long spent = key == null ? null : spentAt.get(key);
            if (spent != null && now - spent < intervalMillis) {
                return false;
            }
        }
        forgetExpired(now);
        long fresh = keys.stream().filter(key -> key != null && !spentAt.containsKey(key)).count();
        if (spentAt.size() + fresh > maxKeys) {
            return false;
        }
        for (Object key : keys) {
            if (key != null) {
                spentAt.remove(key); // re-insert: the map stays in order of spending
                spentAt.put(key, now);
            }
        }
        return true;
    }

    private void forgetExpired(long now) {
        var entries = spentAt.entrySet().iterator();
        while (entries.hasNext()) {
            if (now - entries.next().getValue() < intervalMillis) {
                return; // in order of spending: the rest is younger
            }
            entries.remove();
        }
    }
}
