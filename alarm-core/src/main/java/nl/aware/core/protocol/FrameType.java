package nl.aware.core.protocol;

import java.util.Optional;

/** ADP/1 frame types. Codes 0x01..0x06 travel device to server, 0x81..0x82 server to device. */
public enum FrameType {
    PANIC(0x01, Location.BYTES),
    LOCATION(0x02, Location.BYTES),
    HEARTBEAT(0x03, 2),
    STATUS(0x04, 2),
    TEST(0x05, Location.BYTES),
    CANCEL(0x06, 0),
    ACK(0x81, 17),
    NACK(0x82, 1);

    private final int code;
    private final int payloadBytes;

    FrameType(int code, int payloadBytes) {
        this.code = code;
        this.payloadBytes = payloadBytes;
    }

    public int code() {
        return code;
    }

    /** The exact payload length this type carries; any other length is malformed. */
    public int payloadBytes() {
        return payloadBytes;
    }

    public boolean fromDevice() {
        return code < 0x80;
    }

    /** PANIC, LOCATION and TEST carry a {@link Location}. */
    public boolean carriesLocation() {
        return payloadBytes == Location.BYTES && fromDevice();
    }

    public static Optional<FrameType> of(int code) {
        for (FrameType type : values()) {
            if (type.code == code) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
