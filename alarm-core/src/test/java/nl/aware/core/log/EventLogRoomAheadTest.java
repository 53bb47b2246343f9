package nl.aware.core.log;

import static nl.aware.core.log.LogFiles.RECORD_BYTES;
import static nl.aware.core.log.LogFiles.payload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer keeps zeroed room ahead of the records in the last segment (so that a group commit's fsync has no
 * file length to record). That room must never read as data, as a torn tail or as corruption, and a closed or
 * rolled segment must end at its last record.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventLogRoomAheadTest {

    @TempDir
    Path dir;

    @TempDir
    Path crashImage;

    private static List<LogRecord> append(EventLog log, int from, int to) throws Exception {
        List<LogRecord> written = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            written.add(log.append(i % 256, payload(i)).get(10, TimeUnit.SECONDS));
        }
        return written;
    }

    /** What a kill -9 leaves: the files as they are while the log is open (the page cache survives a crash). */
    private void copySegments(Path from, Path to) throws IOException {
        for (Path segment : LogFiles.segments(from)) {
            Files.copy(segment, to.resolve(segment.getFileName()));
        }
    }

    @Test
    void openLog_keepsZeroedRoomAheadOfItsRecords_thatReadersTakeForNeitherDataNorTornTail() throws Exception {
        try (EventLog log = EventLog.open(EventLogOptions.defaults(dir), new SimpleMeterRegistry(), r -> { })) {
            append(log, 1, 10);
            Path segment = LogFiles.lastSegment(dir);
            long records = SegmentFormat.HEADER_BYTES + 10L * RECORD_BYTES;
            assertTrue(Files.size(segment) > records, "room ahead of the records");
            assertEquals(SegmentFormat.HEADER_BYTES + RECORD_BYTES + EventLog.ROOM_AHEAD_BYTES, Files.size(segment),
                    "zeroed once, after the first batch, and not again while 64 KiB or more are left");

            VerifyResult live = EventLog.read(dir, r -> { });
            assertTrue(live.intact());
            assertEquals(10, live.records());
            assertEquals(0, live.tornTailBytes(), "the room is not a torn tail");
        }
        assertEquals(SegmentFormat.HEADER_BYTES + 10L * RECORD_BYTES, Files.size(LogFiles.lastSegment(dir)),
                "a closed log ends at its last record");
    }

    @Test
    void crashWithRoomAhead_recoversEveryRecord_reportsNothingTorn_andAppendsIntoTheRoom() throws Exception {
        List<LogRecord> written;
        try (EventLog log = EventLog.open(EventLogOptions.defaults(dir), new SimpleMeterRegistry(), r -> { })) {
            written = append(log, 1, 7);
            copySegments(dir, crashImage);
        }
        assertTrue(Files.size(LogFiles.lastSegment(crashImage)) > SegmentFormat.HEADER_BYTES + 7L * RECORD_BYTES);

        List<LogRecord> replayed = new ArrayList<>();
        try (EventLog log = EventLog.open(EventLogOptions.defaults(crashImage), new SimpleMeterRegistry(),
                replayed::add)) {
            assertEquals(0, log.recovery().truncatedBytes(), "room ahead is not crash residue");
            assertEquals(7, replayed.size());
            for (int i = 0; i < 7; i++) {
                assertArrayEquals(written.get(i).hash(), replayed.get(i).hash());
            }
            LogRecord eighth = append(log, 8, 8).get(0);
            assertEquals(8, eighth.sequence());
        }
        List<LogRecord> all = LogFiles.readAll(crashImage);
        assertEquals(8, all.size());
        assertArrayEquals(payload(8), all.get(7).payload());
        assertEquals(SegmentFormat.HEADER_BYTES + 8L * RECORD_BYTES, Files.size(LogFiles.lastSegment(crashImage)));
    }

    @Test
    void aNonZeroByteInTheRoom_isATornTail_cutAtTheEndOfTheRecords() throws Exception {
        try (EventLog log = EventLog.open(EventLogOptions.defaults(dir), new SimpleMeterRegistry(), r -> { })) {
            append(log, 1, 5);
            copySegments(dir, crashImage);
        }
        Path segment = LogFiles.lastSegment(crashImage);
        long records = SegmentFormat.HEADER_BYTES + 5L * RECORD_BYTES;
        long size = Files.size(segment);
        LogFiles.flipByte(segment, size - 1); // far from the records: the whole room is checked

        try (EventLog log = EventLog.open(EventLogOptions.defaults(crashImage), new SimpleMeterRegistry(),
                r -> { })) {
            assertEquals(size - records, log.recovery().truncatedBytes());
            assertEquals(5, log.lastSequence());
        }
        assertEquals(records, Files.size(segment));
    }

    @Test
    void rolledSegments_endAtTheirLastRecord_onlyTheLastHasRoom() throws Exception {
        EventLogOptions small = new EventLogOptions(dir, 512, 1024, 64);
        try (EventLog log = EventLog.open(small, new SimpleMeterRegistry(), r -> { })) {
            append(log, 1, 30);
            List<Path> segments = LogFiles.segments(dir);
            assertTrue(segments.size() >= 3, "several segments: " + segments);
            for (Path segment : segments.subList(0, segments.size() - 1)) {
                long size = Files.size(segment);
                assertEquals(0, (size - SegmentFormat.HEADER_BYTES) % RECORD_BYTES, segment + " ends mid-record");
            }
            assertEquals(30, EventLog.read(dir, r -> { }).records());
        }
    }
}
