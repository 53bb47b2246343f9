package nl.aware.core.log;

import static nl.aware.core.log.SegmentFormat.BODY_FIXED_BYTES;
import static nl.aware.core.log.SegmentFormat.FRAME_HEADER_BYTES;
import static nl.aware.core.log.SegmentFormat.HASH_BYTES;
import static nl.aware.core.log.SegmentFormat.HEADER_BYTES;
import static nl.aware.core.log.SegmentFormat.MAX_BODY_BYTES;
import static nl.aware.core.log.SegmentFormat.OFF_PAYLOAD;
import static nl.aware.core.log.SegmentFormat.OFF_PREV_HASH;
import static nl.aware.core.log.SegmentFormat.OFF_TIMESTAMP;
import static nl.aware.core.log.SegmentFormat.OFF_TYPE;
import static nl.aware.core.log.SegmentFormat.getInt;
import static nl.aware.core.log.SegmentFormat.getLong;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Read-only, single-pass scan of a log directory: validates every record (length bounds, CRC32C, sequence
 * continuity, hash chain) and hands sound records to a handler. Distinguishes a torn tail (a bad record in the
 * last segment with no sound record after it) from corruption, and both from the zeroed room the writer keeps
 * ahead of the records in the last segment. Never modifies files; {@link EventLog#open}
 * repairs from the {@link Result}. Not thread-safe; one instance per scan.
 */
final class SegmentScanner {

    /** How far past a bad record we look for a later valid record before calling it a torn tail. */
    static final int TORN_TAIL_SCAN_LIMIT = 16 * 1024 * 1024;
    private static final int READ_BUFFER_BYTES = 1024 * 1024;

    static final class Result {
        long records;
        long lastSequence;
        byte[] lastHash = new byte[HASH_BYTES];
        /** Last segment (null if none) and the end of its sound content. */
        SegmentFormat.Segment lastSegment;
        long lastSegmentValidEnd;
        /** Torn tail in the last segment (null if none). If the header itself is torn, offset is 0. */
        SegmentFormat.Segment tornSegment;
        long tornOffset;
        long tornBytes;
        boolean tornHeader;
        /** First corruption (null if none). */
        VerifyResult.Problem problem;

        VerifyResult toVerifyResult() {
            return new VerifyResult(problem == null, records, lastSequence, tornBytes, problem);
        }

        LogCorruptedException toException() {
            return new LogCorruptedException(problem.segment(), problem.offset(), problem.sequence(),
                    problem.description());
        }
    }

    private final byte[] buf = new byte[READ_BUFFER_BYTES];
    private final ByteBuffer bb = ByteBuffer.wrap(buf);
    private final CRC32C crc = new CRC32C();
    private final MessageDigest sha = SegmentFormat.sha256();
    private final Result result = new Result();

    // read window over the current segment: buf[r, w) holds file bytes [windowOffset + r, windowOffset + w)
    private FileChannel channel;
    private long fileSize;
    private long windowOffset;
    private int r;
    private int w;

    Result scan(Path directory, RecordHandler handler) throws IOException {
        List<SegmentFormat.Segment> segments = SegmentFormat.listSegments(directory);
        for (int i = 0; i < segments.size(); i++) {
            SegmentFormat.Segment segment = segments.get(i);
            boolean last = i == segments.size() - 1;
            result.lastSegment = segment;
            try (FileChannel ch = FileChannel.open(segment.path(), StandardOpenOption.READ)) {
                channel = ch;
                fileSize = ch.size();
                windowOffset = 0;
                r = 0;
                w = 0;
                if (!scanSegment(segment, last, handler)) {
                    break;
                }
            } finally {
                channel = null;
            }
        }
        return result;
    }

    /** @return false to stop the scan (corruption or torn tail found). */
    private boolean scanSegment(SegmentFormat.Segment segment, boolean last, RecordHandler handler)
            throws IOException {
        long expected = result.lastSequence + 1;
        if (segment.firstSequence() != expected) {
            return corrupt(segment, 0, expected, "segment file name says first sequence " + segment.firstSequence()
                    + " but sequence " + expected + " comes next (missing, extra or renamed segment)");
        }
        if (!ensure(HEADER_BYTES)) {
            return bad(segment, last, 0, true, "incomplete segment header (" + fileSize + " bytes)");
        }
        if (!Arrays.equals(buf, 0, SegmentFormat.MAGIC.length, SegmentFormat.MAGIC, 0, SegmentFormat.MAGIC.length)) {
            return bad(segment, last, 0, true, "bad segment magic");
        }
        long headerFirst = getLong(buf, 8);
        if (headerFirst != segment.firstSequence()) {
            return corrupt(segment, 0, -1, "segment header says first sequence " + headerFirst
                    + " but the file name says " + segment.firstSequence());
        }
        r = HEADER_BYTES;
        result.lastSegmentValidEnd = HEADER_BYTES;
        while (true) {
            long offset = windowOffset + r;
            expected = result.lastSequence + 1;
            if (!ensure(FRAME_HEADER_BYTES)) {
                if (w == r) {
                    return true; // clean end of segment
                }
                return bad(segment, last, offset, false, "incomplete record header");
            }
            int length = getInt(buf, r);
            if (length < BODY_FIXED_BYTES || length > MAX_BODY_BYTES) {
                return bad(segment, last, offset, false,
                        "invalid record length " + Integer.toUnsignedString(length));
            }
            if (!ensure(FRAME_HEADER_BYTES + length)) {
                return bad(segment, last, offset, false, "incomplete record (" + (FRAME_HEADER_BYTES + length)
                        + " bytes announced, " + (fileSize - offset) + " present)");
            }
            int body = r + FRAME_HEADER_BYTES;
            crc.reset();
            crc.update(buf, body, length);
            if ((int) crc.getValue() != getInt(buf, r + 4)) {
                return bad(segment, last, offset, false, "CRC mismatch");
            }
            long sequence = getLong(buf, body);
            if (sequence != expected) {
                return corrupt(segment, offset, expected, (sequence < expected ? "sequence out of order" : "sequence gap")
                        + ": expected " + expected + ", found " + sequence);
            }
            if (!Arrays.equals(buf, body + OFF_PREV_HASH, body + OFF_PREV_HASH + HASH_BYTES,
                    result.lastHash, 0, HASH_BYTES)) {
                return corrupt(segment, offset, expected, "hash chain broken");
            }
            sha.update(buf, body, length);
            byte[] hash = sha.digest();
            LogRecord record = new LogRecord(sequence, getLong(buf, body + OFF_TIMESTAMP), buf[body + OFF_TYPE] & 0xff,
                    Arrays.copyOfRange(buf, body + OFF_PAYLOAD, body + length), hash);
            r = body + length;
            result.records++;
            result.lastSequence = sequence;
            result.lastHash = hash;
            result.lastSegmentValidEnd = windowOffset + r;
            handler.onRecord(record);
        }
    }

    /** A structurally bad record (or header): torn tail if in the last segment and nothing valid follows. */
    private boolean bad(SegmentFormat.Segment segment, boolean last, long offset, boolean header, String reason)
            throws IOException {
        long expected = header ? -1 : result.lastSequence + 1;
        if (last && !header && zerosFrom(offset)) {
            return true; // the writer's zeroed room ahead: a record never starts with a zero length
        }
        if (!last) {
            return corrupt(segment, offset, expected, reason + " in a segment that is not the last");
        }
        long follower = findValidRecordAfter(offset);
        if (follower >= 0) {
            return corrupt(segment, offset, expected, reason + "; a valid later record follows at offset " + follower
                    + ", so this is not a torn tail");
        }
        result.tornSegment = segment;
        result.tornOffset = offset;
        result.tornBytes = fileSize - offset;
        result.tornHeader = header;
        return false;
    }

    private boolean corrupt(SegmentFormat.Segment segment, long offset, long sequence, String description) {
        result.problem = new VerifyResult.Problem(segment.name(), offset, sequence, description);
        return false;
    }

    /**
     * Scans byte by byte from {@code offset + 1} (at most {@link #TORN_TAIL_SCAN_LIMIT} positions) for a record
     * whose length is in bounds, whose CRC matches and whose sequence is higher than the last sound one.
     *
     * @return its offset, or -1
     */
    private long findValidRecordAfter(long offset) throws IOException {
        long start = offset + 1;
        long lastStart = Math.min(fileSize - FRAME_HEADER_BYTES - BODY_FIXED_BYTES, start + TORN_TAIL_SCAN_LIMIT);
        if (lastStart < start) {
            return -1;
        }
        long end = Math.min(fileSize, lastStart + FRAME_HEADER_BYTES + MAX_BODY_BYTES);
        byte[] region = new byte[(int) (end - start)];
        ByteBuffer rb = ByteBuffer.wrap(region);
        while (rb.hasRemaining()) {
            if (channel.read(rb, start + rb.position()) < 0) {
                break;
            }
        }
        int filled = rb.position();
        for (long p = start; p <= lastStart; p++) {
            int i = (int) (p - start);
            if (i + FRAME_HEADER_BYTES + BODY_FIXED_BYTES > filled) {
                break;
            }
            int length = getInt(region, i);
            if (length < BODY_FIXED_BYTES || length > MAX_BODY_BYTES || i + FRAME_HEADER_BYTES + length > filled) {
                continue;
            }
            if (getLong(region, i + FRAME_HEADER_BYTES) <= result.lastSequence) {
                continue;
            }
            crc.reset();
            crc.update(region, i + FRAME_HEADER_BYTES, length);
            if ((int) crc.getValue() == getInt(region, i + 4)) {
                return p;
            }
        }
        return -1;
    }

    /** Whether every byte of the segment from {@code offset} to its end is zero. */
    private boolean zerosFrom(long offset) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        for (long at = offset; at < fileSize; ) {
            chunk.clear();
            int read = channel.read(chunk, at);
            if (read < 0) {
                break;
            }
            for (int i = 0; i < read; i++) {
                if (chunk.get(i) != 0) {
                    return false;
                }
            }
            at += read;
        }
        return true;
    }

    /** Makes at least {@code n} bytes available at {@code buf[r]}; false if the file ends first. */
    private boolean ensure(int n) throws IOException {
        if (w - r >= n) {
            return true;
        }
        if (r > 0) {
            System.arraycopy(buf, r, buf, 0, w - r);
            windowOffset += r;
            w -= r;
            r = 0;
        }
        while (w < n) {
            long filePos = windowOffset + w;
            long left = fileSize - filePos;
            if (left <= 0) {
                return false;
            }
            bb.limit((int) Math.min(buf.length, w + left)).position(w);
            int read = channel.read(bb, filePos);
            if (read < 0) {
                return false;
            }
            w += read;
        }
        return true;
    }
}
