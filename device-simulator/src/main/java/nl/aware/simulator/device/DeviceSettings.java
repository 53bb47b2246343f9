package nl.aware.simulator.device;

import java.time.Duration;

/**
 * How a simulated device behaves. The ADP/1 values (3 s ACK timeout, LOCATION every 15 s for 30 min
 * after a PANIC) are the defaults; tests and demos shorten them.
 *
 * @param heartbeatInterval  a HEARTBEAT this often while connected
 * @param locationInterval   a LOCATION update this often after a press
 * @param trackingDuration   how long after the last press location updates continue
 * @param ackTimeout         an unanswered frame is retransmitted (same bytes) after this long
 * @param overloadRetryDelay a frame refused with NACK 7 (overloaded) is sent again after about this long
 * @param reconnectMin       first wait before reconnecting; doubles per failed attempt
 * @param reconnectMax       longest wait before reconnecting
 */
public record DeviceSettings(Duration heartbeatInterval, Duration locationInterval, Duration trackingDuration,
                             Duration ackTimeout, Duration overloadRetryDelay, Duration reconnectMin,
                             Duration reconnectMax) {
    public DeviceSettings {
        requirePositive(heartbeatInterval, "heartbeat interval");
        requirePositive(locationInterval, "location interval");
        requirePositive(ackTimeout, "ACK timeout");
        requirePositive(overloadRetryDelay, "overload retry delay");
        requirePositive(reconnectMin, "reconnect delay");
        if (trackingDuration.isNegative()) {
            throw new IllegalArgumentException("tracking duration must not be negative");
        }
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("longest reconnect delay must be at least the first");
        }
    }

    public static DeviceSettings defaults() {
        return new DeviceSettings(Duration.ofMinutes(1), Duration.ofSeconds(15), Duration.ofMinutes(30),
                Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofMillis(250), Duration.ofSeconds(10));
    }

    public DeviceSettings withHeartbeatInterval(Duration interval) {
        return new DeviceSettings(interval, locationInterval, trackingDuration, ackTimeout, overloadRetryDelay,
                reconnectMin, reconnectMax);
    }

    public DeviceSettings withTracking(Duration interval, Duration duration) {
        return new DeviceSettings(heartbeatInterval, interval, duration, ackTimeout, overloadRetryDelay,
                reconnectMin, reconnectMax);
    }

    public DeviceSettings withAckTimeout(Duration timeout) {
        return new DeviceSettings(heartbeatInterval, locationInterval, trackingDuration, timeout, overloadRetryDelay,
                reconnectMin, reconnectMax);
    }

    private static void requirePositive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
