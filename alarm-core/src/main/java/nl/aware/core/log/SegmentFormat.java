package nl.aware.core.log;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Constants and helpers of the on-disk format (see {@link EventLog} and docs/event-log.md). All big-endian.
 * <pre>
 * segment  = header record*
 * header   = magic "AWLOG\0\0\1" (8 bytes) | u64 firstSequence
 * record   = u32 bodyLength | u32 CRC32C(body) | body
 * body     = u64 sequence | i64 timestampMs | u8 type | 32-byte prevHash | payload
 * </pre>
 */
final class SegmentFormat {

    static final byte[] MAGIC = {'A', 'W', 'L', 'O', 'G', 0, 0, 1};
    static final int HEADER_BYTES = 16;
    static final int FRAME_HEADER_BYTES = 8;
    static final int HASH_BYTES = 32;
    /** sequence + timestamp + type + prevHash. */
    static final int BODY_FIXED_BYTES = 8 + 8 + 1 + HASH_BYTES;
    static final int OFF_SEQUENCE = 0;
    static final int OFF_TIMESTAMP = 8;
    static final int OFF_TYPE = 16;
    static final int OFF_PREV_HASH = 17;
    static final int OFF_PAYLOAD = BODY_FIXED_BYTES;
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_PAYLOAD_BYTES = MAX_BODY_BYTES - BODY_FIXED_BYTES;
    static final int MAX_RECORD_BYTES = FRAME_HEADER_BYTES + MAX_BODY_BYTES;

    private static final Pattern NAME = Pattern.compile("segment-(\\d{20})\\.log");

    static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private SegmentFormat() {
    }

    record Segment(Path path, String name, long firstSequence) {
    }

    static String segmentName(long firstSequence) {
        return String.format("segment-%020d.log", firstSequence);
    }

    static int getInt(byte[] b, int off) {
        return (int) INT.get(b, off);
    }

    static long getLong(byte[] b, int off) {
        return (long) LONG.get(b, off);
    }

    static byte[] header(long firstSequence) {
        byte[] h = new byte[HEADER_BYTES];
        System.arraycopy(MAGIC, 0, h, 0, MAGIC.length);
        LONG.set(h, 8, firstSequence);
        return h;
    }

    /** Writes a whole record (frame header + body) into {@code dst} at {@code off}; returns its length. */
    static int encodeRecord(byte[] dst, int off, long sequence, long timestampMs, int type, byte[] prevHash,
                            byte[] payload, CRC32C crc) {
        int body = off + FRAME_HEADER_BYTES;
        int bodyLength = BODY_FIXED_BYTES + payload.length;
        LONG.set(dst, body + OFF_SEQUENCE, sequence);
        LONG.set(dst, body + OFF_TIMESTAMP, timestampMs);
        dst[body + OFF_TYPE] = (byte) type;
        System.arraycopy(prevHash, 0, dst, body + OFF_PREV_HASH, HASH_BYTES);
        System.arraycopy(payload, 0, dst, body + OFF_PAYLOAD, payload.length);
        crc.reset();
        crc.update(dst, body, bodyLength);
        INT.set(dst, off, bodyLength);
        INT.set(dst, off + 4, (int) crc.getValue());
        return FRAME_HEADER_BYTES + bodyLength;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Segment files of the directory, ordered by first sequence; other files are ignored. */
    static List<Segment> listSegments(Path directory) throws IOException {
        List<Segment> segments = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "segment-*.log")) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                Matcher m = NAME.matcher(name);
                if (m.matches() && Files.isRegularFile(p)) {
                    segments.add(new Segment(p, name, Long.parseLong(m.group(1))));
                }
            }
        }
        segments.sort(Comparator.comparingLong(Segment::firstSequence));
        return segments;
    }

    /** fsync of a directory, so that a created/renamed file's entry is durable (Linux, macOS). */
    static void fsyncDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
