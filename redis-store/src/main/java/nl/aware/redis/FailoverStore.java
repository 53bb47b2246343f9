package nl.aware.redis;

import nl.aware.core.store.EventStore;
import nl.aware.core.store.FrameResult;
import nl.aware.core.store.Lanes;
import nl.aware.core.store.WindowedAppend;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.log.LogRecord;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.state.ServerState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Degraded mode (docs/redis.md): the Redis store, and this node's own embedded log for when Redis is
 * unreachable or too slow. A frame or event Redis does not take is kept in the local log instead (same
 * event id, same receive time), applied here, and its work dispatched by this node itself. Once Redis
 * answers again the local records are appended to it in order, each at most once (a once key per local
 * record, and the counter rules for frames), and the node goes back to Redis.
 *
 * <p>Local records are applied with negative sequence numbers (minus their local sequence), so they never
 * meet the shared log's sequences in the projections; they are not applied again when reconciled.
 */
public final class FailoverStore implements EventStore {
    private static final Logger log = LoggerFactory.getLogger(FailoverStore.class);
    private static final long RECONCILE_WAIT_SECONDS = 30;

    private final RedisStore redis;
    private final EventLog local;
    private final String nodeKey;
    private final EventCodec codec;
    private final ServerState state;
    private final Object mode = new Object();
    private final ScheduledExecutorService watcher;
    private final Counter degradedAccepted;
    private final Counter reconciled;
    private volatile boolean degraded;
    private volatile long reconciledUpTo; // local sequence
    private int localInFlight; // guarded by mode
    private volatile LongConsumer localWork = sequence -> { };
    /**
     * Frames offered to Redis whose outcome is not known yet, by device and counter: a retransmission that
     * arrives meanwhile and is kept locally takes the same event id, in case Redis took the original.
     */
    private final java.util.Map<String, Event.FrameAccepted> offered = new java.util.concurrent.ConcurrentHashMap<>();
    /** Frames applied from the local log: if Redis turns out to hold them too, they are not applied twice. */
    private final java.util.Set<UUID> framesAppliedLocally = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private FailoverStore(RedisStore redis, EventLog local, String nodeKey, EventCodec codec, ServerState state,
                          MeterRegistry registry) {
        this.redis = redis;
        this.local = local;
        this.nodeKey = nodeKey;
        this.codec = codec;
        this.state = state;
        Gauge.builder("aware.store.degraded", this, store -> store.degraded ? 1 : 0)
                .description("1 while Redis is unreachable and this node keeps events in its local log").register(registry);
        this.degradedAccepted = Counter.builder("aware.store.degraded.records")
                .description("Records kept in the local log because Redis did not take them").register(registry);
        this.reconciled = Counter.builder("aware.store.reconciled")
                .description("Local records appended to Redis (or found there) after Redis came back").register(registry);
        redis.skipAppliedElsewhere(event -> event instanceof Event.FrameAccepted frame
                && framesAppliedLocally.contains(frame.eventId()));
        this.watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "aware-redis-reconcile");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens the local log in {@code directory} (its own, one per node), applies the records Redis does not
     * have yet, and starts watching for the moment they can be reconciled.
     */
    public static FailoverStore open(RedisStore redis, Path directory, EventCodec codec, ServerState state,
                                     MeterRegistry registry) throws IOException {
        Files.createDirectories(directory);
        String nodeKey = nodeKey(directory);
        List<LogRecord> unreconciled = new ArrayList<>();
        EventLog local = EventLog.open(EventLogOptions.defaults(directory.resolve("log")), registry, record -> {
            if (!redis.reconciled(nodeKey + ":" + record.sequence())) {
                unreconciled.add(record);
            }
        });
        FailoverStore store = new FailoverStore(redis, local, nodeKey, codec, state, registry);
        long firstUnreconciled = unreconciled.isEmpty() ? local.lastSequence() + 1 : unreconciled.get(0).sequence();
        store.reconciledUpTo = firstUnreconciled - 1;
        for (LogRecord record : unreconciled) {
            try {
                store.applyLocal(record, codec.decode(record));
            } catch (EventFormatException e) {
                local.close();
                throw new IOException("local log " + directory + ": " + e.getMessage(), e);
            }
        }
        if (!unreconciled.isEmpty()) {
            log.warn("{} records of the local log {} are not in Redis yet: reconciling", unreconciled.size(), directory);
        }
        store.watcher.scheduleWithFixedDelay(store::watch, 250, 250, TimeUnit.MILLISECONDS);
        return store;
    }

