package nl.aware.core.event;

/**
 * What device supervision tells Kadera staff about a carrier's device. Codes are permanent: they are
 * stored in the event log ({@link EventCodec}).
 */
public enum DeviceNoticeKind {
    /** No frame at all for the configured number of heartbeat intervals: the carrier may be unprotected. */
    OFFLINE(1),
    /** A frame arrived from a device that had been reported offline. */
    BACK_ONLINE(2),
    /** The device sent STATUS code 1. */
    LOW_BATTERY(3),
    /** The device sent STATUS code 3. */
    TAMPER(4),
    /** The device sent STATUS code 2. */
    DEVICE_FAULT(5);

    private final int code;

    DeviceNoticeKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Bounded metric tag value, e.g. {@code low_battery}. */
    public String label() {
        return name().toLowerCase();
    }

    public static DeviceNoticeKind ofCode(int code) {
        for (DeviceNoticeKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown device notice kind " + code);
    }
}
