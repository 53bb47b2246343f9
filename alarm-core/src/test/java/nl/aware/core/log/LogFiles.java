package nl.aware.core.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Helpers for tests that look at or damage the files of a log. */
final class LogFiles {

    /** Every test payload is this long, so record offsets are predictable. */
    static final int PAYLOAD_BYTES = 16;
    static final int RECORD_BYTES = SegmentFormat.FRAME_HEADER_BYTES + SegmentFormat.BODY_FIXED_BYTES + PAYLOAD_BYTES;

    private LogFiles() {
    }

    static byte[] payload(long i) {
        return String.format("payload-%08d", i).getBytes(StandardCharsets.US_ASCII);
    }

    /** Offset of record {@code sequence} in a segment whose first record is {@code firstInSegment}. */
    static long offsetOf(long sequence, long firstInSegment) {
        return SegmentFormat.HEADER_BYTES + (sequence - firstInSegment) * RECORD_BYTES;
    }

    static List<Path> segments(Path dir) throws IOException {
        List<Path> paths = new ArrayList<>();
        for (SegmentFormat.Segment s : SegmentFormat.listSegments(dir)) {
            paths.add(s.path());
        }
        return paths;
    }

    static Path lastSegment(Path dir) throws IOException {
        List<Path> s = segments(dir);
        return s.get(s.size() - 1);
    }

    static void flipByte(Path file, long offset) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[(int) offset] ^= 0x40;
        Files.write(file, b);
    }

    static void appendBytes(Path file, byte[] extra) throws IOException {
        Files.write(file, extra, java.nio.file.StandardOpenOption.APPEND);
    }

    static List<LogRecord> readAll(Path dir) throws IOException {
        List<LogRecord> records = new ArrayList<>();
        EventLog.read(dir, records::add);
        return records;
    }
}
