package nl.aware.core.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up replays the whole log: a million records replay completely and the chain continues.
 * How fast is a benchmark's business (docs/performance.md), not a timed assertion here.
 */
class EventLogLargeReplayTest {

    private static final int RECORDS = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void replayOfOneMillionRecords_seesEveryRecordAndContinuesTheChain() throws Exception {
        writeSegmentDirectly(dir, RECORDS);
        AtomicLong seen = new AtomicLong();
        AtomicLong payloadBytes = new AtomicLong();

        long t0 = System.nanoTime();
        EventLog log = EventLog.open(EventLogOptions.defaults(dir), new SimpleMeterRegistry(), r -> {
            seen.incrementAndGet();
            payloadBytes.addAndGet(r.payload().length);
        });
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        try {
            assertEquals(RECORDS, seen.get());
            assertEquals((long) RECORDS * LogFiles.PAYLOAD_BYTES, payloadBytes.get());
            assertEquals(RECORDS, log.recovery().lastSequence());
            assertNull(log.recovery().truncatedSegment());
            assertEquals(RECORDS + 1, log.append(1, LogFiles.payload(0)).get().sequence());
        } finally {
            log.close();
        }
        System.out.println("replayed " + RECORDS + " records in " + elapsedMs + " ms");
    }

    /** Writes a valid single-segment log without going through fsyncs (test data generator). */
    static void writeSegmentDirectly(Path dir, int records) throws Exception {
        byte[] buf = new byte[SegmentFormat.MAX_RECORD_BYTES];
        byte[] prev = new byte[SegmentFormat.HASH_BYTES];
        CRC32C crc = new CRC32C();
        MessageDigest sha = SegmentFormat.sha256();
        try (OutputStream out = new BufferedOutputStream(
                Files.newOutputStream(dir.resolve(SegmentFormat.segmentName(1))), 1 << 20)) {
            out.write(SegmentFormat.header(1));
            for (int i = 1; i <= records; i++) {
                int n = SegmentFormat.encodeRecord(buf, 0, i, 1_700_000_000_000L + i, 1, prev, LogFiles.payload(i),
                        crc);
                out.write(buf, 0, n);
                sha.update(buf, SegmentFormat.FRAME_HEADER_BYTES, n - SegmentFormat.FRAME_HEADER_BYTES);
                prev = sha.digest();
            }
        }
    }
}
