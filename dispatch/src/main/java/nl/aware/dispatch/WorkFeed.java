package nl.aware.dispatch;

import nl.aware.dispatch.work.DispatchProjection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a running {@link Dispatcher}'s work comes from. A single node follows its own log
 * ({@link #followingTheLog}); a node of a Redis deployment takes its share from the shared work
 * streams, and in degraded mode sends what it keeps locally (the redis-store module's feed).
 * Started by {@link Dispatcher#start} once its regions run, closed by {@link Dispatcher#close} before them.
 */
public interface WorkFeed extends AutoCloseable {

    /** Starts handing work to {@code dispatcher} ({@link Dispatcher#submit}). */
    void start(Dispatcher dispatcher);

    @Override
    void close();

    /**
     * The single node: the projection hands over everything durable but undelivered (PANIC first, then
     * log order, with the same ids as before a crash), then every new piece of work as it becomes durable.
     */
    static WorkFeed followingTheLog(DispatchProjection projection) {
        Logger log = LoggerFactory.getLogger(WorkFeed.class);
        return new WorkFeed() {
            @Override
            public void start(Dispatcher dispatcher) {
                projection.start(dispatcher::submit);
                log.info("dispatch started; {} items owed from before the start", projection.owedCount());
            }

            @Override
            public void close() {
                // the projection stays the log's; work it hands on after close waits for the next start
            }
        };
    }
}
