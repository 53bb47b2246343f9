package nl.aware.gateway;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.event.EventCodec;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.state.ServerState;
import nl.aware.dispatch.police.CarrierDirectory;
import nl.aware.dispatch.work.DispatchProjection;
import nl.aware.gateway.testing.DispatchFixture;
import nl.aware.gateway.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The order a server stops in, and the one factory that opens its store. */
class StartOrderTest {
    @TempDir
    Path dir;

    @Test
    void runningServer_stopsDevicesFirstAndTheLogLast() throws Exception {
        TestServer deployment = TestServer.create(dir);
        try (TestServer server = deployment.start(new DispatchFixture().load(dir.resolve("dispatch"), deployment.ca()),
                CarrierDirectory.none())) {
            assertEquals(List.of("device gateway", "device supervision", "control-room callback", "dispatch",
                    "record keeping", "event store"), server.server().closingOrder());
        }
    }

    @Test
    void storeFactory_withoutRedis_opensTheEmbeddedLog_andFollowsItForDispatchOnlyWhenAsked() throws Exception {
        TestServer deployment = TestServer.create(dir);
        EventCodec codec = new EventCodec(deployment.keys());
        ServerState state = new ServerState();
        StoreFactory.Opened withoutDispatch = StoreFactory.open(deployment.data(), null, codec, state, null,
                new SimpleMeterRegistry());
        try {
            assertNotNull(withoutDispatch.embeddedLog());
            assertNull(withoutDispatch.dispatchWork(), "no feed for a process that does not dispatch");
            assertThrows(nl.aware.core.log.LogLockedException.class, () -> EventLog.open(
                    EventLogOptions.defaults(deployment.data().log()), new SimpleMeterRegistry(), record -> { }),
                    "opened for writing: the lock is held");
        } finally {
            withoutDispatch.store().close();
        }
        ServerState again = new ServerState();
        DispatchProjection projection = new DispatchProjection(again.devices(), again.openAlarms());
        again.register(projection);
        StoreFactory.Opened withDispatch = StoreFactory.open(deployment.data(), null, codec, again, projection,
                new SimpleMeterRegistry());
        try {
            assertNotNull(withDispatch.dispatchWork());
        } finally {
            withDispatch.store().close();
        }
    }
}
