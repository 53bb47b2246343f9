package nl.aware.core.protocol;

/**
 * A frame body that is not valid ADP/1. Carries the NACK reason and, when the header could be read,
 * the device id and counter that the NACK must echo. The message never contains payload bytes.
 */
public final class FrameFormatException extends Exception {
    private final NackReason reason;
    private final long deviceId;
    private final long counter;

    FrameFormatException(NackReason reason, long deviceId, long counter, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.deviceId = deviceId;
        this.counter = counter;
    }

    public NackReason reason() {
        return reason;
    }

    /** The claimed device id, or 0 when the header was too short to hold one. */
    public long deviceId() {
        return deviceId;
    }

    /** The counter to echo in the NACK, or 0 when the header was too short to hold one. */
    public long counter() {
        return counter;
    }
}
