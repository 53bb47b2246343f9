package nl.aware.core.log;

import static nl.aware.core.log.LogFiles.PAYLOAD_BYTES;
import static nl.aware.core.log.LogFiles.RECORD_BYTES;
import static nl.aware.core.log.LogFiles.offsetOf;
import static nl.aware.core.log.LogFiles.payload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventLogTest {

    @TempDir
    Path dir;

    private final List<EventLog> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(EventLog::close);
    }

    private EventLog open(EventLogOptions options, RecordHandler replay) throws IOException {
        EventLog log = EventLog.open(options, new SimpleMeterRegistry(), replay);
        opened.add(log);
        return log;
    }

    private EventLog open() throws IOException {
        return open(EventLogOptions.defaults(dir), r -> { });
    }

    private static LogRecord await(CompletableFuture<LogRecord> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    /** Appends {@code count} records with {@link LogFiles#payload} payloads and closes the log. */
    private List<LogRecord> writeLog(EventLogOptions options, int count) throws Exception {
        List<LogRecord> written = new ArrayList<>();
        try (EventLog log = EventLog.open(options, new SimpleMeterRegistry(), r -> { })) {
            for (int i = 1; i <= count; i++) {
                written.add(await(log.append(i % 256, payload(i))));
            }
        }
        return written;
    }

    private List<LogRecord> writeLog(int count) throws Exception {
        return writeLog(EventLogOptions.defaults(dir), count);
    }

    @Test
    void appendThenReopen_replaysSameRecordsWithSameHashes() throws Exception {
        List<LogRecord> written = writeLog(20);

        List<LogRecord> replayed = new ArrayList<>();
        EventLog log = open(EventLogOptions.defaults(dir), replayed::add);

        assertEquals(written, replayed);
        for (int i = 0; i < written.size(); i++) {
            assertArrayEquals(written.get(i).hash(), replayed.get(i).hash());
            assertArrayEquals(payload(i + 1), replayed.get(i).payload());
            assertEquals(i + 1, replayed.get(i).sequence());
        }
        assertEquals(20, log.lastSequence());
        assertEquals(20, log.recovery().records());
        assertEquals(20, log.recovery().lastSequence());
        assertEquals(0, log.recovery().truncatedBytes());
        assertNull(log.recovery().truncatedSegment());
    }

    @Test
    void hash_isSha256OfBodyAndChainsToPreviousRecord() throws Exception {
        List<LogRecord> written = writeLog(3);
        byte[] file = Files.readAllBytes(LogFiles.lastSegment(dir));
        byte[] prev = new byte[32];
        for (int i = 0; i < 3; i++) {
            int body = (int) offsetOf(i + 1, 1) + SegmentFormat.FRAME_HEADER_BYTES;
            byte[] bodyBytes = Arrays.copyOfRange(file, body, body + RECORD_BYTES - SegmentFormat.FRAME_HEADER_BYTES);
            assertArrayEquals(prev, Arrays.copyOfRange(bodyBytes, SegmentFormat.OFF_PREV_HASH,
                    SegmentFormat.OFF_PREV_HASH + 32), "prevHash of record " + (i + 1));
            byte[] hash = SegmentFormat.sha256().digest(bodyBytes);
            assertArrayEquals(hash, written.get(i).hash());
            prev = hash;
        }
    }

    @Test
    void sequences_areContiguousAcrossSegmentRoll() throws Exception {
        EventLogOptions small = new EventLogOptions(dir, 512, 1024, 64);
        writeLog(small, 50);
        // one more session continues in the last segment / rolls again
        writeLog(small, 10);

        List<Path> segments = LogFiles.segments(dir);
        assertTrue(segments.size() >= 5, "expected several segments, got " + segments);
        List<LogRecord> all = LogFiles.readAll(dir);
        assertEquals(60, all.size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i + 1, all.get(i).sequence());
        }
        for (SegmentFormat.Segment s : SegmentFormat.listSegments(dir)) {
            assertTrue(Files.size(s.path()) < 512 + RECORD_BYTES * 64L, s.name() + " is too large");
        }
        VerifyResult result = LogVerifier.verify(dir);
        assertTrue(result.intact(), String.valueOf(result.problem()));
        assertEquals(60, result.lastSequence());
    }

    @Test
    void concurrentAppends_areGroupedIntoBatches_andAllDurableAfterReopen() throws Exception {
        int threads = 8;
        int perThread = 250;
        EventLog log = EventLog.open(EventLogOptions.defaults(dir), new SimpleMeterRegistry(), r -> { });
        List<CompletableFuture<LogRecord>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    futures.add(log.append(1, payload(base + i)));
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        for (CompletableFuture<LogRecord> f : futures) {
            await(f);
        }
        long batches = log.batchCount();
        log.close();

        int total = threads * perThread;
        assertTrue(batches < total, "expected group commit, got " + batches + " batches for " + total + " appends");
        List<LogRecord> replayed = LogFiles.readAll(dir);
        assertEquals(total, replayed.size());
        Set<String> payloads = new HashSet<>();
        for (LogRecord r : replayed) {
            payloads.add(new String(r.payload(), java.nio.charset.StandardCharsets.US_ASCII));
        }
        for (int i = 0; i < total; i++) {
            assertTrue(payloads.contains(new String(payload(i), java.nio.charset.StandardCharsets.US_ASCII)));
        }
    }

    @Test
    void tornTail_isTruncatedAndReported_andAppendsContinueTheChain() throws Exception {
        List<LogRecord> written = writeLog(10);
        Path segment = LogFiles.lastSegment(dir);
        long cleanSize = Files.size(segment);
        // a partial record: plausible header (length 65, some CRC) and a few body bytes
        byte[] partial = new byte[30];
        partial[3] = 65;
        partial[7] = 1;
        LogFiles.appendBytes(segment, partial);

        EventLog log = open();

        assertEquals(30, log.recovery().truncatedBytes());
        assertEquals(segment.getFileName().toString(), log.recovery().truncatedSegment());
        assertEquals(10, log.recovery().records());
        assertEquals(cleanSize, Files.size(segment));
        LogRecord next = await(log.append(7, payload(11)));
        assertEquals(11, next.sequence());
        log.close();
        List<LogRecord> all = LogFiles.readAll(dir);
        assertEquals(11, all.size());
        assertEquals(written.get(9), all.get(9));
        assertTrue(LogVerifier.verify(dir).intact());
    }

    @Test
    void zeroFilledTail_isRoomAhead_notReportedAsTorn_andTheNextRecordFollowsTheLast() throws Exception {
        writeLog(5);
        Path segment = LogFiles.lastSegment(dir);
        long records = Files.size(segment);
        LogFiles.appendBytes(segment, new byte[4096]); // the writer's zeroed room, or a crash's: no record in it

        EventLog log = open();

        assertEquals(0, log.recovery().truncatedBytes());
        assertEquals(5, log.lastSequence());
        assertEquals(6, await(log.append(1, payload(6))).sequence());
        log.close();
        assertEquals(records + RECORD_BYTES, Files.size(segment));
        assertEquals(6, LogFiles.readAll(dir).size());
    }

    @Test
    void emptyTrailingSegment_ofZeroBytes_isHandledAsTornTail() throws Exception {
        writeLog(5);
        Path empty = dir.resolve(SegmentFormat.segmentName(6));
        Files.createFile(empty);

        EventLog log = open();

        assertEquals(empty.getFileName().toString(), log.recovery().truncatedSegment());
        assertEquals(6, await(log.append(1, payload(6))).sequence());
        log.close();
        assertEquals(6, LogFiles.readAll(dir).size());
        assertTrue(Files.size(empty) > SegmentFormat.HEADER_BYTES, "record 6 went into the repaired segment");
    }

    @Test
    void trailingSegment_withHeaderOnly_isAcceptedAndUsed() throws Exception {
        writeLog(5);
        Path empty = dir.resolve(SegmentFormat.segmentName(6));
        Files.write(empty, SegmentFormat.header(6));

        EventLog log = open();

        assertNull(log.recovery().truncatedSegment());
        assertEquals(6, await(log.append(1, payload(6))).sequence());
        log.close();
        assertTrue(LogVerifier.verify(dir).intact());
        assertEquals(SegmentFormat.HEADER_BYTES + RECORD_BYTES, Files.size(empty));
    }

    @Test
    void flippedByteInMiddleRecord_makesOpenThrowNamingSegmentAndOffset() throws Exception {
        writeLog(10);
        Path segment = LogFiles.lastSegment(dir);
        long offset = offsetOf(5, 1);
        LogFiles.flipByte(segment, offset + RECORD_BYTES - 3); // in record 5's payload

        LogCorruptedException e = assertThrows(LogCorruptedException.class, this::open);

        String name = segment.getFileName().toString();
        assertEquals(name, e.segment());
        assertEquals(offset, e.offset());
        assertEquals(5, e.sequence());
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("offset " + offset), e.getMessage());
    }

    @Test
    void flippedLengthInMiddleRecord_makesOpenThrow() throws Exception {
        writeLog(10);
        Path segment = LogFiles.lastSegment(dir);
        long offset = offsetOf(3, 1);
        LogFiles.flipByte(segment, offset + 1); // length becomes huge

        LogCorruptedException e = assertThrows(LogCorruptedException.class, this::open);

        assertEquals(offset, e.offset());
    }

    @Test
    void badLastRecordOfNonLastSegment_isCorruptionNotTornTail() throws Exception {
        writeLog(new EventLogOptions(dir, 512, 1024, 64), 30);
        List<Path> segments = LogFiles.segments(dir);
        assertTrue(segments.size() >= 2);
        Path first = segments.get(0);
        LogFiles.flipByte(first, Files.size(first) - 1);

        LogCorruptedException e = assertThrows(LogCorruptedException.class, this::open);

        assertEquals(first.getFileName().toString(), e.segment());
        assertEquals(Files.size(first) - RECORD_BYTES, e.offset());
    }

    @Test
    void corruptedOpen_releasesTheLock() throws Exception {
        writeLog(10);
        LogFiles.flipByte(LogFiles.lastSegment(dir), offsetOf(2, 1) + 20);
        assertThrows(LogCorruptedException.class, this::open);
        // a second attempt must fail on the data again, not on the lock
        assertThrows(LogCorruptedException.class, this::open);
    }

    @Test
    void payloadChangedWithRecomputedCrc_breaksTheHashChain() throws Exception {
        writeLog(10);
        Path segment = LogFiles.lastSegment(dir);
        byte[] file = Files.readAllBytes(segment);
        int off = (int) offsetOf(5, 1);
        file[off + RECORD_BYTES - 1] ^= 1; // change record 5's payload ...
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(file, off + 8, RECORD_BYTES - 8); // ... and forge its CRC
        SegmentFormat.INT.set(file, off + 4, (int) crc.getValue());
        Files.write(segment, file);

        VerifyResult result = LogVerifier.verify(dir);

        assertFalse(result.intact());
        assertEquals(offsetOf(6, 1), result.problem().offset());
        assertEquals(6, result.problem().sequence());
        assertTrue(result.problem().description().contains("hash chain"), result.problem().description());
        assertEquals(5, result.records());
    }

    @Test
    void deletedRecord_isDetectedByVerifyNamingTheFirstBadRecord() throws Exception {
        writeLog(10);
        Path segment = LogFiles.lastSegment(dir);
        byte[] file = Files.readAllBytes(segment);
        int cut = (int) offsetOf(4, 1);
        byte[] shorter = new byte[file.length - RECORD_BYTES];
        System.arraycopy(file, 0, shorter, 0, cut);
        System.arraycopy(file, cut + RECORD_BYTES, shorter, cut, file.length - cut - RECORD_BYTES);
        Files.write(segment, shorter);

        VerifyResult result = LogVerifier.verify(dir);

        assertFalse(result.intact());
        assertNotNull(result.problem());
        assertEquals(segment.getFileName().toString(), result.problem().segment());
        assertEquals(cut, result.problem().offset());
        assertEquals(4, result.problem().sequence());
        assertTrue(result.problem().description().contains("sequence gap"), result.problem().description());
        assertEquals(3, result.lastSequence());
        assertThrows(LogCorruptedException.class, this::open);
    }

    @Test
    void swappedRecords_areDetectedByVerifyNamingTheFirstBadRecord() throws Exception {
        writeLog(10);
        Path segment = LogFiles.lastSegment(dir);
        byte[] file = Files.readAllBytes(segment);
        int a = (int) offsetOf(3, 1);
        int b = (int) offsetOf(4, 1);
        byte[] recordA = Arrays.copyOfRange(file, a, a + RECORD_BYTES);
        System.arraycopy(file, b, file, a, RECORD_BYTES);
        System.arraycopy(recordA, 0, file, b, RECORD_BYTES);
        Files.write(segment, file);

        VerifyResult result = LogVerifier.verify(dir);

        assertFalse(result.intact());
        assertEquals(a, result.problem().offset());
        assertEquals(3, result.problem().sequence());
        assertEquals(2, result.records());
    }

    @Test
    void missingSegment_isDetectedByVerify() throws Exception {
        writeLog(new EventLogOptions(dir, 512, 1024, 64), 40);
        List<Path> segments = LogFiles.segments(dir);
        assertTrue(segments.size() >= 3);
        Files.delete(segments.get(1));

        VerifyResult result = LogVerifier.verify(dir);

        assertFalse(result.intact());
        assertEquals(segments.get(2).getFileName().toString(), result.problem().segment());
        assertEquals(0, result.problem().offset());
    }

    @Test
    void untouchedLog_verifiesIntact() throws Exception {
        writeLog(new EventLogOptions(dir, 1024, 1024, 64), 25);

        VerifyResult result = LogVerifier.verify(dir);

        assertTrue(result.intact());
        assertNull(result.problem());
        assertEquals(25, result.records());
        assertEquals(25, result.lastSequence());
        assertEquals(0, result.tornTailBytes());
    }

    @Test
    void read_reportsTornTailWithoutTouchingTheFile() throws Exception {
        writeLog(4);
        Path segment = LogFiles.lastSegment(dir);
        LogFiles.appendBytes(segment, new byte[] {0, 0, 0, 70, 1, 2});
        long size = Files.size(segment);
        List<LogRecord> seen = new ArrayList<>();

        VerifyResult result = EventLog.read(dir, seen::add);

        assertTrue(result.intact());
        assertEquals(6, result.tornTailBytes());
        assertEquals(4, seen.size());
        assertEquals(size, Files.size(segment));
    }

    @Test
    void secondOpenOfSameDirectory_throwsLogLockedException() throws Exception {
        open();

        LogLockedException e = assertThrows(LogLockedException.class, this::open);

        assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("another process"), e.getMessage());
    }

    @Test
    void close_releasesTheLock() throws Exception {
        open().close();
        EventLog again = open();
        assertEquals(0, again.lastSequence());
    }

    @Test
    void closeRacingWithAppends_completesEveryFuture_andLosesNoAcknowledgedRecord() throws Exception {
        EventLog log = EventLog.open(EventLogOptions.defaults(dir), new SimpleMeterRegistry(), r -> { });
        List<CompletableFuture<LogRecord>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread worker = new Thread(() -> {
                for (int i = 0; i < 3000; i++) {
                    CompletableFuture<LogRecord> f = log.append(1, payload(i));
                    futures.add(f);
                    if (f.isCompletedExceptionally()) {
                        return;
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        Thread.sleep(5);
        log.close();
        for (Thread worker : workers) {
            worker.join();
        }

        Set<Long> acknowledged = new HashSet<>();
        for (CompletableFuture<LogRecord> f : futures) {
            try {
                acknowledged.add(f.get(5, TimeUnit.SECONDS).sequence());
            } catch (ExecutionException e) {
                assertInstanceOf(LogClosedException.class, e.getCause());
            }
        }
        Set<Long> durable = new HashSet<>();
        for (LogRecord r : LogFiles.readAll(dir)) {
            durable.add(r.sequence());
        }
        assertEquals(acknowledged, durable);
    }

    @Test
    void closeFromCompletionCallback_doesNotDeadlock() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        EventLog log = openStalled(release);
        CompletableFuture<Void> closedInCallback = log.append(1, payload(1)).thenRun(log::close);
        release.countDown();

        closedInCallback.get(5, TimeUnit.SECONDS);

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> log.append(1, payload(2)).get(5, TimeUnit.SECONDS));
        assertInstanceOf(LogClosedException.class, e.getCause());
        log.close();
        assertEquals(1, LogFiles.readAll(dir).size());
    }

    @Test
    void appendAfterClose_failsWithLogClosedException() throws Exception {
        EventLog log = open();
        log.close();

        CompletableFuture<LogRecord> f = log.append(1, payload(1));

        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        assertInstanceOf(LogClosedException.class, e.getCause());
    }

    @Test
    void close_completesEverythingAlreadyAccepted() throws Exception {
        EventLog log = open();
        List<CompletableFuture<LogRecord>> futures = new ArrayList<>();
        for (int i = 1; i <= 500; i++) {
            futures.add(log.append(1, payload(i)));
        }
        log.close();

        for (CompletableFuture<LogRecord> f : futures) {
            assertTrue(f.isDone() && !f.isCompletedExceptionally());
        }
        assertEquals(500, LogFiles.readAll(dir).size());
    }

    @Test
    void appendBeyondQueueCapacity_failsWithLogOverloadedException() throws Exception {
        CountDownLatch writerStalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WriterHooks stall = new WriterHooks() {
            @Override
            public void beforeBatch(int size) {
                writerStalled.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        EventLog log = EventLog.open(new EventLogOptions(dir, 1 << 20, 2, 1), new SimpleMeterRegistry(),
                r -> { }, stall);
        opened.add(log);
        CompletableFuture<LogRecord> taken = log.append(1, payload(1));
        assertTrue(writerStalled.await(5, TimeUnit.SECONDS));
        CompletableFuture<LogRecord> queued1 = log.append(1, payload(2));
        CompletableFuture<LogRecord> queued2 = log.append(1, payload(3));

        CompletableFuture<LogRecord> rejected = log.append(1, payload(4));

        assertTrue(rejected.isCompletedExceptionally(), "must fail at once, without waiting for the writer");
        ExecutionException e = assertThrows(ExecutionException.class, rejected::get);
        assertInstanceOf(LogOverloadedException.class, e.getCause());
        release.countDown();
        assertEquals(1, await(taken).sequence());
        assertEquals(2, await(queued1).sequence());
        assertEquals(3, await(queued2).sequence());
    }

    @Test
    void writeFailure_failsTheBatch_andLaterAppendsContinueTheChain() throws Exception {
        AtomicBoolean failNext = new AtomicBoolean();
        WriterHooks failing = new WriterHooks() {
            @Override
            public void beforeForce() throws IOException {
                if (failNext.getAndSet(false)) {
                    throw new IOException("No space left on device (simulated)");
                }
            }
        };
        MeterRegistry registry = new SimpleMeterRegistry();
        EventLog log = EventLog.open(EventLogOptions.defaults(dir), registry, r -> { }, failing);
        opened.add(log);
        LogRecord first = await(log.append(1, payload(1)));
        long sizeAfterFirst = SegmentFormat.HEADER_BYTES + RECORD_BYTES; // the records; room ahead is cut too

        failNext.set(true);
        CompletableFuture<LogRecord> lost = log.append(1, payload(2));
        ExecutionException e = assertThrows(ExecutionException.class, () -> lost.get(5, TimeUnit.SECONDS));
        assertInstanceOf(LogWriteException.class, e.getCause());
        assertEquals(sizeAfterFirst, Files.size(LogFiles.lastSegment(dir)), "failed batch truncated away");
        assertEquals(1, log.lastSequence());

        LogRecord next = await(log.append(1, payload(3)));
        assertEquals(2, next.sequence());
        log.close();

        List<LogRecord> all = LogFiles.readAll(dir);
        assertEquals(List.of(first, next), all);
        assertTrue(LogVerifier.verify(dir).intact());
        assertEquals(1.0, registry.get("aware.eventlog.append.failures").counter().count());
    }

    @Test
    void failedTruncationAfterWriteFailure_entersFailedState_whereEveryAppendFails() throws Exception {
        WriterHooks broken = new WriterHooks() {
            @Override
            public void beforeForce() throws IOException {
                throw new IOException("I/O error (simulated)");
            }

            @Override
            public void beforeTruncate() throws IOException {
                throw new IOException("I/O error on truncate (simulated)");
            }
        };
        EventLog log = EventLog.open(EventLogOptions.defaults(dir), new SimpleMeterRegistry(), r -> { }, broken);
        opened.add(log);
        ExecutionException first = assertThrows(ExecutionException.class,
                () -> log.append(1, payload(1)).get(5, TimeUnit.SECONDS));
        assertInstanceOf(LogWriteException.class, first.getCause());

        CompletableFuture<LogRecord> later = log.append(1, payload(2));

        assertTrue(later.isCompletedExceptionally(), "failed state rejects at once");
        ExecutionException e = assertThrows(ExecutionException.class, later::get);
        assertInstanceOf(LogWriteException.class, e.getCause());
        assertEquals(0, log.lastSequence());
    }

    @Test
    void payloadOver64KiB_isRejected() throws Exception {
        EventLog log = open();

        assertThrows(IllegalArgumentException.class,
                () -> log.append(1, new byte[SegmentFormat.MAX_PAYLOAD_BYTES + 1]));
        assertThrows(IllegalArgumentException.class, () -> log.append(1, new byte[64 * 1024 + 1]));
        byte[] largest = new byte[SegmentFormat.MAX_PAYLOAD_BYTES];
        largest[largest.length - 1] = 42;
        assertArrayEquals(largest, await(log.append(1, largest)).payload());
    }

    @Test
    void typeOutside0To255_isRejected() throws Exception {
        EventLog log = open();

        assertThrows(IllegalArgumentException.class, () -> log.append(256, payload(1)));
        assertThrows(IllegalArgumentException.class, () -> log.append(-1, payload(1)));
        assertEquals(255, await(log.append(255, payload(1))).type());
    }

    @Test
    void futures_completeOnTheWriterThread() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        EventLog log = openStalled(release);
        CompletableFuture<LogRecord> appended = log.append(1, payload(1));
        CompletableFuture<String> thread = appended.thenApply(r -> Thread.currentThread().getName());
        assertFalse(appended.isDone(), "writer is stalled, the callback is attached before completion");

        release.countDown();

        assertEquals(EventLog.WRITER_THREAD_NAME, thread.get(5, TimeUnit.SECONDS));
    }

    /** Opens a log whose writer waits for {@code release} before each batch. */
    private EventLog openStalled(CountDownLatch release) throws IOException {
        WriterHooks stall = new WriterHooks() {
            @Override
            public void beforeBatch(int size) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        EventLog log = EventLog.open(EventLogOptions.defaults(dir), new SimpleMeterRegistry(), r -> { }, stall);
        opened.add(log);
        return log;
    }

    @Test
    void metrics_areRecorded() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        EventLog log = EventLog.open(EventLogOptions.defaults(dir), registry, r -> { });
        opened.add(log);
        for (int i = 1; i <= 5; i++) {
            await(log.append(1, payload(i)));
        }

        assertEquals(5, registry.get("aware.eventlog.append.latency").timer().count());
        assertTrue(registry.get("aware.eventlog.batch.size").summary().count() >= 1);
        assertEquals(5.0, registry.get("aware.eventlog.batch.size").summary().totalAmount());
        assertTrue(registry.get("aware.eventlog.fsync").timer().count() >= 1);
        assertEquals(0.0, registry.get("aware.eventlog.pending").gauge().value());
        assertEquals(0.0, registry.get("aware.eventlog.append.failures").counter().count());
    }

    @Test
    void recordToString_doesNotShowPayload() throws Exception {
        LogRecord r = new LogRecord(1, 2, 3, "52.37,4.89".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                new byte[32]);
        assertFalse(r.toString().contains("52.37"));
        assertTrue(r.toString().contains("payloadBytes=" + 10));
        assertEquals(PAYLOAD_BYTES, payload(1).length);
    }
}
