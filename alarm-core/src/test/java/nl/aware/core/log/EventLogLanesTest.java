package nl.aware.core.log;

import static nl.aware.core.log.LogFiles.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The writer's two lanes (docs/event-log.md "Two lanes"): the FIRST lane never waits behind the IN_TURN lane. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventLogLanesTest {
    private static final int BACKLOG = 2_000;

    @TempDir
    Path dir;

    private final List<EventLog> opened = new ArrayList<>();
    private final CountDownLatch writerHeld = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() {
        release.countDown();
        opened.forEach(EventLog::close);
    }

    /** A log whose writer holds its first batch until {@link #release}, so that a backlog can build up. */
    private EventLog openHeld(EventLogOptions options) throws Exception {
        WriterHooks hold = new WriterHooks() {
            @Override
            public void beforeBatch(int size) {
                batchSizes.add(size);
                writerHeld.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        EventLog log = EventLog.open(options, new SimpleMeterRegistry(), r -> { }, hold);
        opened.add(log);
        return log;
    }

    /** Holds the writer on one record (sequence 1), then queues {@code count} records in the IN_TURN lane. */
    private List<CompletableFuture<LogRecord>> backlogBehindHeldWriter(EventLog log, int count) throws Exception {
        CompletableFuture<LogRecord> held = log.append(1, payload(0), AppendLane.IN_TURN);
        assertTrue(writerHeld.await(10, TimeUnit.SECONDS));
        List<CompletableFuture<LogRecord>> backlog = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            backlog.add(log.append(7, payload(i), AppendLane.IN_TURN));
        }
        backlog.add(0, held);
        return backlog;
    }

    @Test
    void firstLaneRecord_queuedBehindABacklogInTurn_isWrittenBeforeTheBacklog() throws Exception {
        EventLog log = openHeld(EventLogOptions.defaults(dir));
        List<CompletableFuture<LogRecord>> backlog = backlogBehindHeldWriter(log, BACKLOG);

        CompletableFuture<LogRecord> panic = log.append(3, payload(9_999), AppendLane.FIRST);
        release.countDown();

        assertEquals(2, panic.get(10, TimeUnit.SECONDS).sequence(), "right after the record being written");
        for (CompletableFuture<LogRecord> waiting : backlog.subList(1, backlog.size())) {
            assertTrue(waiting.get(10, TimeUnit.SECONDS).sequence() > 2);
        }
    }

    @Test
    void inTurnLane_keepsArrivalOrder() throws Exception {
        EventLog log = openHeld(EventLogOptions.defaults(dir));
        List<CompletableFuture<LogRecord>> backlog = backlogBehindHeldWriter(log, BACKLOG);
        log.append(3, payload(9_999), AppendLane.FIRST);
        release.countDown();

        long previous = 0;
        for (CompletableFuture<LogRecord> waiting : backlog) {
            long sequence = waiting.get(10, TimeUnit.SECONDS).sequence();
            assertTrue(sequence > previous, "sequence " + sequence + " after " + previous);
            previous = sequence;
        }
    }

    @Test
    void inTurnLane_givesAtMostItsQuotaToOneWriteCycle() throws Exception {
        EventLog log = openHeld(EventLogOptions.defaults(dir));
        List<CompletableFuture<LogRecord>> backlog = backlogBehindHeldWriter(log, BACKLOG);
        release.countDown();
        backlog.get(backlog.size() - 1).get(10, TimeUnit.SECONDS);

        assertEquals(1, batchSizes.get(0));
        assertTrue(batchSizes.size() >= 1 + BACKLOG / EventLog.IN_TURN_PER_BATCH, "batches " + batchSizes);
        assertTrue(batchSizes.stream().allMatch(size -> size <= EventLog.IN_TURN_PER_BATCH), "batches " + batchSizes);
    }

    @Test
    void fullInTurnLane_stillTakesTheFirstLane() throws Exception {
        EventLog log = openHeld(new EventLogOptions(dir, 1 << 20, 2, 64));
        backlogBehindHeldWriter(log, 2);

        CompletableFuture<LogRecord> refused = log.append(7, payload(3), AppendLane.IN_TURN);
        CompletableFuture<LogRecord> panic = log.append(3, payload(4), AppendLane.FIRST);

        ExecutionException e = assertThrows(ExecutionException.class, refused::get);
        assertInstanceOf(LogOverloadedException.class, e.getCause());
        release.countDown();
        assertEquals(2, panic.get(10, TimeUnit.SECONDS).sequence());
    }

    @Test
    void close_writesWhatWaitsInBothLanes() throws Exception {
        EventLog log = openHeld(EventLogOptions.defaults(dir));
        List<CompletableFuture<LogRecord>> backlog = backlogBehindHeldWriter(log, 500);
        CompletableFuture<LogRecord> panic = log.append(3, payload(9_999), AppendLane.FIRST);
        release.countDown();

        log.close();

        assertFalse(panic.isCompletedExceptionally());
        assertTrue(backlog.stream().allMatch(f -> f.isDone() && !f.isCompletedExceptionally()));
        assertEquals(502, LogFiles.readAll(dir).size());
    }
}
