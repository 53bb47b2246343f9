package nl.aware.core.log;

import static nl.aware.core.log.LogFiles.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's linger (docs/event-log.md "Sharing an fsync"): records of the IN_TURN lane alone wait for company, a
 * device's frame never waits. The lingers here are seconds long, so that what is asserted cannot happen by the
 * machine being slow: a record written before its linger ran out was written because something ended the wait.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventLogLingerTest {
    @TempDir
    Path dir;

    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final List<EventLog> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(EventLog::close);
    }

    private EventLog open(Duration linger) throws Exception {
        WriterHooks counting = new WriterHooks() {
            @Override
            public void beforeBatch(int size) {
                batchSizes.add(size);
            }
        };
        EventLog log = EventLog.open(new EventLogOptions(dir, 1 << 20, 1_000, 4_096, linger), new SimpleMeterRegistry(),
                r -> { }, counting);
        opened.add(log);
        return log;
    }

    /** Appends a record in turn and sees it still waiting 200 ms later (every linger here is seconds long). */
    private static CompletableFuture<LogRecord> appendAndSeeItWait(EventLog log) {
        CompletableFuture<LogRecord> record = log.append(7, payload(1), AppendLane.IN_TURN);
        assertThrows(TimeoutException.class, () -> record.get(200, TimeUnit.MILLISECONDS));
        return record;
    }

    @Test
    void inTurnRecordsComingOneByOne_shareOneFsync() throws Exception {
        EventLog log = open(Duration.ofSeconds(3));

        CompletableFuture<LogRecord> callback = appendAndSeeItWait(log);
        CompletableFuture<LogRecord> delivery = log.append(7, payload(2), AppendLane.IN_TURN);

        assertEquals(1, callback.get(10, TimeUnit.SECONDS).sequence());
        assertEquals(2, delivery.get(10, TimeUnit.SECONDS).sequence());
        assertEquals(List.of(2), batchSizes, "both records in one write and fsync");
    }

    @Test
    void aDeviceFrame_endsTheLingerAtOnce_andGoesFirst() throws Exception {
        EventLog log = open(Duration.ofSeconds(50));

        CompletableFuture<LogRecord> callback = appendAndSeeItWait(log);
        CompletableFuture<LogRecord> panic = log.append(3, payload(2), AppendLane.FIRST);

        // Well before the 50 s linger: the PANIC ended it, and the waiting record shares its fsync.
        assertEquals(1, panic.get(20, TimeUnit.SECONDS).sequence());
        assertEquals(2, callback.get(20, TimeUnit.SECONDS).sequence());
        assertEquals(List.of(2), batchSizes);
    }

    @Test
    void aDeviceFrameAlone_isWrittenWithoutWaiting() throws Exception {
        EventLog log = open(Duration.ofSeconds(50));

        CompletableFuture<LogRecord> panic = log.append(3, payload(1), AppendLane.FIRST);

        assertEquals(1, panic.get(20, TimeUnit.SECONDS).sequence());
        assertEquals(List.of(1), batchSizes);
    }

    @Test
    void close_endsTheLinger_andWritesWhatWaits() throws Exception {
        EventLog log = open(Duration.ofSeconds(50));
        CompletableFuture<LogRecord> callback = appendAndSeeItWait(log);

        long started = System.nanoTime();
        log.close();

        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(20), "close waited out the 50 s linger");
        assertFalse(callback.isCompletedExceptionally());
        assertEquals(1, callback.join().sequence());
        assertEquals(1, LogFiles.readAll(dir).size());
    }

    @Test
    void withoutLinger_eachRecordIsWrittenAsItComes() throws Exception {
        EventLog log = open(Duration.ZERO);

        assertEquals(1, log.append(7, payload(1), AppendLane.IN_TURN).get(20, TimeUnit.SECONDS).sequence());
        assertEquals(2, log.append(7, payload(2), AppendLane.IN_TURN).get(20, TimeUnit.SECONDS).sequence());
        assertEquals(List.of(1, 1), batchSizes);
    }

    @Test
    void aLingerOutsideZeroToAMinute_isRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EventLogOptions(dir, 1 << 20, 1_000, 4_096, Duration.ofMillis(-1)));
        assertTrue(e.getMessage().contains("inTurnLinger"), e.getMessage());
        assertEquals(Duration.ofMillis(2), EventLogOptions.defaults(dir).inTurnLinger());
        assertEquals(Duration.ZERO, EventLogOptions.defaults(dir).withoutLinger().inTurnLinger());
    }
}
