package nl.aware.simulator.dispatch;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.dispatch.Receivers;
import nl.aware.dispatch.police.CarrierDirectory;
import nl.aware.dispatch.work.DispatchProjection;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import nl.aware.monitoring.health.HealthCheck;
import nl.aware.simulator.controlroom.ArrivalListener;
import nl.aware.simulator.controlroom.SimulatedPolice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Receivers per region on a real server with real devices: external, console or both. */
class ReceiversEndToEndTest {
    private static final long BOB = 0x0000000000000b0bL;

    @TempDir
    Path dir;
    private TestServer server;
    private SimulatedPolice police;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        if (police != null) {
            police.close();
        }
    }

    private void start(Receivers twente) throws Exception {
        server = TestServer.create(dir).meters(meters);
        police = SimulatedPolice.start(server.ca(), 0, ArrivalListener.NONE);
        server.start(police.dispatchConfig(Duration.ofSeconds(15), Map.of(Region.TWENTE, twente)), CarrierDirectory.none());
    }

    private UUID press(long deviceId, IssuedCredential credential) throws Exception {
        try (TestDevice device = server.connect(deviceId, credential)) {
            device.send(device.panic(1));
            return device.nextAck().eventId();
        }
    }

    @Test
    void consoleOnlyRegionWithNobodySignedIn_escalatesEveryPanicToKaderaAtOnce() throws Exception {
        start(Receivers.CONSOLE);
        IssuedCredential bob = server.enroll(BOB, Region.TWENTE);

        long pressed = System.nanoTime();
        UUID alert = press(BOB, bob);

        assertTrue(police.kadera().awaitEscalations(1, Duration.ofSeconds(10)), "escalated");
        long seconds = Duration.ofNanos(System.nanoTime() - pressed).toSeconds();
        assertTrue(seconds < 15, "escalated at once, not after the 15 s wait (took " + seconds + " s)");
        assertTrue(police.kadera().escalations().get(alert.toString()).body().path("reason").asText()
                .contains("no operator is signed in"));
    }

    @Test
    void consoleOnlyRegion_sendsNothingToThePoliceApi_andSettlesItsWorkOnTheConsole() throws Exception {
        start(Receivers.CONSOLE);
        IssuedCredential bob = server.enroll(BOB, Region.TWENTE);

        UUID alert = press(BOB, bob);

        await().atMost(Duration.ofSeconds(10)).until(() -> server.log().events().stream().anyMatch(e ->
                e instanceof Event.Delivered d && d.itemId().equals(alert)
                        && d.target().equals(DispatchProjection.consoleTarget(Region.TWENTE))));
        assertEquals(0, police.room(Region.TWENTE).alertCount());
        assertEquals(0, server.server().owedDispatchWork());
    }

    @Test
    void consoleOnlyRegionWithNobodySignedIn_failsReadiness_andTheGaugeSaysZero() throws Exception {
        start(Receivers.CONSOLE);

        HealthCheck console = server.server().healthChecks().stream()
                .filter(check -> check.name().equals("console-twente")).findFirst().orElseThrow();

        assertFalse(console.check().up());
        assertTrue(server.server().healthChecks().stream().noneMatch(check -> check.name().equals("police-twente")),
                "a console-only region has no police endpoint to be reachable");
        assertEquals(0.0, meters.get("aware.console.operators").tag("region", "twente").gauge().value());
        assertEquals(1.0, meters.get("aware.dispatch.receivers").tag("region", "twente").tag("receivers", "console")
                .gauge().value());
    }

    @Test
    void bothReceivers_sendToThePoliceApi_andWaitTheUsualTimeBeforeEscalating() throws Exception {
        start(Receivers.BOTH);
        IssuedCredential bob = server.enroll(BOB, Region.TWENTE);

        UUID alert = press(BOB, bob);

        await().atMost(Duration.ofSeconds(10)).until(() -> police.room(Region.TWENTE).alerts().containsKey(alert.toString()));
        assertTrue(server.server().healthChecks().stream().noneMatch(check -> check.name().equals("console-twente")),
                "with an external system too, an empty console is not a health failure");
        assertFalse(police.kadera().awaitEscalations(1, Duration.ofSeconds(2)));
    }
}
