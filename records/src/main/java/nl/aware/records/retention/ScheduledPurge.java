package nl.aware.records.retention;

import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.Event;
import nl.aware.core.intake.EventRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The running server's daily key duty: prepare the location keys of this month and the next (so sealing never
 * waits for a new key), and, when a retention period is configured, the same {@link LocationPurge} as
 * {@code aware retention purge}, appending through the server's own intake (the server holds the log lock).
 * Runs on its own thread, right after start and then daily; a failed run is retried the next day.
 */
public final class ScheduledPurge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScheduledPurge.class);
    /** Right after start (on its own thread: start-up does not wait for it). */
    static final Duration FIRST_RUN = Duration.ZERO;
    static final Duration EVERY = Duration.ofDays(1);

    private final Period retention;
    private final Path logDirectory;
    private final DataKeyRing keys;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aware-retention");
        t.setDaemon(true);
        return t;
    });

    /** @param retention how long locations are kept; null keeps them (only the keys are prepared) */
    public ScheduledPurge(Period retention, Path logDirectory, DataKeyRing keys, Clock clock) {
        this.retention = retention;
        this.logDirectory = logDirectory;
        this.keys = keys;
        this.clock = clock;
    }

    /** @param recorder appends an event durably (the intake's record) */
    public void start(EventRecorder recorder, Duration firstRun) {
        thread.scheduleWithFixedDelay(() -> runOnce(recorder), firstRun.toMillis(), EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    public void start(EventRecorder recorder) {
        start(recorder, FIRST_RUN);
    }

    /** One run; returns the purge plan it carried out (empty when nothing was due), or null (failed, or no retention). */
    LocationPurge.Plan runOnce(EventRecorder recorder) {
        try {
            keys.prepareLocationKeys(clock.instant());
            if (retention == null) {
                return null;
            }
            LocationPurge.Plan plan = LocationPurge.plan(logDirectory, keys, clock.instant(), retention);
            if (plan.nothingToDo()) {
                return plan;
            }
            String policy = retention.toString();
            for (Event event : LocationPurge.records(plan, policy, "aware server (scheduled retention " + policy + ")")) {
                recorder.record(event).join(); // durable, in order, before any key goes
            }
            LocationPurge.destroyKeys(plan, keys, LocationPurge.note(LocalDate.now(clock.withZone(ZoneOffset.UTC)), policy));
            log.info("retention purge: location keys of {} and {} released hold key(s) destroyed; {} frame(s) of "
                    + "held alerts kept under hold keys", plan.months(), plan.releasedHolds().size(), plan.toHold().size());
            return plan;
        } catch (Exception e) {
            log.error("retention duty failed (keys it had destroyed stay destroyed, the rest waits); next try in {}",
                    EVERY, e);
            return null;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
