package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.JsonNode;
import nl.aware.dispatch.police.Endpoint;
import nl.aware.dispatch.police.HttpsPoster;
import nl.aware.dispatch.police.MutualTls;
import nl.aware.dispatch.police.PoliceCourier;
import nl.aware.dispatch.police.PoliceMessages;
import nl.aware.dispatch.police.Receipt;
import nl.aware.dispatch.work.DispatchItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static nl.aware.simulator.controlroom.Fixtures.alertBody;
import static nl.aware.simulator.controlroom.Fixtures.panic;
import static nl.aware.simulator.controlroom.Fixtures.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulated control room over real sockets and real TLS 1.3 with client certificates. */
class SimulatedControlRoomTest {
    private static final long DEVICE = 0x00000000000a11ceL;

    private SimulatedControlRoom room;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        room = new SimulatedControlRoom(Fixtures.options("ijsselland"), Fixtures.SERVER, Fixtures.CA.certificate());
        room.start();
        client = Fixtures.client(Fixtures.DISPATCH);
    }

    @AfterEach
    void stop() {
        room.close();
    }

    /**
     * The JDK client may hand the next request to a pooled connection the stopped room has closed
     * before the client noticed ("header parser received no bytes"). What these tests check is the
     * room, not the JDK pool, so after a restart they send on a new client.
     */
    private void freshClient() throws Exception {
        client = Fixtures.client(Fixtures.DISPATCH);
    }

    private HttpResponse<String> sendAlert(DispatchItem item) throws Exception {
        return post(client, room.baseUrl(), "alerts", item.alertId().toString(), alertBody(item));
    }

    private static String incidentRef(HttpResponse<String> response) throws IOException {
        return PoliceMessages.json().readTree(response.body()).path("incidentRef").asText();
    }

    @Test
    void newAlert_isAnswered201WithAnIncidentRef() throws Exception {
        DispatchItem item = panic(UUID.randomUUID(), DEVICE, 1);

        HttpResponse<String> response = sendAlert(item);

        assertEquals(201, response.statusCode());
        assertEquals("IJS-1", incidentRef(response));
        assertEquals(1, room.alertCount());
        ReceivedAlert stored = room.alerts().get(item.alertId().toString());
        assertEquals("ijsselland", stored.region());
        assertEquals(52.51234, stored.body().path("location").path("latitude").asDouble(), 1e-9);
        assertEquals(0, room.duplicates());
    }

    @Test
    void repeatedKeyWithSameBody_isA200ReplayWithTheSameIncidentRef() throws Exception {
        DispatchItem item = panic(UUID.randomUUID(), DEVICE, 1);
        String first = incidentRef(sendAlert(item));

        HttpResponse<String> again = sendAlert(item);

        assertEquals(200, again.statusCode());
        assertEquals(first, incidentRef(again));
        assertEquals(1, room.replays());
        assertEquals(0, room.duplicates());
        assertEquals(1, room.alertCount());
    }

    @Test
    void samePressUnderAnotherAlertId_isCountedAsDuplicate() throws Exception {
        sendAlert(panic(UUID.randomUUID(), DEVICE, 7));

        HttpResponse<String> second = sendAlert(panic(UUID.randomUUID(), DEVICE, 7));

        assertEquals(201, second.statusCode()); // a naive control room opens a second incident: the harm we count
        assertEquals(1, room.duplicates());
        assertEquals(0, room.replays());
    }

    @Test
    void repeatedKeyWithAnotherBody_isCountedAsDuplicateAndKeepsTheFirstIncident() throws Exception {
        UUID alertId = UUID.randomUUID();
        String first = incidentRef(sendAlert(panic(alertId, DEVICE, 1)));

        HttpResponse<String> changed = sendAlert(panic(alertId, DEVICE, 2));

        assertEquals(200, changed.statusCode());
        assertEquals(first, incidentRef(changed));
        assertEquals(1, room.duplicates());
    }

    @Test
    void updateForUnknownAlert_is404() throws Exception {
        DispatchItem update = Fixtures.locationUpdate(UUID.randomUUID(), DEVICE, 2);

        HttpResponse<String> response = post(client, room.baseUrl(), "alerts/" + update.alertId() + "/updates",
                update.itemId().toString(), PoliceMessages.update(update));

        assertEquals(404, response.statusCode());
        assertTrue(PoliceMessages.json().readTree(response.body()).path("error").isTextual());
    }

    @Test
    void updateForKnownAlert_is201ThenA200Replay() throws Exception {
        UUID alertId = UUID.randomUUID();
        sendAlert(panic(alertId, DEVICE, 1));
        DispatchItem update = Fixtures.locationUpdate(alertId, DEVICE, 2);
        String path = "alerts/" + alertId + "/updates";

        HttpResponse<String> first = post(client, room.baseUrl(), path, update.itemId().toString(), PoliceMessages.update(update));
        HttpResponse<String> again = post(client, room.baseUrl(), path, update.itemId().toString(), PoliceMessages.update(update));

        assertEquals(201, first.statusCode());
        assertEquals(200, again.statusCode());
        assertEquals(1, room.updates(alertId.toString()).size());
        assertEquals("location", room.updates(alertId.toString()).get(0).path("kind").asText());
        assertEquals(1, room.replays());
        assertEquals(0, room.duplicates());
    }

    @Test
    void clientCertificateFromAnotherCa_failsTheHandshake() throws Exception {
        HttpClient stranger = Fixtures.client(Fixtures.STRANGER);

        DispatchItem item = panic(UUID.randomUUID(), DEVICE, 1);
        assertThrows(IOException.class,
                () -> post(stranger, room.baseUrl(), "alerts", item.alertId().toString(), alertBody(item)));

        await().atMost(Duration.ofSeconds(5)).until(() -> room.refusedHandshakes() >= 1);
        assertEquals(0, room.requests());
        assertEquals(0, room.alertCount());
    }

    @Test
    void failureShareOne_answers503AndStoresNothing() throws Exception {
        room.failureShare(1.0);

        HttpResponse<String> response = sendAlert(panic(UUID.randomUUID(), DEVICE, 1));

        assertEquals(503, response.statusCode());
        assertEquals(0, room.alertCount());
        assertEquals(1, room.injectedFailures());
    }

    @Test
    void down_refusesConnections_andUpServesAgainOnTheSamePort() throws Exception {
        int port = room.port();
        assertEquals(201, sendAlert(panic(UUID.randomUUID(), DEVICE, 1)).statusCode());

        room.down();
        assertThrows(IOException.class, () -> sendAlert(panic(UUID.randomUUID(), DEVICE, 2)));

        room.up();
        freshClient();
        assertEquals(port, room.port());
        assertEquals(201, sendAlert(panic(UUID.randomUUID(), DEVICE, 3)).statusCode());
        assertEquals(2, room.alertCount());
    }

    @Test
    void stopThenStart_listensOnTheSamePortAndKeepsWhatItReceived() throws Exception {
        int port = room.port();
        DispatchItem item = panic(UUID.randomUUID(), DEVICE, 1);
        sendAlert(item);

        room.stop();
        assertFalse(room.listening());
        room.start();
        freshClient();

        assertEquals(port, room.port());
        HttpResponse<String> again = sendAlert(item);
        assertEquals(200, again.statusCode());
        assertEquals(1, room.replays());
    }

    @Test
    void alertAnsweredTooLate_isRetriedAsAReplayNotADuplicate() throws Exception {
        room.responseDelay(Duration.ofMillis(800));
        HttpsPoster impatient = poster(Duration.ofMillis(300));
        Endpoint endpoint = new Endpoint("ijsselland/primary", room.baseUrl());
        DispatchItem item = panic(UUID.randomUUID(), DEVICE, 1);

        ExecutionException timedOut = assertThrows(ExecutionException.class, () -> impatient
                .post(endpoint, "alerts", item.alertId().toString(), alertBody(item)).get(5, TimeUnit.SECONDS));
        assertInstanceOf(nl.aware.dispatch.police.DeliveryException.class, timedOut.getCause());
        assertTrue(room.awaitAlerts(1, Duration.ofSeconds(2)));
        room.responseDelay(Duration.ZERO);

        Receipt receipt = impatient.post(endpoint, "alerts", item.alertId().toString(), alertBody(item))
                .get(5, TimeUnit.SECONDS);

        assertEquals("IJS-1", receipt.reference());
        assertEquals(1, room.replays());
        assertEquals(0, room.duplicates());
    }

    @Test
    void policeCourier_getsTheIncidentRefAndItsUpdateIsAccepted() throws Exception {
        PoliceCourier courier = new PoliceCourier(new Endpoint("ijsselland/primary", room.baseUrl()), null,
                poster(Duration.ofSeconds(5)), poster(Duration.ofSeconds(5)), deviceId -> Optional.of(Fixtures.PROFILE));
        UUID alertId = UUID.randomUUID();

        Receipt alert = courier.deliver(panic(alertId, DEVICE, 1), 1).get(5, TimeUnit.SECONDS);
        Receipt update = courier.deliver(Fixtures.locationUpdate(alertId, DEVICE, 2), 1).get(5, TimeUnit.SECONDS);

        assertEquals("IJS-1", alert.reference());
        assertEquals("", update.reference());
        JsonNode carrier = room.alerts().get(alertId.toString()).body().path("carrier");
        assertEquals("photo-0042", carrier.path("photoReference").asText());
        assertEquals(1, room.updates(alertId.toString()).size());
        assertEquals(0, room.duplicates());
    }

    private static HttpsPoster poster(Duration timeout) throws Exception {
        return new HttpsPoster(MutualTls.context(Fixtures.DISPATCH.privateKey(),
                new X509Certificate[] {Fixtures.DISPATCH.certificate(), Fixtures.DISPATCH.issuer()},
                Fixtures.CA.certificate()), timeout);
    }
}
