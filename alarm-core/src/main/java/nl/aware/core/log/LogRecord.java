package nl.aware.core.log;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One durable record of the event log.
 *
 * @param sequence    1-based, contiguous across segments
 * @param timestampMs wall-clock time (ms since the epoch) at which the writer serialised the record
 * @param type        0..255, meaning defined by the caller
 * @param payload     opaque bytes (may hold personal data: never log them)
 * @param hash        SHA-256 of this record's on-disk body (32 bytes); the next record's prevHash
 */
public record LogRecord(long sequence, long timestampMs, int type, byte[] payload, byte[] hash) {

    public LogRecord {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(hash, "hash");
        if (type < 0 || type > 255) {
            throw new IllegalArgumentException("type must be 0..255, got " + type);
        }
        if (hash.length != 32) {
            throw new IllegalArgumentException("hash must be 32 bytes, got " + hash.length);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogRecord r
                && r.sequence == sequence
                && r.timestampMs == timestampMs
                && r.type == type
                && Arrays.equals(r.payload, payload)
                && Arrays.equals(r.hash, hash);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence) * 31 + Arrays.hashCode(hash);
    }

    /** Never shows payload bytes (they may hold a victim's location). */
    @Override
    public String toString() {
        return "LogRecord[sequence=" + sequence + ", timestampMs=" + timestampMs + ", type=" + type
                + ", payloadBytes=" + payload.length + ", hash=" + HexFormat.of().formatHex(hash, 0, 8) + "…]";
    }
}
