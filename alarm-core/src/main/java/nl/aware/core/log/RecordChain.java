package nl.aware.core.log;

import java.util.zip.CRC32C;

/**
 * The hash chain of the event log, for stores other than the segment files (the Redis store): a
 * record's hash is the SHA-256 of the same body the embedded log writes
 * ({@code u64 sequence | i64 timestampMs | u8 type | 32-byte prevHash | payload}), so both stores
 * chain their records in exactly one way and one verifier's rules hold for both.
 */
public final class RecordChain {
    /** The prevHash of sequence 1. */
    public static final byte[] GENESIS = new byte[SegmentFormat.HASH_BYTES];

    private RecordChain() {
    }

    /** The hash of the record with these fields that follows {@code prevHash}. */
    public static byte[] hash(long sequence, long timestampMs, int type, byte[] prevHash, byte[] payload) {
        if (payload.length > SegmentFormat.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds the maximum of "
                    + SegmentFormat.MAX_PAYLOAD_BYTES);
        }
        byte[] record = new byte[SegmentFormat.FRAME_HEADER_BYTES + SegmentFormat.BODY_FIXED_BYTES + payload.length];
        int length = SegmentFormat.encodeRecord(record, 0, sequence, timestampMs, type, prevHash, payload, new CRC32C());
        var sha = SegmentFormat.sha256();
        sha.update(record, SegmentFormat.FRAME_HEADER_BYTES, length - SegmentFormat.FRAME_HEADER_BYTES);
        return sha.digest();
    }
}
