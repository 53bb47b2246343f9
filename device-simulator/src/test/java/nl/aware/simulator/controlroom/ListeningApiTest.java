package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.Event;
import nl.aware.core.event.ListeningEnd;
import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.DeviceCommand;
import nl.aware.gateway.StaffBootstrap;
import nl.aware.gateway.cli.StaffClient;
import nl.aware.gateway.testing.TestAuthenticator;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import nl.aware.simulator.device.City;
import nl.aware.simulator.device.DeviceFleet;
import nl.aware.simulator.device.DeviceSettings;
import nl.aware.simulator.device.SimulatedDevice;
import nl.aware.web.staff.StaffApiSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live listening through the control-room API on a real server: a simulated device over mutual TLS 1.3, operators
 * signed in on the staff server's HTTPS port, the audio stream read off a real socket, the log read as an auditor.
 */
class ListeningApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "operator passphrase, long enough";
    private static final String ADMIN_PASSWORD = "admin passphrase, long enough";
    private static final long DEVICE = 0x00000000000a0d20L;
    private static final DeviceSettings QUIET = DeviceSettings.defaults()
            .withHeartbeatInterval(Duration.ofHours(1))
            .withTracking(Duration.ofSeconds(15), Duration.ZERO);

    @TempDir
    Path dir;
    private final TestAuthenticator totp = new TestAuthenticator(Clock.systemUTC());
    private final List<EventStreamClient> streams = new ArrayList<>();
    private TestServer server;
    private DeviceFleet fleet;
    private SimulatedDevice device;
    private StaffClient client;

    @AfterEach
    void tearDown() {
        streams.forEach(EventStreamClient::close);
        if (fleet != null) {
            fleet.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A server with the console, three operators and Kadera staff, and one simulated device of IJsselland. */
    private void start(boolean recordsAfterPress) throws Exception {
        server = TestServer.create(dir);
        StaffBootstrap.createFirstAdministrator(server.data(), server.keys(), "root", ADMIN_PASSWORD.toCharArray(),
                Clock.systemUTC());
        server.staffApi(StaffApiSettings.loopback(0)).start();
        client = new StaffClient(base(), server.ca().certificate());
        String admin = client.login("root", ADMIN_PASSWORD.toCharArray(), totp.of("root"));
        createOperator(admin, "op-anna", "ijsselland");
        createOperator(admin, "op-bram", "ijsselland");
        createOperator(admin, "op-tess", "twente");
        assertEquals(201, client.post("/staff/v1/accounts", admin, JSON.createObjectNode().put("username", "sam")
                .put("role", "staff").put("password", PASSWORD)).status());
        IssuedCredential credential = server.enroll(DEVICE);
        UUID carrier = server.server().registerCarrier(Region.IJSSELLAND, new CarrierProfile("Test Carrier", "", "",
                "", "", "", new CarrierProfile.Eligibility(true, true, true, true, true), recordsAfterPress)).join();
        server.server().assign(DEVICE, carrier).join();
        fleet = new DeviceFleet("127.0.0.1", server.server().address().getPort(), server.ca().certificate(), QUIET, 1);
        device = fleet.add(DEVICE, credential, City.ZWOLLE);
        device.recordsAfterPress(recordsAfterPress);
        fleet.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> fleet.stats().connected() == 1);
    }

    private void createOperator(String admin, String username, String region) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("username", username).put("role", "operator")
                .put("password", PASSWORD);
        body.putArray("regions").add(region);
        StaffClient.Reply reply = client.post("/staff/v1/accounts", admin, body);
        assertEquals(201, reply.status(), reply.error());
    }

    private URI base() {
        return URI.create("https://localhost:" + server.server().staffApiAddress().getPort());
    }

    private String login(String username) throws Exception {
        return client.login(username, PASSWORD.toCharArray(), totp.of(username));
    }

    /** The device presses; returns the alert as the operator's queue shows it. */
    private UUID press(String token) throws Exception {
        device.press();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.get("/control/v1/queue", token).body()
                .path("alerts").size() == 1);
        return UUID.fromString(client.get("/control/v1/queue", token).body().path("alerts").get(0).path("alertId")
                .asText());
    }

    private StaffClient.Reply post(String token, UUID alert, String action) throws Exception {
        return client.post("/control/v1/alerts/" + alert + "/" + action, token, JSON.createObjectNode());
    }

    private EventStreamClient audio(String token, UUID alert) throws Exception {
        EventStreamClient stream = new EventStreamClient(base().resolve("/control/v1/alerts/" + alert + "/audio"),
                server.ca().certificate(), token, null);
        streams.add(stream);
        await().atMost(Duration.ofSeconds(10)).until(() -> !stream.named("state").isEmpty());
        return stream;
    }

    private static boolean hasState(EventStreamClient stream, String state) {
        return stream.named("state").stream().anyMatch(e -> e.data().path("state").asText().equals(state));
    }

    private <T extends Event> List<T> logged(Class<T> kind) {
        return server.log().events().stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    private List<Event.CommandSent> commands(DeviceCommand command) {
        return logged(Event.CommandSent.class).stream().filter(c -> c.command() == command).toList();
    }

    @Test
    void listening_isRecordedNamingTheOperatorBeforeAnySound_thenTheDevicesAudioArrivesInOrder() throws Exception {
        start(false);
        String anna = login("op-anna");
        UUID alert = press(anna);

        StaffClient.Reply started = post(anna, alert, "listen");
        assertEquals(200, started.status(), started.error());
        assertEquals("listen", started.body().path("source").asText(), "no press stream: a LISTEN is sent");
        List<Event.ListeningStarted> recorded = logged(Event.ListeningStarted.class);
        assertEquals(1, recorded.size(), "the session is on the record when the start is answered");
        assertEquals("op-anna", recorded.get(0).operator());
        assertEquals(alert, recorded.get(0).alertId());
        assertEquals(DEVICE, recorded.get(0).deviceId());
        assertEquals(started.body().path("listeningId").asText(), recorded.get(0).listeningId().toString());
        assertEquals(List.of("op-anna"), logged(Event.StaffAccess.class).stream()
                .filter(a -> a.action().equals("control.alert.listen") && a.subject().equals(alert.toString()))
                .map(Event.StaffAccess::username).toList(), "the listening session is in the access trail");

        EventStreamClient stream = audio(anna, alert);
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.named("audio").size() >= 5);
        assertTrue(hasState(stream, "listening"), "the device answered STARTED");
        List<EventStreamClient.Sse> frames = stream.named("audio");
        for (int i = 0; i < frames.size(); i++) {
            JsonNode frame = frames.get(i).data();
            assertEquals(i, frame.path("seq").asInt(), "in order, none missing");
            assertEquals(1, frame.path("codec").asInt());
            assertEquals(frame.path("packets").size() * 20, frame.path("durationMs").asInt(), "20 ms Opus packets");
            assertTrue(Base64.getDecoder().decode(frame.path("packets").get(0).asText()).length > 0);
        }
        Event.CommandSent listen = commands(DeviceCommand.LISTEN).get(0);
        assertEquals("op-anna", listen.by());
        assertEquals(alert, listen.alertId());
        assertEquals(Long.toUnsignedString(listen.commandId()), frames.get(0).data().path("stream").asText(),
                "the stream the LISTEN opened");
    }

    @Test
    void audioArrivesWithinASecondOfTheDeviceSendingIt() throws Exception {
        start(false);
        String anna = login("op-anna");
        UUID alert = press(anna);
        assertEquals(200, post(anna, alert, "listen").status());
        EventStreamClient stream = audio(anna, alert);
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.named("audio").size() >= 6);
        // the simulated device sends a frame every 400 ms: a page that gets them late sees them bunched up
        List<EventStreamClient.Sse> frames = stream.named("audio");
        for (int i = 2; i < frames.size(); i++) {
            long gapMs = (frames.get(i).atNanos() - frames.get(i - 1).atNanos()) / 1_000_000;
            assertTrue(gapMs < 1_000, "frame " + i + " came " + gapMs + " ms after the one before");
        }
    }

    @Test
    void aPressStreamAlreadyRunning_isJoinedWithoutACommand() throws Exception {
        start(true);
        String anna = login("op-anna");
        UUID alert = press(anna);
        await().atMost(Duration.ofSeconds(10)).until(() -> fleet.stats().acks() >= 1 + 3); // the press's sound flows

        StaffClient.Reply started = post(anna, alert, "listen");
        assertEquals(200, started.status(), started.error());
        assertEquals("joined", started.body().path("source").asText());
        assertEquals("listening", started.body().path("state").asText());
        EventStreamClient stream = audio(anna, alert);
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.named("audio").size() >= 3);
        List<EventStreamClient.Sse> frames = stream.named("audio");
        for (int i = 1; i < frames.size(); i++) {
            assertEquals(frames.get(i - 1).data().path("seq").asInt() + 1, frames.get(i).data().path("seq").asInt());
        }
        assertTrue(commands(DeviceCommand.LISTEN).isEmpty(), "no LISTEN: the device was already sending");
        assertTrue(logged(Event.ListeningStarted.class).get(0).joined());
    }

    @Test
    void whenTheJoinedPressRecordingEnds_listeningGoesOnWithAListenInTheOperatorsName() throws Exception {
        start(true);
        String anna = login("op-anna");
        UUID alert = press(anna);
        await().atMost(Duration.ofSeconds(10)).until(() -> fleet.stats().acks() >= 1 + 3);
        assertEquals("joined", post(anna, alert, "listen").body().path("source").asText());
        EventStreamClient stream = audio(anna, alert);
        await().atMost(Duration.ofSeconds(10)).until(() -> !stream.named("audio").isEmpty());
        String pressStream = stream.named("audio").get(0).data().path("stream").asText();

        // the simulated device records 30 s after its press
        await().atMost(Duration.ofSeconds(60)).until(() -> stream.named("audio").stream()
                .anyMatch(e -> !e.data().path("stream").asText().equals(pressStream)));

        List<EventStreamClient.Sse> frames = stream.named("audio");
        int switched = 0;
        while (frames.get(switched).data().path("stream").asText().equals(pressStream)) {
            switched++;
        }
        assertTrue(frames.get(switched - 1).data().path("last").asBoolean(), "the press stream ended with its last frame");
        assertEquals(0, frames.get(switched).data().path("seq").asInt(), "the LISTEN stream from its start");
        Event.CommandSent listen = commands(DeviceCommand.LISTEN).get(0);
        assertEquals("op-anna", listen.by());
        assertEquals(Long.toUnsignedString(listen.commandId()), frames.get(switched).data().path("stream").asText());
        assertFalse(stream.ended, "still listening");
        assertTrue(logged(Event.ListeningEnded.class).isEmpty());
    }

    @Test
    void anOperatorOfAnotherRegion_getsNotFound_andNothingIsRecorded() throws Exception {
        start(false);
        UUID alert = press(login("op-anna"));
        String tess = login("op-tess");

        StaffClient.Reply refused = post(tess, alert, "listen");

        assertEquals(404, refused.status());
        assertEquals("no alert " + alert + " in your regions", refused.error());
        assertEquals(404, client.get("/control/v1/alerts/" + alert + "/audio", tess).status());
        assertTrue(logged(Event.ListeningStarted.class).isEmpty());
        assertTrue(commands(DeviceCommand.LISTEN).isEmpty());
    }

    @Test
    void kaderaStaffAndStrangers_cannotListen_andNothingIsRecorded() throws Exception {
        start(false);
        UUID alert = press(login("op-anna"));

        assertEquals(403, post(login("sam"), alert, "listen").status(), "a case worker is no operator");
        assertEquals(401, post("not-a-token", alert, "listen").status());
        assertTrue(logged(Event.ListeningStarted.class).isEmpty());
        assertTrue(commands(DeviceCommand.LISTEN).isEmpty());
    }

    @Test
    void noSuchAlert_isNotFound_andAMalformedIdIsNamed() throws Exception {
        start(false);
        String anna = login("op-anna");
        press(anna);

        assertEquals(404, post(anna, UUID.randomUUID(), "listen").status());
        StaffClient.Reply malformed = client.post("/control/v1/alerts/not-an-id/listen", anna, JSON.createObjectNode());
        assertEquals(400, malformed.status());
        assertTrue(malformed.error().contains("alertId"), malformed.error());
        assertTrue(logged(Event.ListeningStarted.class).isEmpty());
    }

    @Test
    void theAudioStreamWithoutAListeningSession_isRefusedNamingTheStart() throws Exception {
        start(false);
        String anna = login("op-anna");
        UUID alert = press(anna);

        StaffClient.Reply refused = client.get("/control/v1/alerts/" + alert + "/audio", anna);

        assertEquals(409, refused.status());
        assertTrue(refused.error().contains("POST /control/v1/alerts/" + alert + "/listen"), refused.error());
    }

    @Test
    void stop_endsTheSessionOnTheRecord_endsTheStream_andStopsTheDevice() throws Exception {
        start(false);
        String anna = login("op-anna");
        UUID alert = press(anna);
        assertEquals(200, post(anna, alert, "listen").status());
        EventStreamClient stream = audio(anna, alert);
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.named("audio").size() >= 2);

        StaffClient.Reply stopped = post(anna, alert, "listen/stop");

        assertEquals(200, stopped.status(), stopped.error());
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.ended);
        assertTrue(hasState(stream, "stopped"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !logged(Event.ListeningEnded.class).isEmpty()
                && !commands(DeviceCommand.STOP).isEmpty());
        Event.ListeningEnded ended = logged(Event.ListeningEnded.class).get(0);
        assertEquals(ListeningEnd.STOPPED, ended.reason());
        assertEquals("op-anna", ended.operator());
        assertEquals(logged(Event.ListeningStarted.class).get(0).listeningId(), ended.listeningId());
        assertEquals(409, post(anna, alert, "listen/stop").status(), "nothing left to stop");
    }

    @Test
    void closingTheAudioStream_endsTheSessionOnTheRecord() throws Exception {
        start(false);
        String anna = login("op-anna");
        UUID alert = press(anna);
        assertEquals(200, post(anna, alert, "listen").status());
        EventStreamClient stream = audio(anna, alert);
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.named("audio").size() >= 1);

        stream.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> !logged(Event.ListeningEnded.class).isEmpty());
        assertEquals(ListeningEnd.STREAM_CLOSED, logged(Event.ListeningEnded.class).get(0).reason());
        await().atMost(Duration.ofSeconds(5)).until(() -> !commands(DeviceCommand.STOP).isEmpty());
    }

    @Test
    void closingTheAlert_endsEveryListeningSessionOfIt() throws Exception {
        start(false);
        String anna = login("op-anna");
        String bram = login("op-bram");
        UUID alert = press(anna);
        assertEquals(200, post(anna, alert, "listen").status());
        EventStreamClient annaStream = audio(anna, alert);
        await().atMost(Duration.ofSeconds(10)).until(() -> annaStream.named("audio").size() >= 1);
        StaffClient.Reply joined = post(bram, alert, "listen");
        assertEquals("joined", joined.body().path("source").asText(), "a LISTEN stream of the alert is joined too");
        EventStreamClient bramStream = audio(bram, alert);
        await().atMost(Duration.ofSeconds(10)).until(() -> bramStream.named("audio").size() >= 1);

        assertEquals(200, post(bram, alert, "close").status());

        await().atMost(Duration.ofSeconds(5)).until(() -> annaStream.ended && bramStream.ended);
        assertTrue(hasState(annaStream, "alert_closed") && hasState(bramStream, "alert_closed"));
        await().atMost(Duration.ofSeconds(5)).until(() -> logged(Event.ListeningEnded.class).size() == 2);
        assertTrue(logged(Event.ListeningEnded.class).stream().allMatch(e -> e.reason() == ListeningEnd.ALERT_CLOSED));
        assertEquals(1, commands(DeviceCommand.LISTEN).size(), "the second operator joined the running stream");
        assertEquals(409, post(anna, alert, "listen").status(), "a closed alert has nothing to listen to");
    }

    @Test
    void aDeviceThatDoesNotAnswer_endsAsNoAnswer_afterTenSeconds() throws Exception {
        start(false);
        String anna = login("op-anna");
        long silent = 0x00000000000a0d21L;
        try (TestDevice raw = server.connect(silent, server.enroll(silent))) { // answers no COMMAND
            raw.send(raw.panic(1));
            UUID alert = raw.nextAck().eventId();

            assertEquals(200, post(anna, alert, "listen").status());
            EventStreamClient stream = audio(anna, alert);

            await().atMost(Duration.ofSeconds(20)).until(() -> hasState(stream, "no_answer") && stream.ended);
            await().atMost(Duration.ofSeconds(5)).until(() -> !logged(Event.ListeningEnded.class).isEmpty());
            assertEquals(ListeningEnd.NO_ANSWER, logged(Event.ListeningEnded.class).get(0).reason());
            assertEquals(1, logged(Event.CommandUnanswered.class).size());
        }
    }

    @Test
    void aDeviceWithoutAConnection_endsAsNotConnected() throws Exception {
        start(false);
        String anna = login("op-anna");
        UUID alert = press(anna);
        fleet.close();
        fleet = null;
        await().atMost(Duration.ofSeconds(10)).until(() -> server.server().commands()
                .send(DEVICE, DeviceCommand.LOCATE, 0, "test", null).get() instanceof
                nl.aware.gateway.netty.DeviceCommands.Outcome.NotConnected);

        assertEquals(200, post(anna, alert, "listen").status());
        EventStreamClient stream = audio(anna, alert);

        await().atMost(Duration.ofSeconds(5)).until(() -> hasState(stream, "not_connected") && stream.ended);
        await().atMost(Duration.ofSeconds(5)).until(() -> !logged(Event.ListeningEnded.class).isEmpty());
        assertEquals(ListeningEnd.NOT_CONNECTED, logged(Event.ListeningEnded.class).get(0).reason());
        assertFalse(stream.named("audio").iterator().hasNext());
    }
}
