package nl.aware.gateway.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.event.EventCodec;
import nl.aware.core.state.ServerState;
import nl.aware.core.store.EventStore;
import nl.aware.gateway.DataDirectory;
import nl.aware.gateway.StoreFactory;
import picocli.CommandLine.Mixin;

import java.io.IOException;

/**
 * The options of the commands that write events, and the one way they open the log: the deployment's data
 * directory and data keys, and where the log is (DATA_DIR/log with the server stopped, or the shared
 * one in Redis while the nodes run).
 */
final class WritableLog {
    @Mixin
    Deployment deployment;

    @Mixin
    RedisOption redis;

    DataDirectory data() {
        return deployment.data();
    }

    EventCodec codec() throws IOException {
        return new EventCodec(deployment.keys());
    }

    /** Opens the log for writing, through the server's own store factory; {@code state} is what the log says now. */
    EventStore open(EventCodec codec, ServerState state) throws IOException {
        return StoreFactory.open(data(), redis.options(), codec, state, null, new SimpleMeterRegistry()).store();
    }
}
