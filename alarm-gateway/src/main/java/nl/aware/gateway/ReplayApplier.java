package nl.aware.gateway;

import nl.aware.core.event.Event;
import nl.aware.core.log.LogRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Start-up replay on two threads: the opening thread reads, checks and decodes the records (CRC, hash chain,
 * decryption of the sealed frames: about half the work), while this one applies them to the state, one at a
 * time and in log order, as a single thread did before. With 1,000,000 records in the log one thread took 2.4
 * to 3.6 s here against a promise of 3 s (docs/performance.md, "Third pass").
 */
final class ReplayApplier implements AutoCloseable {
    static final String THREAD_NAME = "aware-replay-apply";
    private static final int BATCH = 512;
    private static final List<Decoded> END = List.of();

    private record Decoded(LogRecord record, Event event) {
    }

    private final BiConsumer<LogRecord, Event> apply;
    private final BlockingQueue<List<Decoded>> handed = new ArrayBlockingQueue<>(32);
    private final Thread applier;
    private List<Decoded> batch = new ArrayList<>(BATCH);
    private volatile Throwable failure;
    private boolean finished;

    /** @param apply what applying a record means (the server state's {@code apply}); called on one thread only */
    ReplayApplier(BiConsumer<LogRecord, Event> apply) {
        this.apply = apply;
        this.applier = new Thread(this::applyAll, THREAD_NAME);
        this.applier.setDaemon(true);
        this.applier.start();
    }

    /** On the opening thread, in log order: the record is applied after every record added before it. */
    void add(LogRecord record, Event event) {
        batch.add(new Decoded(record, event));
        if (batch.size() == BATCH) {
            hand(batch);
            batch = new ArrayList<>(BATCH);
        }
    }

    /**
     * Returns once every added record is applied. What applying one threw is thrown here (or by a later
     * {@link #add}), as it was thrown by the replay itself when one thread did both.
     */
    void finish() {
        hand(batch);
        hand(END);
        boolean interrupted = false;
        while (applier.isAlive()) {
            try {
                applier.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        finished = true;
        rethrowFailure();
    }

    /** After a failed open: stops the applier without waiting for what it was handed. */
    @Override
    public void close() {
        if (!finished) {
            applier.interrupt();
        }
    }

    private void hand(List<Decoded> records) {
        try {
            while (!handed.offer(records, 100, TimeUnit.MILLISECONDS)) {
                rethrowFailure(); // a failed applier takes nothing more
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("replay interrupted");
        }
        rethrowFailure();
    }

    private void rethrowFailure() {
        Throwable failed = failure;
        if (failed instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failed instanceof Error error) {
            throw error;
        }
    }

    private void applyAll() {
        try {
            while (true) {
                List<Decoded> next = handed.take();
                if (next == END) {
                    return;
                }
                for (Decoded decoded : next) {
                    apply.accept(decoded.record(), decoded.event());
                }
            }
        } catch (InterruptedException e) {
            // close() after a failed open: nobody waits for the rest
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }
}
