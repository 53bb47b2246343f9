package nl.aware.redis;

import nl.aware.dispatch.work.DispatchItem;
import nl.aware.dispatch.work.DispatchProjection;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.models.stream.ClaimedMessages;
import nl.aware.core.event.Event;
import nl.aware.core.log.LogRecord;
import nl.aware.core.logging.RateLimitedLog;
import nl.aware.core.state.Projection;
import nl.aware.redis.RedisClients;
import nl.aware.redis.RedisKeys;
import nl.aware.redis.RedisStoreOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * A dispatch worker's share of the work of a Redis deployment (docs/redis.md). The append script adds
 * one entry per piece of work to a stream per priority; all workers read them in one consumer group,
 * so each entry goes to one worker. PANIC is read first, without blocking, before anything else.
 *
 * <p>An entry stays pending until the log says its work is done (a {@code Delivered} or
 * {@code WorkShed} record, whoever wrote it): then it is acknowledged. A worker renews what it holds;
 * entries of a worker that stopped renewing (killed) are claimed by another after
 * {@link RedisStoreOptions#claimAfter()} and sent again with the same ids and bodies, which the police
 * take as a replay of the same alert.
 *
 * <p>Registered as a projection after {@link DispatchProjection}: it learns of finished work from the
 * same log every node applies.
 */
public final class RedisWorkQueue implements Projection, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisWorkQueue.class);
    static final String GROUP = "dispatch";
    /** Most urgent first. */
    static final String[] STREAMS = {RedisKeys.PANIC, RedisKeys.UPDATE, RedisKeys.TEST, RedisKeys.NOTICE};
    private static final int COUNT = 32;
    private static final long APPLY_WAIT_MS = 10_000;

    private final RedisStoreOptions options;
    private final RedisKeys keys;
    private final DispatchProjection projection;
    private final LongSupplier appliedSequence;
    private final String consumerName = "worker-" + UUID.randomUUID();
    private final Map<UUID, Held> held = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Held> done = new ConcurrentLinkedQueue<>();
    private final RateLimitedLog failureLog = new RateLimitedLog(log, 1000);
    private RedisClient client;
    private StatefulRedisConnection<byte[], byte[]> connection;
    private Thread thread;
    private volatile boolean running = true;
    private long lastClaim;

    /** A work entry this worker holds, and where it came from. */
    private record Held(String stream, String entryId) {
    }

    public RedisWorkQueue(RedisStoreOptions options, DispatchProjection projection, LongSupplier appliedSequence) {
        this.options = options;
        this.keys = new RedisKeys(options.prefix());
        this.projection = projection;
        this.appliedSequence = appliedSequence;
    }

    /** Joins the consumer group and starts handing work to {@code sink}. */
    public void start(java.util.function.Consumer<DispatchItem> sink) {
        client = RedisClients.create(options);
        connection = client.connect(ByteArrayCodec.INSTANCE);
        for (String stream : STREAMS) {
            try {
                connection.sync().xgroupCreate(XReadArgs.StreamOffset.from(keys.work(stream), "0-0"), bytes(GROUP),
                        XGroupCreateArgs.Builder.mkstream());
            } catch (RedisBusyException exists) {
                // the group is there already: another worker created it
            }
        }
        thread = new Thread(() -> run(sink), "aware-dispatch-work");
        thread.setDaemon(true);
        thread.start();
        log.info("dispatch worker {} joined consumer group '{}'", consumerName, GROUP);
    }

    private void run(java.util.function.Consumer<DispatchItem> sink) {
        RedisCommands<byte[], byte[]> redis = connection.sync();
        Consumer<byte[]> me = Consumer.from(bytes(GROUP), bytes(consumerName));
        while (running) {
            try {
                acknowledgeDone(redis);
                if (System.currentTimeMillis() - lastClaim >= options.claimAfter().toMillis() / 3) {
                    renewHeld(redis, me);
                    claimAbandoned(redis, me, sink);
                    lastClaim = System.currentTimeMillis();
                }
                List<StreamMessage<byte[], byte[]>> panics = redis.xreadgroup(me, XReadArgs.Builder.count(COUNT),
                        XReadArgs.StreamOffset.lastConsumed(keys.work(RedisKeys.PANIC)));
                if (!panics.isEmpty()) {
                    handle(redis, RedisKeys.PANIC, panics, sink);
                    continue; // PANIC first: look again before anything else
                }
                XReadArgs.StreamOffset<byte[]>[] offsets = offsets();
                List<StreamMessage<byte[], byte[]>> any = redis.xreadgroup(me,
                        XReadArgs.Builder.count(COUNT).block(200), offsets);
                for (String stream : STREAMS) {
                    List<StreamMessage<byte[], byte[]>> ofStream = new ArrayList<>();
                    for (StreamMessage<byte[], byte[]> entry : any) {
                        if (java.util.Arrays.equals(entry.getStream(), keys.work(stream))) {
                            ofStream.add(entry);
                        }
                    }
                    handle(redis, stream, ofStream, sink);
                }
            } catch (RedisException e) {
                if (!running) {
                    return;
                }
                failureLog.warn("dispatch worker: reading work from Redis failed, retrying: {}", e.toString());
                sleep(200);
            } catch (RuntimeException e) {
                failureLog.error("dispatch worker: handling work failed; it stays pending and is retried", e);
                sleep(200);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private XReadArgs.StreamOffset<byte[]>[] offsets() {
        XReadArgs.StreamOffset<byte[]>[] offsets = new XReadArgs.StreamOffset[STREAMS.length];
        for (int i = 0; i < STREAMS.length; i++) {
            offsets[i] = XReadArgs.StreamOffset.lastConsumed(keys.work(STREAMS[i]));
        }
        return offsets;
    }

    /** Hands each entry's work to the sink once this node has applied its record; acknowledges what is owed no more. */
    private void handle(RedisCommands<byte[], byte[]> redis, String stream, List<StreamMessage<byte[], byte[]>> entries,
                        java.util.function.Consumer<DispatchItem> sink) {
        for (StreamMessage<byte[], byte[]> entry : entries) {
            long sequence = field(entry, "seq").map(Long::parseLong).orElse(-1L);
            Optional<DispatchItem> item = sequence < 0 ? Optional.empty() : owedOnceApplied(sequence);
            Optional<UUID> itemId = field(entry, "item").filter(id -> !id.isEmpty()).map(UUID::fromString);
            if (item.isEmpty() && itemId.isPresent() && projection.owes(itemId.get())) {
                // Kept in this node's local log while Redis was away and being dispatched from there: hold the
                // entry until its delivery is recorded (if this node dies, another worker claims it).
                held.put(itemId.get(), new Held(stream, entry.getId()));
                continue;
            }
            if (item.isEmpty()) {
                redis.xack(keys.work(stream), bytes(GROUP), entry.getId()); // delivered, shed, or no work after all
                continue;
            }
            held.put(item.get().itemId(), new Held(stream, entry.getId()));
            sink.accept(item.get());
        }
    }

    private Optional<DispatchItem> owedOnceApplied(long sequence) {
        long deadline = System.currentTimeMillis() + APPLY_WAIT_MS;
        while (appliedSequence.getAsLong() < sequence) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("record " + sequence + " not applied on this node within "
                        + APPLY_WAIT_MS + " ms");
            }
            sleep(2);
        }
        return projection.owedAt(sequence);
    }

    /** Keeps what this worker holds from looking abandoned (resets its idle time). */
    private void renewHeld(RedisCommands<byte[], byte[]> redis, Consumer<byte[]> me) {
        for (String stream : STREAMS) {
            List<String> ids = new ArrayList<>();
            for (Held h : held.values()) {
                if (h.stream().equals(stream)) {
                    ids.add(h.entryId());
                }
            }
            if (!ids.isEmpty()) {
                redis.xclaim(keys.work(stream), me, XClaimArgs.Builder.justid().minIdleTime(0), ids.toArray(new String[0]));
            }
        }
    }

    /** Takes over entries another worker has not renewed for {@code claimAfter} (it died), PANIC first. */
    private void claimAbandoned(RedisCommands<byte[], byte[]> redis, Consumer<byte[]> me,
                                java.util.function.Consumer<DispatchItem> sink) {
        for (String stream : STREAMS) {
            ClaimedMessages<byte[], byte[]> claimed = redis.xautoclaim(keys.work(stream),
                    XAutoClaimArgs.Builder.xautoclaim(me, options.claimAfter(), "0-0").count(COUNT));
            List<StreamMessage<byte[], byte[]>> messages = claimed.getMessages();
            List<StreamMessage<byte[], byte[]>> live = new ArrayList<>();
            for (StreamMessage<byte[], byte[]> message : messages) {
                if (held.values().stream().noneMatch(h -> h.entryId().equals(message.getId()))) {
                    live.add(message);
                }
            }
            if (!live.isEmpty()) {
                log.warn("dispatch worker {} took over {} {} work entries of a worker that stopped", consumerName,
                        live.size(), stream);
                handle(redis, stream, live, sink);
            }
        }
    }

    private void acknowledgeDone(RedisCommands<byte[], byte[]> redis) {
        Held h;
        while ((h = done.poll()) != null) {
            try {
                redis.xack(keys.work(h.stream()), bytes(GROUP), h.entryId());
            } catch (RedisException e) {
                done.add(h); // Redis away: acknowledge once it is back
                throw e;
            }
        }
    }

    /** The log says the work is done: acknowledge its entry (on the worker's thread, never the store's). */
    @Override
    public void apply(LogRecord record, Event event) {
        UUID itemId = event instanceof Event.Delivered delivered ? delivered.itemId()
                : event instanceof Event.WorkShed shed ? shed.itemId() : null;
        if (itemId != null) {
            Held h = held.remove(itemId);
            if (h != null) {
                done.add(h);
            }
        }
    }

    /** Whether this worker holds (is dispatching) the work entry of this item. */
    public boolean holds(UUID itemId) {
        return held.containsKey(itemId);
    }

    /** Work entries this worker holds now (for tests and health). */
    public int heldCount() {
        return held.size();
    }

    private static Optional<String> field(StreamMessage<byte[], byte[]> entry, String name) {
        if (entry.getBody() == null) {
            return Optional.empty(); // deleted from the stream
        }
        for (Map.Entry<byte[], byte[]> field : entry.getBody().entrySet()) {
            if (name.equals(new String(field.getKey(), StandardCharsets.UTF_8))) {
                return Optional.of(new String(field.getValue(), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (client != null) {
            RedisClients.shutdown(client);
        }
    }
}
