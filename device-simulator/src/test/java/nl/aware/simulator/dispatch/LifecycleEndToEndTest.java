package nl.aware.simulator.dispatch;

import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.dispatch.police.CarrierDirectory;
import nl.aware.dispatch.police.MutualTls;
import nl.aware.gateway.testing.LogContents;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import nl.aware.simulator.controlroom.ArrivalListener;
import nl.aware.simulator.controlroom.SimulatedPolice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alert lifecycle as control rooms report it, through the authenticated callback, into the log. */
class LifecycleEndToEndTest {
    private static final long ALICE = 0x00000000000a11ceL;
    private static final long BOB = 0x0000000000000b0bL;

    @TempDir
    Path dir;
    private TestServer server;
    private SimulatedPolice police;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        if (police != null) {
            police.close();
        }
    }

    private void start(double lifecycleScale) throws Exception {
        server = TestServer.create(dir);
        police = SimulatedPolice.start(server.ca(), lifecycleScale, ArrivalListener.NONE);
        server.start(police.dispatchConfig(Duration.ofSeconds(15)), CarrierDirectory.none());
    }

    private List<Event> events() {
        return server.log().events();
    }

    private UUID press(long deviceId, IssuedCredential credential, long counter) throws Exception {
        try (TestDevice device = server.connect(deviceId, credential)) {
            device.send(device.panic(counter));
            return device.nextAck().eventId();
        }
    }

    @Test
    void lifecycleReports_areRecordedInOrder_andAfterClosedTheNextPressIsANewAlert() throws Exception {
        start(0.02); // the whole walk in about half a second
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        UUID first = press(ALICE, alice, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> events().stream().anyMatch(e ->
                e instanceof Event.AlertStatusReported r && r.alertId().equals(first) && r.status() == AlertStatus.CLOSED));
        List<AlertStatus> statuses = events().stream().filter(Event.AlertStatusReported.class::isInstance)
                .map(Event.AlertStatusReported.class::cast).filter(r -> r.alertId().equals(first))
                .map(Event.AlertStatusReported::status).toList();
        assertEquals(List.of(AlertStatus.ACKNOWLEDGED, AlertStatus.UNIT_DISPATCHED, AlertStatus.ON_SCENE, AlertStatus.CLOSED),
                statuses);
        assertTrue(events().stream().anyMatch(e -> e instanceof Event.AlertStatusReported r && r.alertId().equals(first)
                && r.reporter().equals(SimulatedPolice.controlRoomClient(Region.IJSSELLAND))));

        UUID second = press(ALICE, alice, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> police.room(Region.IJSSELLAND).alerts().containsKey(second.toString()));
        assertNotEquals(first, second);
        assertEquals(2, police.room(Region.IJSSELLAND).alertCount(), "a new incident after the first was closed");
    }

    @Test
    void statusFromTheOtherRegionsControlRoom_isForbiddenAndNotRecorded() throws Exception {
        start(0);
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        UUID alert = press(ALICE, alice, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> police.room(Region.IJSSELLAND).alerts().containsKey(alert.toString()));

        assertEquals(403, report(SimulatedPolice.controlRoomClient(Region.TWENTE), alert, "closed"));
        assertEquals(404, report(SimulatedPolice.controlRoomClient(Region.IJSSELLAND), UUID.randomUUID(), "closed"));
        assertEquals(400, report(SimulatedPolice.controlRoomClient(Region.IJSSELLAND), alert, "finished"));
        assertTrue(events().stream().noneMatch(Event.AlertStatusReported.class::isInstance));

        assertEquals(204, report(SimulatedPolice.controlRoomClient(Region.IJSSELLAND), alert, "closed"));
        assertEquals(204, report(SimulatedPolice.controlRoomClient(Region.IJSSELLAND), alert, "closed"), "repeat is harmless");
        assertEquals(409, report(SimulatedPolice.controlRoomClient(Region.IJSSELLAND), alert, "on_scene"));
        assertEquals(1, events().stream().filter(Event.AlertStatusReported.class::isInstance).count());
    }

    @Test
    void acknowledgedAfterOnScene_isRefusedWith409NamingTheCurrentState_andNotRecorded() throws Exception {
        start(0);
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        UUID alert = press(ALICE, alice, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> police.room(Region.IJSSELLAND).alerts().containsKey(alert.toString()));
        String room = SimulatedPolice.controlRoomClient(Region.IJSSELLAND);
        assertEquals(204, report(room, alert, "on_scene"));

        HttpResponse<String> refused = send(room, alert, "acknowledged");

        assertEquals(409, refused.statusCode());
        assertTrue(refused.body().contains("\"currentStatus\":\"on_scene\""), refused.body());
        assertEquals(1, events().stream().filter(Event.AlertStatusReported.class::isInstance).count());
    }

    @Test
    void deadEndpointInOneRegion_doesNotHoldUpTheOtherRegionsPanic() throws Exception {
        start(0);
        police.room(Region.IJSSELLAND).down();
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        IssuedCredential bob = server.enroll(BOB, Region.TWENTE);
        press(ALICE, alice, 1);
        UUID twente = press(BOB, bob, 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> police.room(Region.TWENTE).alerts().containsKey(twente.toString()));
        assertEquals(0, police.room(Region.IJSSELLAND).alertCount());
    }

    /** A control room's status report, sent with that control room's client certificate. */
    private int report(String controlRoom, UUID alertId, String status) throws Exception {
        return send(controlRoom, alertId, status).statusCode();
    }

    private HttpResponse<String> send(String controlRoom, UUID alertId, String status) throws Exception {
        IssuedCredential client = server.ca().issueClient(controlRoom, Duration.ofDays(1));
        HttpClient http = HttpClient.newBuilder()
                .sslContext(MutualTls.context(client.privateKey(), new X509Certificate[] {client.certificate()},
                        server.ca().certificate()))
                .sslParameters(MutualTls.tls13Only()).build();
        URI uri = URI.create("https://127.0.0.1:" + server.server().callbackAddress().getPort()
                + "/police/v1/alerts/" + alertId + "/status");
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"" + status + "\",\"incidentRef\":\"X-1\"}"))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
