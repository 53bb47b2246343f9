package nl.aware.redis;

import nl.aware.dispatch.Dispatcher;
import nl.aware.dispatch.WorkFeed;
import nl.aware.dispatch.work.DispatchItem;
import nl.aware.dispatch.work.DispatchProjection;
import nl.aware.dispatch.work.Priority;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * A dispatch worker's work on a Redis deployment (docs/redis.md): its share of the shared work streams
 * ({@link RedisWorkQueue}), and, on a node with a local fallback log ({@link FailoverStore}), the
 * degraded routing: what this node keeps in its local log it sends itself, and when Redis goes away
 * it also sends the PANIC work owed in the shared log that no worker here holds.
 */
final class RedisWorkFeed implements WorkFeed {
    private static final Logger log = LoggerFactory.getLogger(RedisWorkFeed.class);

    private final RedisWorkQueue queue;
    private final DispatchProjection projection;
    private final FailoverStore failover; // null: no local fallback log

    RedisWorkFeed(RedisWorkQueue queue, DispatchProjection projection, FailoverStore failover) {
        this.queue = queue;
        this.projection = projection;
        this.failover = failover;
    }

    @Override
    public void start(Dispatcher dispatcher) {
        if (failover != null) {
            routeDegradedWork(dispatcher);
        }
        queue.start(dispatcher::submit);
    }

    private void routeDegradedWork(Dispatcher dispatcher) {
        // Work kept in this node's local log (negative sequences) is dispatched by this node.
        projection.owed(item -> item.sequence() < 0).forEach(dispatcher::submit);
        failover.onLocalWork(sequence -> projection.owedAt(sequence).ifPresent(dispatcher::submit));
        // PANIC work already in Redis that no worker here holds cannot be read while Redis is away: send it
        // from here (a worker elsewhere may send it too: the same id and body, which the police take as a replay).
        failover.onDegraded(() -> {
            List<DispatchItem> panics = projection.owed(item -> item.sequence() > 0
                    && item.priority() == Priority.PANIC && !queue.holds(item.itemId()));
            if (!panics.isEmpty()) {
                log.warn("degraded: this node sends the {} PANIC items owed in the shared log itself", panics.size());
                panics.forEach(dispatcher::submit);
            }
        });
    }

    @Override
    public void close() {
        queue.close();
    }
}
