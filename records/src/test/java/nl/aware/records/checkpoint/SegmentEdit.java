package nl.aware.records.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * What a forger with write access to the data directory does to one segment file, byte by byte, in the
 * on-disk format of docs/event-log.md: {@code u32 length | u32 CRC32C | body} after a 16-byte header.
 */
final class SegmentEdit {
    static final int HEADER = 16;
    static final int PREV_HASH_AT = 8 + 8 + 1;

    final Path file;
    final byte[] header;
    final List<byte[]> bodies = new ArrayList<>();

    SegmentEdit(Path file) throws IOException {
        this.file = file;
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        header = new byte[HEADER];
        in.get(header);
        while (in.remaining() > 0) {
            int length = in.getInt();
            in.getInt();
            byte[] body = new byte[length];
            in.get(body);
            bodies.add(body);
        }
    }

    static Path onlySegment(Path logDir) throws IOException {
        try (var files = Files.list(logDir)) {
            List<Path> segments = files.filter(p -> p.getFileName().toString().startsWith("segment-")).toList();
            if (segments.size() != 1) {
                throw new IllegalStateException("expected one segment, found " + segments);
            }
            return segments.get(0);
        }
    }

    /** Index in {@link #bodies} of record {@code sequence} (the segment starts at record 1). */
    static int index(long sequence) {
        return (int) sequence - 1;
    }

    /** Byte offset of the record at {@code index} in the file. */
    long offsetOf(int index) {
        long offset = HEADER;
        for (int i = 0; i < index; i++) {
            offset += 8 + bodies.get(i).length;
        }
        return offset;
    }

    /** Recomputes every prevHash from {@code fromIndex} on: what hides an edit from the chain check. */
    void rechainFrom(int fromIndex) throws Exception {
        for (int i = Math.max(1, fromIndex); i < bodies.size(); i++) {
            byte[] prev = MessageDigest.getInstance("SHA-256").digest(bodies.get(i - 1));
            System.arraycopy(prev, 0, bodies.get(i), PREV_HASH_AT, 32);
        }
    }

    /** Writes the segment; with {@code forgeCrc} each CRC is recomputed, else the stored bytes are kept for edits. */
    void write() throws IOException {
        int size = HEADER;
        for (byte[] b : bodies) {
            size += 8 + b.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(header);
        for (byte[] b : bodies) {
            CRC32C crc = new CRC32C();
            crc.update(b);
            out.putInt(b.length).putInt((int) crc.getValue()).put(b);
        }
        Files.write(file, out.array());
    }
}
