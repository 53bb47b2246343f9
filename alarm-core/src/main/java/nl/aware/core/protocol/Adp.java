package nl.aware.core.protocol;

/** Fixed numbers of the ADP/1 wire protocol (docs/protocol.md; normative text in DESIGN.md). */
public final class Adp {
    public static final int VERSION = 1;
    /** Largest value of the u16 length prefix; a larger (or zero) length closes the connection. */
    public static final int MAX_FRAME_LENGTH = 1024;
    /** Bytes of the length prefix itself. */
    public static final int LENGTH_FIELD_BYTES = 2;
    /** version + type + deviceId + counter + timeMs + payloadLength. */
    public static final int HEADER_BYTES = 1 + 1 + 8 + 8 + 8 + 2;
    /** ECDSA P-256 signature r||s, device to server only. */
    public static final int SIGNATURE_BYTES = 64;
    /** A device time this far from the receive time marks a PANIC as delayed (never rejected). */
    public static final long DELAYED_AFTER_MS = 60_000;

    static final int OFFSET_TYPE = 1;
    static final int OFFSET_DEVICE_ID = 2;
    static final int OFFSET_COUNTER = 10;
    static final int OFFSET_TIME = 18;
    static final int OFFSET_PAYLOAD_LENGTH = 26;

    private Adp() {
    }
}
