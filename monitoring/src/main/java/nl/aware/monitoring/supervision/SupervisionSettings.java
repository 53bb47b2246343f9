package nl.aware.monitoring.supervision;

import java.time.Duration;
import java.util.Objects;

/**
 * How devices are supervised.
 *
 * @param heartbeatInterval how often a device sends a HEARTBEAT (any frame counts as a sign of life)
 * @param missedHeartbeats  intervals without any frame before the device is reported OFFLINE
 * @param checkInterval     how often deadlines are checked (the reporting delay beyond the allowance)
 */
public record SupervisionSettings(Duration heartbeatInterval, int missedHeartbeats, Duration checkInterval) {

    /** Devices heartbeat every 5 minutes; OFFLINE after 3 missed (15 minutes of silence); checked every second. */
    public static final SupervisionSettings DEFAULTS =
            new SupervisionSettings(Duration.ofMinutes(5), 3, Duration.ofSeconds(1));

    public SupervisionSettings {
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(checkInterval, "checkInterval");
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeatInterval must be positive, got " + heartbeatInterval);
        }
        if (missedHeartbeats < 1) {
            throw new IllegalArgumentException("missedHeartbeats must be at least 1, got " + missedHeartbeats);
        }
        if (checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("checkInterval must be positive, got " + checkInterval);
        }
    }

    /** Silence allowed before OFFLINE: {@code heartbeatInterval × missedHeartbeats}. */
    public Duration allowance() {
        return heartbeatInterval.multipliedBy(missedHeartbeats);
    }
}
