package nl.aware.redis;

import io.micrometer.core.instrument.MeterRegistry;
import nl.aware.core.event.EventCodec;
import nl.aware.core.state.ServerState;
import nl.aware.core.store.EventStore;
import nl.aware.dispatch.WorkFeed;
import nl.aware.dispatch.work.DispatchProjection;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This node's part of a Redis deployment (docs/redis.md), opened and replayed into the state: the shared
 * log, behind a {@link FailoverStore} when a local fallback log is configured, and, for a node that
 * dispatches, the feed of its dispatch work.
 *
 * @param dispatchWork null when the node does not dispatch
 */
public record RedisNode(EventStore store, WorkFeed dispatchWork) {

    /**
     * @param dispatch the dispatch projection already registered in {@code state}, or null for a node that
     *                 does not dispatch; the work queue registers after it, before the replay
     */
    public static RedisNode open(RedisStoreOptions options, EventCodec codec, ServerState state,
                                 DispatchProjection dispatch, MeterRegistry registry) throws IOException {
        AtomicReference<RedisStore> shared = new AtomicReference<>(); // the queue reads it only once started
        RedisWorkQueue queue = dispatch == null ? null
                : new RedisWorkQueue(options, dispatch, () -> shared.get().lastSequence());
        if (queue != null) {
            state.register(queue);
        }
        RedisStore redis = RedisStore.open(options, codec, state, registry);
        shared.set(redis);
        if (options.fallbackLog() == null) {
            return new RedisNode(redis, queue == null ? null : new RedisWorkFeed(queue, dispatch, null));
        }
        FailoverStore failover;
        try {
            failover = FailoverStore.open(redis, options.fallbackLog(), codec, state, registry);
        } catch (IOException | RuntimeException e) {
            redis.close();
            throw e;
        }
        return new RedisNode(failover, queue == null ? null : new RedisWorkFeed(queue, dispatch, failover));
    }
}
