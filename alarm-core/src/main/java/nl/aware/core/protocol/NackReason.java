package nl.aware.core.protocol;

import java.util.Optional;

/** Why the server refused a frame (payload of NACK 0x82). Most reasons also close the connection. */
public enum NackReason {
    BAD_SIGNATURE(1, true),
    REPLAYED_COUNTER(2, false),
    UNKNOWN_DEVICE(3, true),
    IDENTITY_MISMATCH(4, true),
    MALFORMED(5, true),
    UNSUPPORTED(6, true),
    OVERLOADED(7, false),
    /** A frame valid in itself but not in the current state, e.g. AUDIO of no open alert or LISTEN. */
    NOT_EXPECTED(8, false);

    private final int code;
    private final boolean closesConnection;

    NackReason(int code, boolean closesConnection) {
        this.code = code;
        this.closesConnection = closesConnection;
    }

    public int code() {
        return code;
    }

    public boolean closesConnection() {
        return closesConnection;
    }

    public static Optional<NackReason> of(int code) {
        for (NackReason reason : values()) {
            if (reason.code == code) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }
}