    private volatile Runnable degradedListener = () -> { };

    /**
     * Told when this node enters degraded mode: work owed from records already in Redis, that no worker
     * of this node holds, has no worker able to read it until Redis is back; this node sends it itself.
     */
    public void onDegraded(Runnable listener) {
        this.degradedListener = listener;
    }

    /** Told the (negative) sequence of each local record applied, so this node dispatches its work itself. */
    public void onLocalWork(LongConsumer listener) {
        this.localWork = listener;
    }

    public boolean degraded() {
        return degraded;
    }

    @Override
    public CompletableFuture<FrameResult> acceptFrame(DeviceFrame frame, long receiveTimeMs) {
        String key = frame.deviceId() + ":" + Long.toUnsignedString(frame.counter());
        if (degraded) {
            Event.FrameAccepted earlier = offered.get(key);
            return acceptLocally(earlier != null && java.util.Arrays.equals(earlier.frame().digest(), frame.digest())
                    ? earlier : new Event.FrameAccepted(frameId(frame), receiveTimeMs, frame));
        }
        Event.FrameAccepted event = new Event.FrameAccepted(frameId(frame), receiveTimeMs, frame);
        offered.put(key, event);
        return redis.accept(event).thenCompose(outcome -> {
            if (outcome instanceof FrameResult.NotDurable) {
                enterDegraded("a frame was not made durable in Redis");
                return acceptLocally(event); // the same id and receive time: Redis may have it after all
            }
            return CompletableFuture.completedFuture(outcome);
        }).whenComplete((outcome, failure) -> offered.remove(key, event));
    }

