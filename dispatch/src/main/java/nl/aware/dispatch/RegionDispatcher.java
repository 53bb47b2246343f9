package nl.aware.dispatch;

import nl.aware.core.concurrent.Futures;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.intake.EventRecorder;
import nl.aware.core.logging.RateLimitedLog;
import nl.aware.dispatch.police.Courier;
import nl.aware.dispatch.police.DeliveryException;
import nl.aware.dispatch.police.Receipt;
import nl.aware.dispatch.work.DispatchItem;
import nl.aware.dispatch.work.DispatchProjection;
import nl.aware.dispatch.work.Priority;
import nl.aware.dispatch.work.WorkKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One region's dispatch: a priority queue (PANIC, alert updates, tests, notices; FIFO by log order
 * within each), a bounded number of requests in flight with slots only a PANIC may take, retries
 * with backoff, and the rule that an update waits until the police accepted its alert.
 *
 * <p>Each region has its own instance and HTTP clients: a dead endpoint in one region never holds up
 * another region's PANIC. Requests start on the region's event loop, the one its police connections
 * live on, so a request is written and its answer starts the next one without a thread hand-off. New
 * work, from the log's writer or a retry, wakes that loop once however much arrives; nothing here
 * blocks.
 */
final class RegionDispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RegionDispatcher.class);

    /** A piece of work and how many times it was tried. */
    private record Pending(DispatchItem item, int attempt) {
    }

    private final Region region;
    private final Courier police;
    private final Courier kadera;
    private final EventRecorder recorder;
    private final DispatchProjection projection;
    private final ScheduledExecutorService scheduler;
    private final DispatchMetrics metrics;
    private final DispatchLimits limits;
    private final Clock clock;
    private final DeliveryObserver observer;
    private final PoliceAnswers answers;
    /** Repeated failures (attempt 2 and later) of a region: at most one line every 10 s, with a count. */
    private final RateLimitedLog repeatedFailureLog = new RateLimitedLog(log, 10_000);

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Priority, PriorityQueue<Pending>> queues = new EnumMap<>(Priority.class);
    private final Map<UUID, List<Pending>> waitingForAlert = new HashMap<>();
    private int inFlight;
    /** Where requests start: the event loop of the region's police connections. */
    private final Executor loop;
    /** A start of requests is already queued on the loop: more work needs no second wake-up. */
    private final AtomicBoolean startQueued = new AtomicBoolean();
    private volatile boolean started;
    private volatile boolean running = true;

    RegionDispatcher(Region region, Courier police, Courier kadera, EventRecorder recorder,
                     DispatchProjection projection, ScheduledExecutorService scheduler, DispatchMetrics metrics,
                     DispatchLimits limits, Clock clock, DeliveryObserver observer, PoliceAnswers answers,
                     Executor loop) {
        this.loop = loop;
        this.observer = observer;
        this.answers = answers;
        this.region = region;
        this.police = police;
        this.kadera = kadera;
        this.recorder = recorder;
        this.projection = projection;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.limits = limits;
        this.clock = clock;
        for (Priority priority : Priority.values()) {
            PriorityQueue<Pending> queue = new PriorityQueue<>(Comparator.comparingLong(p -> p.item().sequence()));
            queues.put(priority, queue);
            metrics.queueDepth(region, priority, () -> depth(priority));
        }
    }

    /** Starts sending; work submitted before waits in the queues until now. */
    void start() {
        started = true;
        startRequests();
    }

    /** Takes new work. Never blocks on I/O; called from the log writer thread. */
    void submit(DispatchItem item) {
        offer(new Pending(item, 1));
    }

    /** The police accepted this alert: its parked updates may go now. */
    void alertAccepted(UUID alertId) {
        lock.lock();
        try {
            List<Pending> released = waitingForAlert.remove(alertId);
            if (released == null) {
                return;
            }
            released.forEach(this::enqueue);
        } finally {
            lock.unlock();
        }
        startRequests();
    }

    int depth(Priority priority) {
        lock.lock();
        try {
            return queues.get(priority).size();
        } finally {
            lock.unlock();
        }
    }

    private void offer(Pending pending) {
        List<DispatchItem> shed = new ArrayList<>();
        lock.lock();
        try {
            DispatchItem item = pending.item();
            if (item.kind().needsAcceptedAlert() && projection.acceptedReference(item.alertId()).isEmpty()) {
                waitingForAlert.computeIfAbsent(item.alertId(), id -> new ArrayList<>()).add(pending);
                return;
            }
            enqueue(pending);
            shedOverflow(shed);
        } finally {
            lock.unlock();
        }
        startRequests();
        shed.forEach(item -> shed(item, "queue full: more than " + limits.maxQueuedSheddable() + " low-priority items"));
    }

    private void enqueue(Pending pending) {
        queues.get(pending.item().priority()).add(pending);
    }

    /** Drops the oldest work of the lowest priority while the low-priority backlog is over its bound. */
    private void shedOverflow(List<DispatchItem> shed) {
        int sheddable = 0;
        for (Priority priority : Priority.values()) {
            if (priority.sheddable()) {
                sheddable += queues.get(priority).size();
            }
        }
        Priority[] lowestFirst = {Priority.NOTICE, Priority.TEST, Priority.ALERT_UPDATE};
        for (Priority priority : lowestFirst) {
            while (sheddable > limits.maxQueuedSheddable() && !queues.get(priority).isEmpty()) {
                shed.add(queues.get(priority).poll().item());
                sheddable--;
            }
        }
    }

    /** Has the loop start what the slots allow, unless that is already queued there. */
    private void startRequests() {
        if (!started || !running || !startQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            loop.execute(this::startAllowed);
        } catch (RejectedExecutionException stopping) {
            startQueued.set(false);
            log.debug("region {} not sending: its event loop is stopping", region.label());
        }
    }

    /** On the loop: starts requests while a slot allows the next piece of work. */
    private void startAllowed() {
        startQueued.set(false); // cleared first: work offered from now on queues another start
        while (true) {
            Pending next;
            lock.lock();
            try {
                next = running ? nextAllowed() : null;
                if (next == null) {
                    return;
                }
                inFlight++;
            } finally {
                lock.unlock();
            }
            try {
                send(next);
            } catch (RuntimeException e) {
                // The loop serves every request of the region: it must outlive any one piece of work.
                lock.lock();
                try {
                    inFlight--;
                } finally {
                    lock.unlock();
                }
                log.error("{} {} could not be sent; retrying", next.item().kind().label(), next.item().itemId(), e);
                failed(next, e);
            }
        }
    }

    /** The next work this region may start now, or null: a PANIC may use any slot, other work all but the reserved. */
    private Pending nextAllowed() {
        if (inFlight < limits.maxInFlight() && !queues.get(Priority.PANIC).isEmpty()) {
            return queues.get(Priority.PANIC).poll();
        }
        if (inFlight < limits.maxInFlight() - limits.reservedForPanic()) {
            for (Priority priority : Priority.values()) {
                Pending pending = queues.get(priority).poll();
                if (pending != null) {
                    return pending;
                }
            }
        }
        return null;
    }

    private void send(Pending pending) {
        DispatchItem item = pending.item();
        Courier courier = item.kind().toPolice() ? police : kadera;
        if (item.kind().toPolice()) {
            observer.attempted(region);
        }
        courier.deliver(item, pending.attempt()).whenComplete((receipt, failure) -> {
            lock.lock();
            try {
                inFlight--;
            } finally {
                lock.unlock();
            }
            startRequests(); // the freed slot; on the loop itself this queues without a wake-up
            if (failure == null) {
                delivered(pending, receipt);
            } else {
                failed(pending, Futures.cause(failure));
            }
        });
    }

    private void delivered(Pending pending, Receipt receipt) {
        DispatchItem item = pending.item();
        metrics.attempt(receipt.target(), true);
        if (item.kind().toPolice()) {
            answers.accepted(item); // before the record: an escalation due now must not overtake this answer
            observer.delivered(region);
        }
        if (item.kind() == WorkKind.NEW_ALERT) {
            metrics.policeAccepted(region, item.receiveTimeMs(), clock.millis());
            log.info("alert {} accepted by {} (incident {}), attempt {}", item.alertId(), receipt.target(),
                    receipt.reference(), pending.attempt());
        }
        Event event = new Event.Delivered(item.itemId(), receipt.target(), pending.attempt(), receipt.reference());
        recordUntilDurable(event, () -> {
            if (item.kind().opensAlert()) {
                alertAccepted(item.alertId());
            }
        });
    }

    private void failed(Pending pending, Throwable failure) {
        DispatchItem item = pending.item();
        if (!running) {
            // Stopping cuts requests short; the work stays owed in the log and goes out after the restart.
            log.debug("{} {} interrupted by shutdown", item.kind().label(), item.itemId());
            return;
        }
        String target = failure instanceof DeliveryException de ? de.target() : "unknown";
        boolean permanent = failure instanceof DeliveryException de && de.permanent();
        String problem = failure instanceof DeliveryException ? failure.getMessage() : failure.toString();
        metrics.attempt(target, false);
        recorder.recordOrReport(new Event.DeliveryFailed(item.itemId(), target, pending.attempt(), truncate(problem)),
                log, "delivery failure of " + item.itemId());
        if (permanent && item.priority() == Priority.PANIC) {
            // A PANIC is never dropped, but a receiver that refuses it as invalid will refuse it again:
            // a person must know now (Kadera's on-call route and an operator alert), not after 15 s.
            metrics.refusedAsInvalid(region);
            if (pending.attempt() == 1) {
                log.error("{} {} refused as invalid by {} ({}); escalating to Kadera and retrying with back-off",
                        item.kind().label(), item.itemId(), target, problem);
            }
            answers.refusedAsInvalid(item, problem);
        }
        if (item.priority().sheddable() && (permanent || pending.attempt() >= limits.maxAttemptsSheddable())) {
            shed(item, (permanent ? "refused by " : "gave up on ") + target + ": " + problem);
            return;
        }
        // Failover is immediate only on an item's first failure; after that the back-off applies whichever
        // endpoint the next attempt goes to, so two dead endpoints cost a few attempts a second, not thousands.
        boolean failedOver = failure instanceof DeliveryException && item.kind().toPolice() && police.switchedFrom(target);
        long delay = failedOver && pending.attempt() == 1 ? 0
                : limits.backoffMillis(pending.attempt(), ThreadLocalRandom.current().nextDouble());
        String where = failedOver ? " on the other endpoint" : "";
        if (pending.attempt() == 1) {
            (item.priority() == Priority.PANIC ? log.atWarn() : log.atInfo()).log(
                    "{} {} not delivered to {} (attempt 1: {}); retrying in {} ms{}", item.kind().label(),
                    item.itemId(), target, problem, delay, where);
        } else {
            // Later failures of the same outage are summarised: one line per interval per region.
            repeatedFailureLog.warn("{} {} not delivered to {} (attempt {}: {}); retrying in {} ms{}",
                    item.kind().label(), item.itemId(), target, pending.attempt(), problem, delay, where);
        }
        schedule(() -> offer(new Pending(item, pending.attempt() + 1)), delay);
    }

    /** Schedules a retry unless dispatch is stopping (then the log still owes the work to the next start). */
    private void schedule(Runnable task, long delayMillis) {
        try {
            scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            log.info("dispatch stopping; retry left to the next start");
        }
    }

    private void shed(DispatchItem item, String reason) {
        metrics.shed(item.priority());
        log.warn("{} {} shed: {}", item.kind().label(), item.itemId(), reason);
        recordUntilDurable(new Event.WorkShed(item.itemId(), truncate(reason)), () -> {
        });
    }

    /**
     * Outcome records must reach the log: a failed append (log overloaded, disk full) is retried until
     * it succeeds; the work itself is already done and stays done.
     */
    private void recordUntilDurable(Event event, Runnable then) {
        recorder.record(event).whenComplete((ignored, error) -> {
            if (error == null) {
                then.run();
                return;
            }
            if (scheduler.isShutdown()) {
                // Stopping: the work is owed in the log and goes out again, same ids, after the restart.
                log.warn("dispatch outcome not recorded at shutdown ({}); the work is re-sent after restart",
                        error.toString());
                return;
            }
            log.error("dispatch outcome not recorded yet, retrying in 1 s: {}", error.toString());
            schedule(() -> recordUntilDurable(event, then), 1000);
        });
    }

    private static String truncate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300);
    }

    /** Starts nothing more; requests in flight end with the connections, their work stays owed in the log. */
    @Override
    public void close() {
        running = false;
    }
}
