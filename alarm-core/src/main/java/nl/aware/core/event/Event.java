package nl.aware.core.event;

import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.NackReason;

import java.util.UUID;

/**
 * What the event log records. The log is the single source of truth: every projection (device
 * registry, counters, open alarms) is rebuilt from these at start-up. Each kind has a fixed record
 * type code that never changes meaning once written.
 */
public sealed interface Event {

    /** A device was enrolled with this certificate (DER). Re-enrolment replaces the certificate. */
    record DeviceEnrolled(long deviceId, byte[] certificateDer) implements Event {
    }

    /** A device may no longer raise alarms. {@code reason} is an operator's short note, never personal data. */
    record DeviceRevoked(long deviceId, String reason) implements Event {
    }

    /**
     * A device frame passed authentication and the counter rules. {@code frame} is the exact signed
     * frame: evidence that this device sent this press with this location.
     */
    record FrameAccepted(UUID eventId, long receiveTimeMs, DeviceFrame frame) implements Event {
        public boolean delayed() {
            return Math.abs(receiveTimeMs - frame.deviceTimeMs()) > nl.aware.core.protocol.Adp.DELAYED_AFTER_MS;
        }
    }

    /**
     * A frame was refused for a security reason (forged, replayed, wrong identity). {@code tlsDeviceId}
     * is the identity of the connection, {@code claimedDeviceId} what the frame said.
     */
    record SecurityViolation(long tlsDeviceId, long claimedDeviceId, long counter, NackReason reason) implements Event {
    }
}
