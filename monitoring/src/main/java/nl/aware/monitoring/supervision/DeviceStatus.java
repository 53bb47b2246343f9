package nl.aware.monitoring.supervision;

/**
 * What supervision knows of one device, for the staff API.
 *
 * @param lastSeenMs     server receive time (ms since the epoch) of its last frame, or of its enrolment
 * @param offline        reported OFFLINE and not yet back
 * @param batteryPercent last reported charge, 0xFF when unknown
 */
public record DeviceStatus(long deviceId, long lastSeenMs, boolean offline, int batteryPercent) {
}
