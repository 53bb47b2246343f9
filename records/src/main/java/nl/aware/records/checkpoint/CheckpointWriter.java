package nl.aware.records.checkpoint;

import nl.aware.core.event.Event;
import nl.aware.core.intake.EventRecorder;
import nl.aware.core.log.LogRecord;
import nl.aware.core.state.Projection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Appends signed checkpoints to the log by {@link CheckpointPolicy}. As a {@link Projection} it sees every
 * record (replay and live) and so knows the log's head and the last checkpoint, also across restarts. Signing
 * and appending happen on its own thread, never on the log writer's.
 */
public final class CheckpointWriter implements Projection, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CheckpointWriter.class);
    private static final long SHUTDOWN_WAIT_SECONDS = 10;
    /** Checkpoints written at shutdown at most, each covering what came while the one before was signed. */
    private static final int SHUTDOWN_ROUNDS = 3;

    private final CheckpointPolicy policy;
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aware-checkpoints");
        t.setDaemon(true);
        return t;
    });

    // Guarded by this. Written on the log writer thread (apply), read on the checkpoint thread.
    private long headSequence;
    private byte[] headHash;
    private long lastEventSequence;
    private long coveredSequence;
    private boolean inFlight;
    private CompletableFuture<LogRecord> pending = CompletableFuture.completedFuture(null);
    private EventRecorder recorder;

    public CheckpointWriter(CheckpointPolicy policy, PrivateKey key, X509Certificate certificate, Clock clock) {
        this.policy = policy;
        this.key = key;
        this.certificate = certificate;
        this.clock = clock;
    }

    /** Log writer thread or replay: never blocks. */
    @Override
    public void apply(LogRecord record, Event event) {
        boolean due;
        synchronized (this) {
            headSequence = record.sequence();
            headHash = record.hash();
            if (event instanceof Event.Checkpoint checkpoint) {
                coveredSequence = Math.max(coveredSequence, checkpoint.sequence());
                return;
            }
            lastEventSequence = record.sequence();
            due = recorder != null && !inFlight && lastEventSequence - coveredSequence >= policy.everyRecords();
            if (due) {
                inFlight = true;
            }
        }
        if (due) {
            try {
                thread.execute(this::writeNow);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                synchronized (this) {
                    inFlight = false; // close() writes the last one
                }
            }
        }
    }

    /** Starts the timer; {@code recorder} appends an event durably (the intake's record). */
    public void start(EventRecorder recorder) {
        synchronized (this) {
            this.recorder = recorder;
        }
        long ms = policy.every().toMillis();
        thread.scheduleWithFixedDelay(this::timerTick, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void timerTick() {
        synchronized (this) {
            if (inFlight || lastEventSequence <= coveredSequence) {
                return;
            }
            inFlight = true;
        }
        writeNow();
    }

    /** Signs the head as known now and appends the checkpoint; clears {@code inFlight} when durable or failed. */
    private CompletableFuture<LogRecord> writeNow() {
        long sequence;
        byte[] hash;
        EventRecorder out;
        synchronized (this) {
            sequence = headSequence;
            hash = headHash;
            out = recorder;
        }
        CompletableFuture<LogRecord> written;
        try {
            written = out.record(Checkpoints.sign(key, certificate, sequence, hash, clock.millis()));
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<LogRecord> done = written.whenComplete((record, failure) -> {
            boolean dueAgain;
            synchronized (this) {
                // records that came while this one was signed may have made the next one due already
                dueAgain = failure == null && lastEventSequence - coveredSequence >= policy.everyRecords();
                inFlight = dueAgain;
            }
            if (failure != null) {
                log.warn("checkpoint of record {} not written: {}; the next one covers it", sequence, failure.toString());
            } else {
                log.info("checkpoint of record {} signed and written as record {}", sequence, record.sequence());
            }
            if (dueAgain) {
                try {
                    thread.execute(this::writeNow);
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    synchronized (this) {
                        inFlight = false;
                    }
                }
            }
        });
        synchronized (this) {
            pending = done;
        }
        return done;
    }

    /** Stops the timer and writes a last checkpoint if anything was written since the last one; waits for it. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        CompletableFuture<LogRecord> inFlightNow;
        synchronized (this) {
            inFlightNow = pending;
        }
        try {
            inFlightNow.get(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS); // its record counts as covered once applied
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            // failed or slow: the last checkpoint below covers what it would have
        }
        // A record applied while the last one was signed (the log's lanes let a frame overtake a queued checkpoint)
        // is not covered by it: sign again, a few times at most, so the log ends with a checkpoint of its head.
        for (int round = 0; round < SHUTDOWN_ROUNDS; round++) {
            synchronized (this) {
                if (recorder == null || lastEventSequence <= coveredSequence) {
                    return;
                }
            }
            try {
                writeNow().get(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                log.warn("no checkpoint at shutdown: {}", e.toString());
                return;
            }
        }
    }
}
