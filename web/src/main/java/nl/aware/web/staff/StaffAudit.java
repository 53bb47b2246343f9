package nl.aware.web.staff;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import nl.aware.core.event.Event;
import nl.aware.core.intake.EventRecorder;
import nl.aware.core.logging.RateLimitedLog;
import nl.aware.core.staff.AccessOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the access trail: one {@link Event.StaffAccess} per login attempt, denial and audited read,
 * durable in the event log before the caller goes on. Requests that name nobody (no token, unknown
 * account) share a budget of {@value #ANONYMOUS_PER_SECOND} records a second, so a flood from the
 * network cannot fill the log that also holds the alarms; what exceeds it is counted
 * ({@value #UNRECORDED}) and logged once a second.
 */
public final class StaffAudit {
    public static final String ACCESS = "aware.staff.access";
    public static final String UNRECORDED = "aware.staff.access.unrecorded";
    static final int ANONYMOUS_PER_SECOND = 50;
    private static final Logger log = LoggerFactory.getLogger(StaffAudit.class);

    private final EventRecorder recorder;
    private final Executor continuations;
    private final Clock clock;
    private final Map<AccessOutcome, Counter> outcomes = new EnumMap<>(AccessOutcome.class);
    private final Counter unrecorded;
    private final RateLimitedLog floodLog = new RateLimitedLog(log, 1000);
    private final AtomicLong budgetSecond = new AtomicLong();
    private final AtomicLong budgetUsed = new AtomicLong();

    /**
     * @param continuations where whatever waits on a record runs: the staff API's workers, so that no
     *                      response is built on the log's writer thread (it has alarms to write)
     */
    public StaffAudit(EventRecorder recorder, Executor continuations, Clock clock,
                      MeterRegistry registry) {
        this.recorder = recorder;
        this.continuations = continuations;
        this.clock = clock;
        for (AccessOutcome outcome : AccessOutcome.values()) {
            outcomes.put(outcome, Counter.builder(ACCESS).description("Staff API logins and requests, by outcome")
                    .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
        }
        this.unrecorded = Counter.builder(UNRECORDED)
                .description("Anonymous staff API attempts over the audit budget, counted but not written to the log")
                .register(registry);
    }

    /**
     * Records one access; the future completes when the record is durable (or fails, e.g. disk full).
     * An anonymous attempt over budget completes at once without a record.
     */
    public CompletableFuture<?> record(String username, String source, String action, String subject,
                                       AccessOutcome outcome) {
        outcomes.get(outcome).increment();
        if (username.isEmpty() && !withinAnonymousBudget()) {
            unrecorded.increment();
            floodLog.warn("staff API: more than {} anonymous attempts a second; the excess is counted in {}, not logged",
                    ANONYMOUS_PER_SECOND, UNRECORDED);
            return CompletableFuture.completedFuture(null);
        }
        return offWriterThread(recorder.record(new Event.StaffAccess(clock.millis(), username, source, action,
                truncate(subject), outcome)));
    }

    /** Records the event (an account change) the same way, durable when the future completes. */
    public CompletableFuture<?> record(Event event) {
        return offWriterThread(recorder.record(event));
    }

    private CompletableFuture<?> offWriterThread(CompletableFuture<?> durable) {
        return durable.whenCompleteAsync((ignored, failure) -> { }, continuations);
    }

    private boolean withinAnonymousBudget() {
        long second = clock.millis() / 1000;
        long current = budgetSecond.get();
        if (current != second && budgetSecond.compareAndSet(current, second)) {
            budgetUsed.set(0);
        }
        return budgetUsed.incrementAndGet() <= ANONYMOUS_PER_SECOND;
    }

    private static String truncate(String subject) {
        return subject.length() <= 256 ? subject : subject.substring(0, 256);
    }
}
