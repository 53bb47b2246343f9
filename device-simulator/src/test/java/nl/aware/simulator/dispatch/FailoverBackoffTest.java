package nl.aware.simulator.dispatch;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.dispatch.police.CarrierDirectory;
import nl.aware.dispatch.police.PoliceProfile;
import nl.aware.gateway.testing.DispatchFixture;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import nl.aware.simulator.controlroom.ArrivalListener;
import nl.aware.simulator.controlroom.SimulatedControlRoom;
import nl.aware.simulator.controlroom.SimulatedPolice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A region with two endpoints that both fail: failover once at once, then the back-off, whichever endpoint
 * is next; attempts follow the endpoint that answered last; repeated failures are summarised in the log.
 * Real server, real devices over TLS, real HTTPS control rooms (the IJsselland room is the primary, the
 * Twente room stands in as IJsselland's secondary).
 */
class FailoverBackoffTest {
    private static final long ALICE = 0x00000000000a11ceL;
    private static final CarrierDirectory CARRIERS = deviceId -> Optional.of(new PoliceProfile("Test Carrier",
            "photo-ref-1", "threats", "tall", "none"));

    @TempDir
    Path dir;
    private TestServer server;
    private SimulatedPolice police;
    private SimulatedControlRoom primary;
    private SimulatedControlRoom secondary;
    private long primaryAtStart;
    private long secondaryAtStart;
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger dispatchLog = (Logger) LoggerFactory.getLogger("nl.aware.dispatch.RegionDispatcher");

    @AfterEach
    void tearDown() {
        dispatchLog.detachAppender(lines);
        if (server != null) {
            server.close();
        }
        if (police != null) {
            police.close();
        }
    }

    private void start() throws Exception {
        server = TestServer.create(dir);
        police = SimulatedPolice.start(server.ca(), 0, ArrivalListener.NONE);
        primary = police.room(Region.IJSSELLAND);
        secondary = police.room(Region.TWENTE);
        var config = new DispatchFixture()
                .police(Region.IJSSELLAND, primary.baseUrl().toString(), secondary.baseUrl().toString())
                .kadera(police.kadera().baseUrl().toString())
                .escalateAfter(Duration.ofMinutes(5))
                .load(dir.resolve("dispatch"), server.ca());
        server.start(config, CARRIERS);
        // Dispatch opens and checks its connections at start (HEAD, two posters per endpoint): count after them.
        await().atMost(Duration.ofSeconds(10)).until(() -> primary.requests() >= 2 && secondary.requests() >= 2);
        primaryAtStart = primary.requests();
        secondaryAtStart = secondary.requests();
        lines.start();
        dispatchLog.addAppender(lines);
    }

    /** Requests since the start-up checks. */
    private long attempts() {
        return primary.requests() - primaryAtStart + secondary.requests() - secondaryAtStart;
    }

    private UUID press(long deviceId) throws Exception {
        IssuedCredential credential = server.enroll(deviceId, Region.IJSSELLAND);
        try (TestDevice device = server.connect(deviceId, credential)) {
            device.send(device.panic(1));
            return device.nextAck().eventId();
        }
    }

    private boolean delivered(UUID itemId) {
        return server.log().events().stream().anyMatch(e -> e instanceof Event.Delivered d && d.itemId().equals(itemId));
    }

    @Test
    void bothEndpointsFailing_retriesWithBackoffAcrossEndpoints_notAStorm() throws Exception {
        start();
        primary.failureShare(1.0);
        secondary.failureShare(1.0);
        UUID alert = press(ALICE);
        Thread.sleep(4_000);
        long attempts = attempts();
        // 200 ms doubling to 5 s: about 7 attempts in 4 s. Without back-off across endpoints it was thousands.
        assertTrue(attempts >= 2 && attempts <= 12, "attempts in 4 s: " + attempts);
        assertTrue(secondary.requests() > secondaryAtStart, "the first failure fails over to the secondary");

        primary.failureShare(0.0);
        secondary.failureShare(0.0);
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(alert));
        assertEquals(1, primary.alertCount() + secondary.alertCount());
        assertEquals(0, police.duplicates());
    }

    @Test
    void repeatedFailuresOfOneOutage_areSummarisedNotLoggedPerAttempt() throws Exception {
        start();
        primary.failureShare(1.0);
        secondary.failureShare(1.0);
        UUID alert = press(ALICE);
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts() >= 5);
        long failureLines = lines.list.stream().filter(e -> e.getFormattedMessage().contains(alert.toString())
                && e.getFormattedMessage().contains("not delivered")).count();
        long attempts = attempts();
        assertTrue(failureLines <= 2, failureLines + " failure lines for " + attempts + " attempts");
    }

    @Test
    void afterFailover_laterAlertsGoStraightToTheEndpointThatAnswered() throws Exception {
        start();
        primary.failureShare(1.0);
        UUID first = press(ALICE);
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered(first));
        assertEquals(1, primary.requests() - primaryAtStart, "one failed attempt at the primary");
        UUID second = press(0x0000000000000b0bL);
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered(second));
        assertEquals(1, primary.requests() - primaryAtStart, "the next alert follows the secondary, which answered last");
        assertEquals(2, secondary.alertCount());
    }
}
