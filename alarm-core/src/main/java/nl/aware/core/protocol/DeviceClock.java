package nl.aware.core.protocol;

import java.time.Duration;
import java.time.Instant;

/**
 * The ADP/1 rule on device times (DESIGN.md, "Rules"): a device time before 2020 or more than a day
 * ahead of the receive time is recorded as sent, but is not a time anyone can use. Whatever goes out
 * (police, Kadera, console, report) then carries the receive time and says the device clock is wrong;
 * it never carries an unparseable date. A PANIC is never refused for its time.
 */
public final class DeviceClock {
    /** 2020-01-01T00:00:00Z: no device of this deployment was made earlier. */
    public static final long EARLIEST_MS = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
    /** A device clock more than this ahead of ours is wrong, not merely drifting. */
    public static final long MAX_AHEAD_MS = Duration.ofDays(1).toMillis();

    private DeviceClock() {
    }

    /** True when {@code deviceTimeMs} cannot be used as a time (before 2020, or over a day ahead). */
    public static boolean wrong(long deviceTimeMs, long receiveTimeMs) {
        // deviceTimeMs >= EARLIEST_MS > 0 and receiveTimeMs > 0 here, so the subtraction cannot overflow.
        return deviceTimeMs < EARLIEST_MS || deviceTimeMs - receiveTimeMs > MAX_AHEAD_MS;
    }

    /** The time to show for a frame: the device's when it is usable, else the receive time. */
    public static long usableMs(long deviceTimeMs, long receiveTimeMs) {
        return wrong(deviceTimeMs, receiveTimeMs) ? receiveTimeMs : deviceTimeMs;
    }

    /**
     * More than 60 s between device and receive time (the press was held, or the clock drifts); also true
     * when the device clock is wrong, because then the lateness of the press cannot be judged.
     */
    public static boolean delayed(long deviceTimeMs, long receiveTimeMs) {
        return wrong(deviceTimeMs, receiveTimeMs) || Math.abs(receiveTimeMs - deviceTimeMs) > Adp.DELAYED_AFTER_MS;
    }
}