    @Override
    public CompletableFuture<LogRecord> append(Event event) {
        if (degraded) {
            return appendLocally(event);
        }
        return redis.append(event).handle((record, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(record);
            }
            enterDegraded("an event was not made durable in Redis");
            return appendLocally(event);
        }).thenCompose(future -> future);
    }

    /** Derived, not random: a node cut off from Redis gives a frame the id the others give it. */
    private UUID frameId(DeviceFrame frame) {
        return state.devices().frameEventId(frame.deviceId(), frame.counter());
    }

    /** The counter rules in this node's memory while Redis is away, and the local log. */
    private CompletableFuture<FrameResult> acceptLocally(Event.FrameAccepted event) {
        return WindowedAppend.accept(state.counters(event.frame().deviceId()), event,
                accepted -> appendLocally(accepted).whenComplete((record, failure) -> {
                    if (failure != null) {
                        log.error("event {} kept neither in Redis nor in the local log; device told to retry: {}",
                                accepted.eventId(), failure.toString());
                    }
                }));
    }

    private CompletableFuture<LogRecord> appendLocally(Event event) {
        synchronized (mode) {
            localInFlight++;
        }
        degradedAccepted.increment();
        // The log's writer applies the record, in log order: a continuation on the future could run on this
        // thread instead, beside the writer applying the next record (EventLog.append, docs/event-log.md).
        CompletableFuture<LogRecord> durable = local.append(EventCodec.typeOf(event), codec.encode(event),
                Lanes.of(event), record -> applyLocal(record, event));
        return durable.whenComplete((record, failure) -> {
            synchronized (mode) {
                localInFlight--;
            }
        });
    }

    private void applyLocal(LogRecord record, Event event) {
        LogRecord shadow = new LogRecord(-record.sequence(), record.timestampMs(), record.type(), record.payload(),
                record.hash());
        if (event instanceof Event.FrameAccepted frame) {
            framesAppliedLocally.add(frame.eventId());
        }
        synchronized (state) {
            state.apply(shadow, event);
        }
        localWork.accept(shadow.sequence());
    }

    private void enterDegraded(String why) {
        synchronized (mode) {
            if (degraded) {
                return;
            }
            degraded = true;
        }
        redis.failQueued(); // what waits for Redis falls back now, not one timeout per batch later
        for (Event.FrameAccepted confirmed : redis.confirmedNotApplied()) {
            acceptLocally(confirmed); // ACKed by Redis, never seen here: kept and dispatched under the same id
        }
        degradedListener.run();
        log.error("DEGRADED: {}; this node keeps events in its local log {} and dispatches their work itself until"
                + " Redis answers again", why, local.directory());
    }

    private void watch() {
        try {
            if ((degraded || local.lastSequence() > reconciledUpTo) && redis.reachable()) {
                reconcile();
            }
        } catch (RuntimeException e) {
            log.error("reconciliation with Redis failed; retrying", e);
        }
    }

    /** Appends the local records Redis does not have, in order; leaves degraded mode once all are there. */
    private void reconcile() {
        while (true) {
            List<LogRecord> records = new ArrayList<>();
            try {
                EventLog.read(local.directory(), record -> {
                    if (record.sequence() > reconciledUpTo) {
                        records.add(record);
                    }
                });
            } catch (IOException e) {
                log.error("cannot read the local log {} to reconcile it: {}", local.directory(), e.toString());
                return;
            }
            if (records.isEmpty()) {
                synchronized (mode) {
                    if (localInFlight == 0 && local.lastSequence() == reconciledUpTo) {
                        if (degraded) {
                            degraded = false;
                            log.warn("Redis answers again: the local log is reconciled (up to local record {}); back"
                                    + " on the shared log", reconciledUpTo);
                        }
                        return;
                    }
                }
                try {
                    Thread.sleep(5); // a local append is finishing: take it too before switching back
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                continue;
            }
            List<CompletableFuture<Reconciliation>> answers = new ArrayList<>();
            for (LogRecord record : records) {
                try {
                    answers.add(redis.reconcile(codec.decode(record), nodeKey + ":" + record.sequence()));
                } catch (EventFormatException e) {
                    log.error("local record {} is not a valid event; not reconciled: {}", record.sequence(), e.getMessage());
                    return;
                }
            }
            for (int i = 0; i < records.size(); i++) {
                LogRecord record = records.get(i);
                Reconciliation answer;
                try {
                    answer = answers.get(i).get(RECONCILE_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (Exception e) {
                    log.warn("reconciliation stopped at local record {} ({}); retrying", record.sequence(), e.toString());
                    return;
                }
                report(record, answer);
                reconciledUpTo = record.sequence();
                reconciled.increment();
            }
            log.info("reconciled local records up to {} with Redis", reconciledUpTo);
        }
    }

    private void report(LogRecord record, Reconciliation answer) {
        if (answer.kind() == Reconciliation.Kind.REPLAYED) {
            log.error("local record {}: Redis holds its device's counter with other bytes; kept only locally (audit it)",
                    record.sequence());
        } else if (answer.kind() == Reconciliation.Kind.ALREADY_THERE && answer.original() != null) {
            try {
                Event event = codec.decode(record);
                if (event instanceof Event.FrameAccepted frame && !frame.eventId().equals(answer.original())) {
                    log.error("local record {}: the same press is in Redis as event {} and was kept here as {}"
                            + " (accepted on two nodes while they could not both reach Redis)", record.sequence(),
                            answer.original(), frame.eventId());
                }
            } catch (EventFormatException e) {
                log.error("local record {} is not a valid event: {}", record.sequence(), e.getMessage());
            }
        }
    }

    @Override
    public boolean writable() {
        return degraded ? local.writable() : redis.writable();
    }

    @Override
    public long lastSequence() {
        return redis.lastSequence();
    }

    @Override
    public String describe() {
        return redis.describe() + "; degraded mode keeps events in " + local.directory();
    }

    @Override
    public void close() {
        watcher.shutdownNow();
        redis.close();
        local.close();
    }

    /** The local log's own id (created once): the once keys of its records in Redis start with it. */
    private static String nodeKey(Path directory) throws IOException {
        Path file = directory.resolve("NODE-ID");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        }
        String id = UUID.randomUUID().toString();
        Path temporary = directory.resolve("NODE-ID.tmp");
        Files.writeString(temporary, id, StandardCharsets.US_ASCII);
        Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return id;
    }
}
