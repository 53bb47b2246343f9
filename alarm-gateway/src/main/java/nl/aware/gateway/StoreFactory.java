package nl.aware.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.log.LogRecord;
import nl.aware.core.state.ServerState;
import nl.aware.core.store.EmbeddedStore;
import nl.aware.core.store.EventStore;
import nl.aware.dispatch.WorkFeed;
import nl.aware.dispatch.work.DispatchProjection;
import nl.aware.redis.RedisNode;
import nl.aware.redis.RedisStoreOptions;

import java.io.IOException;

/**
 * The one place that opens the configured event store and replays it into the state: the embedded log
 * in the data directory, or this node's part of a Redis deployment (the shared log, with a local
 * fallback log when configured). Where dispatch work comes from follows from the store, so it is
 * decided here too, and the server never asks which kind of store it has.
 */
public final class StoreFactory {
    private StoreFactory() {
    }

    /**
     * An open store.
     *
     * @param dispatchWork where a dispatcher's work comes from; null when opened without dispatch
     * @param embeddedLog  the embedded log; null on Redis
     */
    public record Opened(EventStore store, WorkFeed dispatchWork, EventLog embeddedLog) {
    }

    /**
     * Opens the store and replays it into {@code state}; register every projection before.
     *
     * @param redis    the shared Redis log of a multi-node deployment; null: the embedded log in {@code data}
     * @param dispatch the dispatch projection registered in {@code state}; null when this process does not dispatch
     */
    public static Opened open(DataDirectory data, RedisStoreOptions redis, EventCodec codec, ServerState state,
                              DispatchProjection dispatch, MeterRegistry registry) throws IOException {
        if (redis != null) {
            RedisNode node = RedisNode.open(redis, codec, state, dispatch, registry);
            return new Opened(node.store(), node.dispatchWork(), null);
        }
        EventLog log = openLog(data, codec, registry, state);
        return new Opened(new EmbeddedStore(log, codec, state), dispatch == null ? null
                : WorkFeed.followingTheLog(dispatch), log);
    }

    /**
     * Opens the embedded log and replays it into {@code state}, decoding on this thread while {@link ReplayApplier}
     * applies in log order; returns once every record is applied, before anything can append. A record that is
     * not a valid event stops the open.
     */
    public static EventLog openLog(DataDirectory data, EventCodec codec, MeterRegistry registry, ServerState state)
            throws IOException {
        try (ReplayApplier applier = new ReplayApplier(state::apply)) {
            EventLog log = EventLog.open(EventLogOptions.defaults(data.log()), registry,
                    record -> applier.add(record, decode(codec, record)));
            try {
                applier.finish();
            } catch (RuntimeException | Error e) {
                log.close();
                throw e;
            }
            return log;
        } catch (UndecodableRecord e) {
            throw new IOException(e.getCause().getMessage() + " in " + data.log(), e.getCause());
        }
    }

    private static Event decode(EventCodec codec, LogRecord record) {
        try {
            return codec.decode(record);
        } catch (EventFormatException e) {
            throw new UndecodableRecord(e);
        }
    }

    private static final class UndecodableRecord extends RuntimeException {
        UndecodableRecord(EventFormatException cause) {
            super(cause);
        }
    }
}
