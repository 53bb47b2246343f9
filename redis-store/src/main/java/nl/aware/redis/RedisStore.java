package nl.aware.redis;

import nl.aware.core.store.EventStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.intake.IntakeOutcome;
import nl.aware.core.log.LogRecord;
import nl.aware.core.log.RecordChain;
import nl.aware.core.logging.RateLimitedLog;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.NackReason;
import nl.aware.core.state.ServerState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The event log shared by several nodes in Redis (docs/redis.md).
 *
 * <p>Writing: one writer thread per node batches appends into ONE Lua script call that checks the
 * ADP/1 counter rules against the counter windows kept in Redis, checks that the chain head is the one
 * the client chained from, appends the records, moves the head, and adds dispatch work entries, all
 * atomically. Lua has no SHA-256, so the client computes the hashes; when another node appended first
 * the script writes nothing and returns the new head, and the writer rechains and retries.
 *
 * <p>Applying: every node follows the whole stream (its own records and the other nodes') with one
 * reader thread, checks the chain, and applies each record to its {@link ServerState} in stream order.
 * An append's future completes when the reader has applied it, so a node's state includes its own
 * events (an enrolment, say) before it answers, as with the embedded log. A frame is answered as soon
 * as Redis holds it durably: its effects reach every node's state through the stream, in stream order.
 */
public final class RedisStore implements EventStore {
    private static final Logger log = LoggerFactory.getLogger(RedisStore.class);
    private static final String SCRIPT = loadScript();
    private static final int MAX_PENDING = 65_536;
    private static final int MAX_RECHAINS = 100;
    /** An append the reader has not applied this long after Redis took it is answered "retry". */
    private static final long APPLY_TIMEOUT_MS = 10_000;

    private final RedisStoreOptions options;
    private final RedisKeys keys;
    private final EventCodec codec;
    private final ServerState state;
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> writeConnection;
    private final StatefulRedisConnection<byte[], byte[]> readConnection;
    private final String scriptSha;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>(MAX_PENDING);
    private final Map<String, Pending> awaitingApply = new ConcurrentHashMap<>();
    private final RedisLog.Cursor cursor = new RedisLog.Cursor(); // reader thread only (after open)
    private final long replayed;
    private final long replayMillis;
    private final Thread writer;
    private final Thread reader;
    private final RateLimitedLog failureLog = new RateLimitedLog(log, 1000);
    private final Timer appendLatency;
    private final Counter appendFailures;
    private final Counter rechains;

    private volatile boolean closed;
    private volatile boolean lastAppendFailed;
    private volatile boolean readerFailing;
    private volatile long appliedSequence;
    /** Events this node applied already from elsewhere (degraded mode's local log): not applied twice. */
    private volatile java.util.function.Predicate<Event> appliedElsewhere = event -> false;
    // writer thread only: the head this node chains from
    private long headSequence;
    private byte[] headHash;

    /** One event on its way into the log. */
    private static final class Pending {
        final Event event;
        final int type;
        final byte[] payload;
        final DeviceFrame frame;
        final String work;
        final long enqueuedNanos = System.nanoTime();
        /** Completed by the reader once this node applied the record. */
        final CompletableFuture<LogRecord> applied = new CompletableFuture<>();
        /** Completed by the writer once Redis holds the record as durably as configured (AOF fsync, WAIT). */
        final CompletableFuture<Void> confirmed = new CompletableFuture<>();
        /** Durable and applied: only then may anyone be told. */
        final CompletableFuture<LogRecord> done = applied.thenCombine(confirmed, (record, ignored) -> record);
        final CompletableFuture<IntakeOutcome> outcome; // frames only
        /** Reconciliation of a record this node kept locally while Redis was away: its once key, else "". */
        final String once;
        /** Completed for a reconciled record with what Redis made of it. */
        final CompletableFuture<Reconciliation> reconciled = new CompletableFuture<>();
        long sequence;
        long timestampMs;
        byte[] hash;

        Pending(Event event, byte[] payload, boolean frame) {
            this(event, payload, frame, "");
        }

        Pending(Event event, byte[] payload, boolean frame, String once) {
            this.once = once;
            this.event = event;
            this.type = EventCodec.typeOf(event);
            this.payload = payload;
            this.frame = frame ? ((Event.FrameAccepted) event).frame() : null;
            this.work = RedisKeys.workOf(event);
            this.outcome = frame ? new CompletableFuture<>() : null;
            if (frame) {
                // The device is answered once Redis holds the frame durably, not once this node applied it: if
                // Redis dies right after, the press is safe there, and the device must not be told to retry.
                UUID eventId = eventId();
                confirmed.whenComplete((ignored, failure) -> outcome.complete(failure == null
                        ? new IntakeOutcome.Accepted(eventId, false) : new IntakeOutcome.Refused(NackReason.OVERLOADED)));
            }
        }

        UUID eventId() {
            return ((Event.FrameAccepted) event).eventId();
        }

        void fail(IOException cause) {
            confirmed.completeExceptionally(cause);
            applied.completeExceptionally(cause);
            reconciled.completeExceptionally(cause);
        }

        boolean reconciling() {
            return !once.isEmpty();
        }
    }

    private RedisStore(RedisStoreOptions options, EventCodec codec, ServerState state, MeterRegistry registry)
            throws StoreUnavailableException {
        this.options = options;
        this.keys = new RedisKeys(options.prefix());
        this.codec = codec;
        this.state = state;
        this.client = RedisClients.create(options);
        long started = System.nanoTime();
        try {
            this.writeConnection = client.connect(ByteArrayCodec.INSTANCE);
            this.readConnection = client.connect(ByteArrayCodec.INSTANCE);
            checkDurability(writeConnection.sync(), options.durability());
            this.scriptSha = writeConnection.sync().scriptLoad(SCRIPT);
            RedisLog.readFrom(readConnection.sync(), keys, cursor, this::apply);
        } catch (RedisException e) {
            RedisClients.shutdown(client);
            throw new StoreUnavailableException("Redis store " + redacted(options.uri()) + " unavailable: "
                    + e.getMessage(), e);
        } catch (RedisLog.BadRecord e) {
            RedisClients.shutdown(client);
            throw new StoreUnavailableException("the event log in Redis is damaged at entry " + e.entryId()
                    + " (sequence " + e.sequence() + "): " + e.getMessage());
        } catch (StoreUnavailableException | RuntimeException e) {
            RedisClients.shutdown(client);
            throw e;
        }
        this.replayed = cursor.records();
        this.replayMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        this.headSequence = cursor.lastSequence();
        this.headHash = cursor.lastHash();
        this.appendLatency = Timer.builder("aware.store.redis.append.latency")
                .description("Time from append to the record being durable in Redis").register(registry);
        this.appendFailures = Counter.builder("aware.store.redis.append.failures")
                .description("Appends that Redis did not make durable (unreachable, timeout, WAIT short)")
                .register(registry);
        this.rechains = Counter.builder("aware.store.redis.rechains")
                .description("Batches chained again because another node appended first").register(registry);
        this.writer = new Thread(this::runWriter, "aware-redis-writer");
        this.reader = new Thread(this::runReader, "aware-redis-reader");
        writer.setDaemon(true);
        reader.setDaemon(true);
    }

    /**
     * Connects, checks that Redis is as durable as configured, replays the whole log into {@code state}
     * (on the calling thread, checking the chain), then starts following it.
     *
     * @throws StoreUnavailableException naming what is wrong (unreachable, not durable, damaged log)
     */
    public static RedisStore open(RedisStoreOptions options, EventCodec codec, ServerState state,
                                  MeterRegistry registry) throws StoreUnavailableException {
        RedisStore store = new RedisStore(options, codec, state, registry);
        store.reader.start();
        store.writer.start();
        log.info("Redis store {} opened ({}): {} records replayed in {} ms", redacted(options.uri()),
                options.durability(), store.replayed, store.replayMillis);
        return store;
    }

    /**
     * Durability is a property of the Redis server, so it is checked, not assumed: with AOF durability
     * Redis must have {@code appendonly yes} and {@code appendfsync always}, or this node refuses to start.
     */
    static void checkDurability(RedisCommands<byte[], byte[]> redis, RedisStoreOptions.Durability durability)
            throws StoreUnavailableException {
        String appendOnly;
        String appendFsync;
        try {
            appendOnly = config(redis, "appendonly");
            appendFsync = config(redis, "appendfsync");
        } catch (RedisException e) {
            if (durability.replicas() == 0) {
                throw new StoreUnavailableException("cannot read Redis's appendonly/appendfsync settings (" + e.getMessage()
                        + "): AOF durability cannot be checked, so this node does not start");
            }
            log.warn("cannot read Redis's AOF settings ({}); relying on WAIT {} alone", e.getMessage(),
                    durability.replicas());
            return;
        }
        boolean aofAlways = "yes".equals(appendOnly) && "always".equals(appendFsync);
        if (durability.replicas() == 0 && !aofAlways) {
            throw new StoreUnavailableException("Redis has appendonly=" + appendOnly + ", appendfsync=" + appendFsync
                    + ": an acknowledged press could be lost in a Redis crash. Set 'appendonly yes' and"
                    + " 'appendfsync always', or use replica durability (wait:N:TIMEOUT_MS)");
        }
        if (!aofAlways) {
            log.warn("Redis has appendonly={}, appendfsync={}: acknowledged events survive only as long as one of {}"
                    + " replica(s) does; a power loss of all of them loses them", appendOnly, appendFsync,
                    durability.replicas());
        }
    }

    private static String config(RedisCommands<byte[], byte[]> redis, String name) {
        for (Map.Entry<String, String> entry : redis.configGet(name).entrySet()) {
            return entry.getValue();
        }
        return "unknown";
    }

    // --------------------------------------------------------------------------------------- EventStore

    @Override
    public CompletableFuture<IntakeOutcome> acceptFrame(DeviceFrame frame, long receiveTimeMs) {
        return accept(new Event.FrameAccepted(state.devices().frameEventId(frame.deviceId(), frame.counter()),
                receiveTimeMs, frame));
    }

    /** {@link #acceptFrame} with the event id and receive time chosen by the caller (degraded mode reuses them). */
    public CompletableFuture<IntakeOutcome> accept(Event.FrameAccepted event) {
        Pending pending = new Pending(event, codec.encode(event), true);
        if (!enqueue(pending)) {
            return CompletableFuture.completedFuture(new IntakeOutcome.Refused(NackReason.OVERLOADED));
        }
        return pending.outcome.completeOnTimeout(new IntakeOutcome.Refused(NackReason.OVERLOADED), APPLY_TIMEOUT_MS,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<LogRecord> append(Event event) {
        if (event instanceof Event.FrameAccepted) {
            throw new IllegalArgumentException("frames go through acceptFrame: the counter rules apply to them");
        }
        Pending pending = new Pending(event, codec.encode(event), false);
        if (!enqueue(pending)) {
            return pending.done;
        }
        return pending.done.orTimeout(APPLY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Appends a record this node kept in its local log while Redis was away, at most once (by
     * {@code onceKey}), without applying it here again (it was applied when kept). A frame is checked
     * against the counter rules like any other: one another node accepted meanwhile is not appended twice.
     */
    public CompletableFuture<Reconciliation> reconcile(Event event, String onceKey) {
        if (onceKey.isEmpty()) {
            throw new IllegalArgumentException("a reconciled record needs its once key");
        }
        Pending pending = new Pending(event, codec.encode(event), event instanceof Event.FrameAccepted, onceKey);
        enqueue(pending);
        return pending.reconciled;
    }

    /** Degraded mode: events it applied from the local log are skipped when they show up in Redis too. */
    void skipAppliedElsewhere(java.util.function.Predicate<Event> test) {
        this.appliedElsewhere = test;
    }

    /**
     * Fails every append still waiting to be sent (degraded mode takes them at once). The batch in flight,
     * if any, is left to finish: its outcome is what Redis says.
     */
    void failQueued() {
        List<Pending> waiting = new ArrayList<>();
        queue.drainTo(waiting);
        fail(waiting, new StoreUnavailableException("Redis away: kept locally instead"));
    }

    /**
     * Frames Redis confirmed (their devices have their ACK) that this node has not applied yet: when Redis
     * dies now, degraded mode keeps them locally too, under the same ids, so that they are dispatched.
     */
    List<Event.FrameAccepted> confirmedNotApplied() {
        List<Event.FrameAccepted> frames = new ArrayList<>();
        for (Pending pending : awaitingApply.values()) {
            if (pending.frame != null && !pending.reconciling() && pending.confirmed.isDone()
                    && !pending.confirmed.isCompletedExceptionally() && !pending.applied.isDone()) {
                frames.add((Event.FrameAccepted) pending.event);
            }
        }
        return frames;
    }

    /** Whether Redis answers a PING now (degraded mode watches this to know when to reconcile). */
    public boolean reachable() {
        try {
            return "PONG".equals(writeConnection.sync().ping());
        } catch (RedisException e) {
            return false;
        }
    }

    /** Whether a record kept locally under {@code onceKey} is in Redis already. */
    public boolean reconciled(String onceKey) {
        return writeConnection.sync().hexists(RedisKeys.bytes(keys.prefix() + "reconciled"), RedisKeys.bytes(onceKey));
    }

    private boolean enqueue(Pending pending) {
        if (closed) {
            pending.fail(new StoreUnavailableException("Redis store is closed"));
            return false;
        }
        if (!queue.offer(pending)) {
            appendFailures.increment();
            pending.fail(new StoreUnavailableException("Redis store overloaded: " + MAX_PENDING + " appends waiting"));
            return false;
        }
        return true;
    }

    @Override
    public boolean writable() {
        return !closed && !lastAppendFailed && !readerFailing;
    }

    @Override
    public long lastSequence() {
        return appliedSequence;
    }

    @Override
    public String describe() {
        return "Redis log " + redacted(options.uri()) + " (" + options.durability() + "): " + replayed
                + " records replayed in " + replayMillis + " ms";
    }

    // --------------------------------------------------------------------------------------------- writer

    private void runWriter() {
        List<Pending> carried = new ArrayList<>();
        while (!closed || !queue.isEmpty() || !carried.isEmpty()) {
            List<Pending> batch = new ArrayList<>(carried);
            carried.clear();
            if (batch.isEmpty()) {
                Pending first;
                try {
                    first = queue.poll(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    continue;
                }
                if (first == null) {
                    continue;
                }
                batch.add(first);
            }
            queue.drainTo(batch, options.maxBatch() - batch.size());
            // One frame per device per script: the script checks counters against Redis, not against its own batch.
            Set<Long> devices = new HashSet<>();
            List<Pending> now = new ArrayList<>(batch.size());
            for (Pending pending : batch) {
                if (pending.frame != null && !devices.add(pending.frame.deviceId())) {
                    carried.add(pending);
                } else {
                    now.add(pending);
                }
            }
            try {
                appendBatch(now);
            } catch (RuntimeException e) { // never leave a future hanging, never let the writer die
                log.error("Redis store: unexpected error appending a batch of {}", now.size(), e);
                fail(now, new StoreUnavailableException("unexpected error: " + e, e));
            }
        }
        List<Pending> leftovers = new ArrayList<>();
        queue.drainTo(leftovers);
        fail(leftovers, new StoreUnavailableException("Redis store is closed"));
    }

    private void appendBatch(List<Pending> batch) {
        List<Pending> todo = batch;
        for (int attempt = 1; !todo.isEmpty(); attempt++) {
            if (attempt > MAX_RECHAINS) {
                fail(todo, new StoreUnavailableException("chain head kept moving: " + MAX_RECHAINS + " attempts"));
                return;
            }
            chain(todo);
            List<Object> reply;
            try {
                reply = runScript(todo);
            } catch (RedisException e) {
                unregister(todo);
                lastAppendFailed = true;
                failureLog.error("Redis store: append of {} records failed, devices told to retry: {}", todo.size(),
                        e.toString());
                fail(todo, new StoreUnavailableException("Redis append failed: " + e.getMessage(), e));
                return;
            }
            String answer = RedisKeys.text((byte[]) reply.get(0));
            switch (answer) {
                case "moved" -> {
                    unregister(todo);
                    rechains.increment();
                    headSequence = Long.parseLong(RedisKeys.text((byte[]) reply.get(1)));
                    byte[] hash = (byte[]) reply.get(2);
                    headHash = hash.length == 0 ? RecordChain.GENESIS : hash;
                }
                case "verdicts" -> {
                    unregister(todo);
                    todo = sortOut(todo, reply);
                }
                case "ok" -> {
                    Pending last = todo.get(todo.size() - 1);
                    headSequence = last.sequence;
                    headHash = last.hash;
                    if (!replicated(todo)) {
                        return;
                    }
                    lastAppendFailed = false;
                    for (Pending pending : todo) {
                        pending.confirmed.complete(null);
                        if (pending.reconciling()) {
                            pending.done.thenRun(() -> pending.reconciled.complete(Reconciliation.appended()));
                        }
                    }
                    long now = System.nanoTime();
                    for (Pending pending : todo) {
                        appendLatency.record(now - pending.enqueuedNanos, TimeUnit.NANOSECONDS);
                    }
                    return;
                }
                default -> {
                    unregister(todo);
                    fail(todo, new StoreUnavailableException("unexpected answer from the append script: " + answer));
                    return;
                }
            }
        }
    }

    /** Gives each record its sequence and hash, chained from the head, and waits for the reader to apply it. */
    private void chain(List<Pending> todo) {
        long sequence = headSequence;
        byte[] prev = headHash;
        for (Pending pending : todo) {
            sequence++;
            pending.sequence = sequence;
            pending.timestampMs = System.currentTimeMillis();
            pending.hash = RecordChain.hash(sequence, pending.timestampMs, pending.type, prev, pending.payload);
            awaitingApply.put(HexFormat.of().formatHex(pending.hash), pending);
            prev = pending.hash;
        }
    }

    private List<Object> runScript(List<Pending> todo) {
        List<byte[]> args = new ArrayList<>(4 + 10 * todo.size());
        args.add(RedisKeys.bytes(keys.prefix()));
        args.add(RedisKeys.bytes(Long.toString(headSequence)));
        args.add(headSequence == 0 ? new byte[0] : headHash);
        args.add(RedisKeys.bytes(Integer.toString(todo.size())));
        for (Pending pending : todo) {
            args.add(RedisKeys.bytes(Integer.toString(pending.type)));
            args.add(RedisKeys.bytes(Long.toString(pending.timestampMs)));
            args.add(pending.payload);
            args.add(pending.hash);
            if (pending.frame != null) {
                // The counter window in Redis is per device and certificate epoch: a new enrolment starts afresh.
                String epoch = state.devices().epoch(pending.frame.deviceId());
                args.add(RedisKeys.bytes(String.format("%016x", pending.frame.deviceId())
                        + (epoch.isEmpty() ? "" : ":" + epoch)));
                args.add(RedisKeys.bytes(String.format("%016x", pending.frame.counter())));
                args.add(pending.frame.digest());
                args.add(RedisKeys.bytes(pending.eventId().toString()));
            } else {
                args.add(new byte[0]);
                args.add(new byte[0]);
                args.add(new byte[0]);
                args.add(new byte[0]);
            }
            args.add(RedisKeys.bytes(pending.work));
            args.add(RedisKeys.bytes(pending.once));
        }
        byte[][] keyArray = {keys.events(), keys.head()};
        byte[][] argArray = args.toArray(new byte[0][]);
        RedisCommands<byte[], byte[]> redis = writeConnection.sync();
        try {
            return redis.evalsha(scriptSha, ScriptOutputType.MULTI, keyArray, argArray);
        } catch (RedisNoScriptException e) { // Redis restarted without its script cache
            redis.scriptLoad(SCRIPT);
            return redis.evalsha(scriptSha, ScriptOutputType.MULTI, keyArray, argArray);
        }
    }

    /** Answers the frames that are not fresh (nothing was written); returns the fresh ones to retry. */
    private List<Pending> sortOut(List<Pending> todo, List<Object> reply) {
        List<Pending> fresh = new ArrayList<>();
        List<Pending> duplicates = new ArrayList<>();
        List<UUID> originals = new ArrayList<>();
        for (int i = 0; i < todo.size(); i++) {
            Pending pending = todo.get(i);
            String verdict = RedisKeys.text((byte[]) reply.get(i + 1));
            if (verdict.equals("fresh")) {
                fresh.add(pending);
            } else if (verdict.equals("already")) {
                pending.reconciled.complete(Reconciliation.alreadyThere(null));
            } else if (verdict.equals("replay")) {
                if (pending.reconciling()) {
                    pending.reconciled.complete(Reconciliation.replayed());
                } else {
                    pending.outcome.complete(new IntakeOutcome.Refused(NackReason.REPLAYED_COUNTER));
                }
            } else if (pending.reconciling()) {
                pending.reconciled.complete(Reconciliation.alreadyThere(UUID.fromString(verdict)));
            } else {
                duplicates.add(pending);
                originals.add(UUID.fromString(verdict));
            }
        }
        // The original may have been appended by a node still waiting for its replicas: wait as it does.
        if (!duplicates.isEmpty() && replicated(duplicates)) {
            for (int i = 0; i < duplicates.size(); i++) {
                duplicates.get(i).outcome.complete(new IntakeOutcome.Accepted(originals.get(i), true));
            }
        }
        return fresh;
    }

    /** With replica durability: WAIT; fewer confirmations than configured fail the records ("retry"). */
    private boolean replicated(List<Pending> records) {
        RedisStoreOptions.Durability durability = options.durability();
        if (durability.replicas() == 0) {
            return true;
        }
        long confirmed;
        try {
            confirmed = writeConnection.sync().waitForReplication(durability.replicas(), durability.waitTimeout().toMillis());
        } catch (RedisException e) {
            confirmed = -1;
        }
        if (confirmed >= durability.replicas()) {
            return true;
        }
        lastAppendFailed = true;
        unregister(records);
        failureLog.error("Redis store: only {} of {} replicas confirmed within {} ms; devices told to retry",
                confirmed, durability.replicas(), durability.waitTimeout().toMillis());
        fail(records, new StoreUnavailableException("not confirmed by " + durability.replicas() + " replicas"));
        return false;
    }

    private void unregister(List<Pending> todo) {
        for (Pending pending : todo) {
            if (pending.hash != null) {
                awaitingApply.remove(HexFormat.of().formatHex(pending.hash), pending);
            }
        }
    }

    private void fail(List<Pending> records, StoreUnavailableException cause) {
        appendFailures.increment(records.size());
        for (Pending pending : records) {
            pending.fail(cause);
        }
    }

    // --------------------------------------------------------------------------------------------- reader

    private void runReader() {
        RedisCommands<byte[], byte[]> redis = readConnection.sync();
        while (!closed) {
            try {
                List<StreamMessage<byte[], byte[]>> entries = redis.xread(XReadArgs.Builder.block(readBlockMillis()).count(1000),
                        XReadArgs.StreamOffset.from(keys.events(), cursor.lastId()));
                for (StreamMessage<byte[], byte[]> entry : entries) {
                    apply(cursor.advance(entry));
                }
                readerFailing = false;
            } catch (RedisException e) {
                if (closed) {
                    return;
                }
                readerFailing = true;
                failureLog.warn("Redis store: following the log failed, retrying: {}", e.toString());
                pause();
            } catch (RedisLog.BadRecord e) {
                readerFailing = true; // not ready: this node cannot trust what follows
                failureLog.error("Redis store: the log is damaged at entry {} (sequence {}): {}; this node stops"
                        + " applying it", e.entryId(), e.sequence(), e.getMessage());
                pause();
            } catch (RuntimeException e) {
                readerFailing = true;
                failureLog.error("Redis store: applying the log failed", e);
                pause();
            }
        }
    }

    private void apply(nl.aware.core.log.LogRecord record) {
        Event event;
        try {
            event = codec.decode(record);
        } catch (EventFormatException e) {
            throw new IllegalStateException("record " + record.sequence() + " of the Redis log is not a valid event: "
                    + e.getMessage(), e);
        }
        Pending pending = awaitingApply.remove(HexFormat.of().formatHex(record.hash()));
        // A reconciled record was applied here when it was kept locally; so was a frame whose append Redis
        // took although its answer was lost (the node kept it locally under the same event id).
        if ((pending == null || !pending.reconciling()) && !appliedElsewhere.test(event)) {
            synchronized (state) { // degraded mode applies its local records too
                state.apply(record, event);
            }
        }
        appliedSequence = record.sequence();
        if (pending != null) {
            pending.applied.complete(record);
        }
    }

    /** A blocking read must return before the command timeout fails it. */
    private long readBlockMillis() {
        return Math.max(50, Math.min(500, options.timeout().toMillis() / 2));
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops taking appends, finishes those taken, stops following, disconnects. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        join(writer);
        join(reader);
        RedisClients.shutdown(client);
        log.info("Redis store closed at sequence {}", appliedSequence);
    }

    private static void join(Thread thread) {
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The URI without credentials, for log lines. */
    static String redacted(String uri) {
        return uri.replaceAll("//[^@/]*@", "//***@");
    }

    private static String loadScript() {
        try (InputStream in = RedisStore.class.getResourceAsStream("append.lua")) {
            if (in == null) {
                throw new IllegalStateException("append.lua missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read append.lua", e);
        }
    }
}
