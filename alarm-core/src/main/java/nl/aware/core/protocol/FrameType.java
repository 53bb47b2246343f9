package nl.aware.core.protocol;

import java.util.Optional;

/**
 * ADP/1 frame types. Codes 0x01..0x08 travel device to server, 0x81..0x83 server to device. Every type has a
 * fixed payload length except AUDIO, whose audio data fills the frame up to the 1024-byte length cap.
 */
public enum FrameType {
    PANIC(0x01, Location.BYTES),
    LOCATION(0x02, Location.BYTES),
    HEARTBEAT(0x03, 2),
    STATUS(0x04, 2),
    TEST(0x05, Location.BYTES),
    CANCEL(0x06, 0),
    // ADP/1 additions (listen-in, evidential audio, commands): DESIGN.md "ADP/1 additions"
    AUDIO(0x07, AudioChunk.HEADER_BYTES, Adp.MAX_FRAME_LENGTH - Adp.HEADER_BYTES - Adp.SIGNATURE_BYTES),
    COMMAND_RESULT(0x08, CommandResult.BYTES),
    ACK(0x81, 17),
    NACK(0x82, 1),
    COMMAND(0x83, 3);

    private final int code;
    private final int minPayload;
    private final int maxPayload;

    FrameType(int code, int payloadBytes) {
        this(code, payloadBytes, payloadBytes);
    }

    FrameType(int code, int minPayload, int maxPayload) {
        this.code = code;
        this.minPayload = minPayload;
        this.maxPayload = maxPayload;
    }

    public int code() {
        return code;
    }

    /** The exact payload length this type carries; any other length is malformed. Not for AUDIO. */
    public int payloadBytes() {
        if (minPayload != maxPayload) {
            throw new IllegalStateException(this + " has a payload of " + minPayload + ".." + maxPayload + " bytes");
        }
        return minPayload;
    }

    /** Whether a payload of {@code length} bytes has the size this type allows. */
    public boolean acceptsPayloadLength(int length) {
        return length >= minPayload && length <= maxPayload;
    }

    /** The allowed payload size in words, for a refusal: "14 bytes" or "16..934 bytes". */
    public String payloadSize() {
        return (minPayload == maxPayload ? String.valueOf(minPayload) : minPayload + ".." + maxPayload) + " bytes";
    }

    public boolean fromDevice() {
        return code < 0x80;
    }

    /** PANIC, LOCATION and TEST carry a {@link Location}. */
    public boolean carriesLocation() {
        return this == PANIC || this == LOCATION || this == TEST;
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
