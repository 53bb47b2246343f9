package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.gateway.StaffBootstrap;
import nl.aware.gateway.cli.StaffClient;
import nl.aware.gateway.testing.TestAuthenticator;
import nl.aware.gateway.testing.TestServer;
import nl.aware.web.staff.StaffApiSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live-listening delivery timer ({@code aware_listen_delivery_seconds}) on a real server: a device over mutual
 * TLS 1.3 sending the sound of its press, operators listening on the staff server's HTTPS port, their audio streams
 * read off real sockets. One sample per frame written to a listening console, none for sound nobody listens to.
 */
class ListeningDeliveryTimerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "operator passphrase, long enough";
    private static final String ADMIN_PASSWORD = "admin passphrase, long enough";
    private static final long DEVICE = 0x00000000000a0e30L;

    @TempDir
    Path dir;
    private final TestAuthenticator totp = new TestAuthenticator(Clock.systemUTC());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<EventStreamClient> streams = new ArrayList<>();
    private final Map<String, String> tokens = new HashMap<>();
    private TestServer server;
    private StaffClient client;
    private SpeakingDevice device;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.create(dir).meters(meters);
        StaffBootstrap.createFirstAdministrator(server.data(), server.keys(), "root", ADMIN_PASSWORD.toCharArray(),
                Clock.systemUTC());
        server.staffApi(StaffApiSettings.loopback(0)).start();
        client = new StaffClient(base(), server.ca().certificate());
        String admin = client.login("root", ADMIN_PASSWORD.toCharArray(), totp.of("root"));
        for (String operator : List.of("op-anna", "op-bram")) {
            ObjectNode body = JSON.createObjectNode().put("username", operator).put("role", "operator")
                    .put("password", PASSWORD);
            body.putArray("regions").add("ijsselland");
            assertEquals(201, client.post("/staff/v1/accounts", admin, body).status());
            // signed in before the device speaks: joining needs a frame of the last 3 s
            tokens.put(operator, client.login(operator, PASSWORD.toCharArray(), totp.of(operator)));
        }
        device = SpeakingDevice.pressed(server, DEVICE);
    }

    @AfterEach
    void stop() {
        streams.forEach(EventStreamClient::close);
        if (device != null) {
            device.close();
        }
        server.close();
    }

    private URI base() {
        return URI.create("https://localhost:" + server.server().staffApiAddress().getPort());
    }

    private Timer delivery() {
        return meters.get("aware.listen.delivery").timer();
    }

    /** Sends {@code frames} frames of the press stream, each ACKed before the next. */
    private void speak(int frames) throws Exception {
        for (int i = 0; i < frames; i++) {
            device.send(device.nextFrame());
            device.nextAck();
        }
    }

    /** The operator joins the running press stream and opens the audio stream; returns it once it says its state. */
    private EventStreamClient listen(String operator) throws Exception {
        String token = tokens.get(operator);
        UUID alert = device.alertId();
        StaffClient.Reply started = client.post("/control/v1/alerts/" + alert + "/listen", token,
                JSON.createObjectNode());
        assertEquals(200, started.status(), started.error());
        assertEquals("joined", started.body().path("source").asText());
        EventStreamClient stream = new EventStreamClient(base().resolve("/control/v1/alerts/" + alert + "/audio"),
                server.ca().certificate(), token, null);
        streams.add(stream);
        await().atMost(Duration.ofSeconds(20)).until(() -> !stream.named("state").isEmpty());
        return stream;
    }

    private static boolean hasSeq(EventStreamClient stream, long seq) {
        return stream.named("audio").stream().anyMatch(e -> e.data().path("seq").asLong() == seq);
    }

    @Test
    void everyFrameWrittenToAListeningConsole_isOneSample() throws Exception {
        speak(2); // a running stream, to join
        EventStreamClient anna = listen("op-anna");

        speak(5);

        await().atMost(Duration.ofSeconds(20)).until(() -> hasSeq(anna, 6));
        await().atMost(Duration.ofSeconds(10)).until(() -> delivery().count() >= anna.named("audio").size());
        assertEquals(anna.named("audio").size(), delivery().count(), "one sample per frame the console got");
        assertTrue(anna.named("audio").size() >= 5, "the frames sent after the stream opened, at least");
    }

    @Test
    void twoConsolesListening_areTwoSamplesPerFrame() throws Exception {
        speak(2);
        EventStreamClient anna = listen("op-anna");
        speak(1); // still running when the second operator joins
        EventStreamClient bram = listen("op-bram");

        speak(5);

        await().atMost(Duration.ofSeconds(20)).until(() -> hasSeq(anna, 7) && hasSeq(bram, 7));
        int written = anna.named("audio").size() + bram.named("audio").size();
        await().atMost(Duration.ofSeconds(10)).until(() -> delivery().count() >= written);
        assertEquals(written, delivery().count());
    }

    @Test
    void soundNobodyListensTo_isNotTimed() throws Exception {
        speak(5); // each ACKed: durable and applied, as a listened frame would be when it is handed to the consoles

        assertEquals(0, delivery().count(), "registered when the server starts, and nothing counted");
    }
}
