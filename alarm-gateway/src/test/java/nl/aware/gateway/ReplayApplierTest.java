package nl.aware.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import nl.aware.core.log.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Start-up replay on two threads: applied in log order, on one thread, all of it before finish() returns. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplayApplierTest {
    private static LogRecord record(long sequence) {
        return new LogRecord(sequence, 0, 1, new byte[0], new byte[32]);
    }

    @Test
    void everyRecord_isAppliedInLogOrder_onTheApplierThread_beforeFinishReturns() {
        List<Long> applied = new ArrayList<>(); // the applier's own, read only after finish()
        Set<String> threads = new HashSet<>();
        int count = 100_003; // not a multiple of the hand-over batch: the last, partial batch counts too
        try (ReplayApplier applier = new ReplayApplier((record, event) -> {
            applied.add(record.sequence());
            threads.add(Thread.currentThread().getName());
        })) {
            for (long s = 1; s <= count; s++) {
                applier.add(record(s), null);
            }
            applier.finish();
        }
        assertEquals(LongStream.rangeClosed(1, count).boxed().toList(), applied);
        assertEquals(Set.of(ReplayApplier.THREAD_NAME), threads);
    }

    @Test
    void whatApplyingThrows_isThrownToTheOpeningThread_andNothingAfterItIsApplied() {
        IllegalStateException broken = new IllegalStateException("state cannot take record 700");
        List<Long> applied = new ArrayList<>();
        try (ReplayApplier applier = new ReplayApplier((record, event) -> {
            if (record.sequence() == 700) {
                throw broken;
            }
            applied.add(record.sequence());
        })) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
                for (long s = 1; s <= 50_000; s++) {
                    applier.add(record(s), null);
                }
                applier.finish();
            });
            assertSame(broken, thrown);
        }
        assertEquals(699, applied.size());
        assertFalse(applied.contains(700L));
    }

    @Test
    void close_withoutFinish_stopsTheApplier() throws Exception {
        Set<Thread> before = appliers();
        ReplayApplier applier = new ReplayApplier((record, event) -> { });
        Set<Thread> started = appliers();
        started.removeAll(before);
        assertEquals(1, started.size());
        Thread thread = started.iterator().next();

        applier.add(record(1), null);
        applier.close();

        thread.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(thread.isAlive(), "the applier thread outlived a failed open");
    }

    private static Set<Thread> appliers() {
        Set<Thread> threads = new HashSet<>(Thread.getAllStackTraces().keySet());
        threads.removeIf(t -> !t.getName().equals(ReplayApplier.THREAD_NAME) || !t.isAlive());
        return threads;
    }
}
