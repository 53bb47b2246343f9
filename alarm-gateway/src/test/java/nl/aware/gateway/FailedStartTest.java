package nl.aware.gateway;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.dispatch.DispatchConfig;
import nl.aware.dispatch.police.CarrierDirectory;
import nl.aware.gateway.netty.GatewayConfig;
import nl.aware.gateway.testing.DispatchFixture;
import nl.aware.gateway.testing.TestServer;
import nl.aware.monitoring.supervision.SupervisionSettings;
import nl.aware.records.checkpoint.CheckpointPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A start that fails at its last step (the device port is taken) stops everything it had started, from
 * the same stack a normal stop uses, and leaves the log closed and unlocked for the next start.
 */
class FailedStartTest {
    /** Threads the components before the gateway run: dispatch, supervision, record keeping, the log. */
    private static final List<String> COMPONENT_THREADS = List.of("aware-dispatch-", "aware-device-supervisor",
            "aware-checkpoints", "aware-retention", "aware-eventlog-writer");

    @TempDir
    Path dir;

    @Test
    void failedStart_stopsEveryComponentItStarted_andReleasesTheLog() throws Exception {
        TestServer deployment = TestServer.create(dir);
        DispatchConfig dispatch = new DispatchFixture().load(dir.resolve("dispatch"), deployment.ca());
        try (TestServer first = deployment.start(dispatch, CarrierDirectory.none())) {
            first.enroll(0x0000000000000a01L); // something to replay
        }
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServerSetup setup = new ServerSetup(deployment.data(), deployment.keys(),
                    GatewayConfig.defaults().withPort("127.0.0.1", taken.getLocalPort()), dispatch,
                    CarrierDirectory.none(), SupervisionSettings.DEFAULTS, CheckpointPolicy.DEFAULTS, null, null, null);
            assertThrows(IOException.class, () -> AwareServer.start(setup, new SimpleMeterRegistry(), Clock.systemUTC()));
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> componentThreadsStartedSince(before).isEmpty());
        try (EventLog log = EventLog.open(EventLogOptions.defaults(deployment.data().log()), new SimpleMeterRegistry(),
                record -> { })) {
            assertTrue(log.lastSequence() >= 1, "the log opens again, with what the first run wrote");
        }
    }

    @Test
    void failedStart_isFollowedByAStartThatWorks() throws Exception {
        TestServer deployment = TestServer.create(dir);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServerSetup setup = ServerSetup.gatewayOnly(deployment.data(), deployment.keys(),
                    GatewayConfig.defaults().withPort("127.0.0.1", taken.getLocalPort()));
            assertThrows(IOException.class, () -> AwareServer.start(setup, new SimpleMeterRegistry(), Clock.systemUTC()));
        }
        try (TestServer again = deployment.start()) {
            again.enroll(0x0000000000000a02L);
            assertEquals(1, again.server().state().devices().size());
        }
    }

    private static List<String> componentThreadsStartedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive())
                .map(Thread::getName)
                .filter(name -> COMPONENT_THREADS.stream().anyMatch(name::startsWith))
                .toList();
    }
}
