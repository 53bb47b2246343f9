package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.Event;
import nl.aware.core.event.ListeningEnd;
import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.pki.Pem;
import nl.aware.core.protocol.AudioChunk;
import nl.aware.core.protocol.DeviceCommand;
import nl.aware.core.protocol.FrameType;
import nl.aware.gateway.StaffBootstrap;
import nl.aware.gateway.cli.StaffClient;
import nl.aware.gateway.testing.TestAuthenticator;
import nl.aware.gateway.testing.TestServer;
import nl.aware.simulator.device.City;
import nl.aware.simulator.device.DeviceFleet;
import nl.aware.simulator.device.DeviceSettings;
import nl.aware.simulator.device.SimulatedDevice;
import nl.aware.web.staff.StaffApiSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Listening in from the control-room console in real Chromium (headless, Selenium) on a real server, to a simulated
 * device over mutual TLS 1.3 that streams speech: the page decodes the Opus with WebCodecs and plays it with Web
 * Audio; what it decoded is measured in the page (samples, RMS) and compared with what the device sent.
 */
class ListeningBrowserTest {
    private static final Logger log = LoggerFactory.getLogger(ListeningBrowserTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "operator passphrase, long enough";
    private static final String ADMIN_PASSWORD = "admin passphrase, long enough";
    private static final long DEVICE = 0x00000000000a0d30L;
    private static final By STATE = By.id("listen-state");
    private static final DeviceSettings QUIET = DeviceSettings.defaults()
            .withHeartbeatInterval(Duration.ofHours(1))
            .withTracking(Duration.ofSeconds(15), Duration.ZERO);

    @TempDir
    Path dir;
    private final TestAuthenticator totp = new TestAuthenticator(Clock.systemUTC());
    private TestServer server;
    private DeviceFleet fleet;
    private SimulatedDevice device;
    private ConsoleBrowser browser;

    @AfterEach
    void tearDown() {
        if (browser != null) {
            browser.close();
        }
        if (fleet != null) {
            fleet.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(boolean recordsAfterPress) throws Exception {
        server = TestServer.create(dir);
        StaffBootstrap.createFirstAdministrator(server.data(), server.keys(), "root", ADMIN_PASSWORD.toCharArray(),
                Clock.systemUTC());
        server.staffApi(StaffApiSettings.loopback(0)).start();
        StaffClient client = new StaffClient(URI.create(origin()), server.ca().certificate());
        String admin = client.login("root", ADMIN_PASSWORD.toCharArray(), totp.of("root"));
        ObjectNode body = JSON.createObjectNode().put("username", "op-anna").put("role", "operator")
                .put("password", PASSWORD);
        body.putArray("regions").add("ijsselland");
        assertEquals(201, client.post("/staff/v1/accounts", admin, body).status());
        IssuedCredential credential = server.enroll(DEVICE);
        UUID carrier = server.server().registerCarrier(Region.IJSSELLAND, new CarrierProfile("Test Carrier", "", "",
                "", "", "", new CarrierProfile.Eligibility(true, true, true, true, true), recordsAfterPress)).join();
        server.server().assign(DEVICE, carrier).join();
        fleet = new DeviceFleet("127.0.0.1", server.server().address().getPort(), server.ca().certificate(), QUIET, 1);
        device = fleet.add(DEVICE, credential, City.ZWOLLE);
        device.recordsAfterPress(recordsAfterPress);
        fleet.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> fleet.stats().connected() == 1);
        browser = ConsoleBrowser.open("listen", origin(), Pem.readCertificate(server.data().serverCertificate()),
                dir.resolve("profile"));
        browser.signIn("op-anna", PASSWORD, totp);
        await().atMost(Duration.ofSeconds(20)).until(() -> "open".equals(browser.body("stream")));
    }

    private String origin() {
        return "https://localhost:" + server.server().staffApiAddress().getPort();
    }

    /** The device presses; the operator opens the alert. */
    private String pressAndOpen() {
        device.press();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.rows() == 1);
        String alert = browser.driver().findElement(By.cssSelector("#rows tr")).getDomAttribute("data-alert-id");
        browser.openAlert(alert);
        browser.waitFor(By.id("alert-profile"));
        return alert;
    }

    private String measured(String name) {
        return browser.driver().findElement(STATE).getDomAttribute("data-" + name);
    }

    private long measuredLong(String name) {
        String value = measured(name);
        return value == null ? 0 : Long.parseLong(value);
    }

    private String shownState() {
        return measured("state");
    }

    private <T extends Event> List<T> logged(Class<T> kind) {
        return server.log().events().stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    @Test
    void listen_decodesTheDevicesSpeechInThePage_asLongAsTheDeviceSent_andTheSessionIsOnTheRecord() throws Exception {
        start(false);
        String alert = pressAndOpen();
        assertEquals("Luisteren", browser.text(By.id("listen-start")));

        browser.click(By.id("listen-start"));
        await().atMost(Duration.ofSeconds(15)).until(() -> "listening".equals(shownState())
                && measuredLong("decoded-ms") >= 3_000);
        assertEquals("U luistert mee.", browser.text(STATE));
        assertTrue(browser.text(By.id("listen-time")).matches("Tijd: \\d+:\\d\\d\\. Geluid ontvangen: \\d+:\\d\\d\\."),
                browser.text(By.id("listen-time")));
        browser.check("listening");
        browser.click(By.id("listen-stop"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "stopped".equals(shownState()));
        // what was handed to the decoder before the stop is still decoded (flush): wait for it to settle
        long[] last = {-1};
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(300)).until(() -> {
            long now = measuredLong("decoded-ms");
            boolean settled = now == last[0];
            last[0] = now;
            return settled;
        });

        long frames = measuredLong("frames");
        long sentMs = measuredLong("sent-ms");
        long decodedMs = measuredLong("decoded-ms");
        double rms = Double.parseDouble(measured("rms"));
        log.info("listening in Chromium: {} frames, {} ms sent, {} ms decoded ({} samples at 48 kHz), RMS {}",
                frames, sentMs, decodedMs, measured("decoded-samples"), rms);
        assertEquals("Gestopt met luisteren.", browser.text(STATE));
        assertTrue(frames >= 8, "frames received: " + frames);
        assertEquals(frames - 1, measuredLong("last-seq"), "every frame from seq 0 on, in order");
        assertTrue(Math.abs(decodedMs - sentMs) <= 20, "decoded " + decodedMs + " ms of " + sentMs + " ms sent");
        assertTrue(rms > 0.005, "the decoded sound is speech, not silence: RMS " + rms);
        assertTrue(browser.consoleErrors().isEmpty(), browser.consoleErrors().toString());

        await().atMost(Duration.ofSeconds(5)).until(() -> !logged(Event.ListeningEnded.class).isEmpty());
        Event.ListeningStarted started = logged(Event.ListeningStarted.class).get(0);
        assertEquals("op-anna", started.operator());
        assertEquals(alert, started.alertId().toString());
        Event.ListeningEnded ended = logged(Event.ListeningEnded.class).get(0);
        assertEquals(started.listeningId(), ended.listeningId());
        assertEquals(ListeningEnd.STOPPED, ended.reason());
        long listenId = logged(Event.CommandSent.class).stream().filter(c -> c.command() == DeviceCommand.LISTEN)
                .findFirst().orElseThrow().commandId();
        long keptMs = server.log().accepted().stream().filter(a -> a.frame().type() == FrameType.AUDIO)
                .map(a -> a.frame().audio()).filter(c -> c.streamId() == listenId && c.seq() < frames)
                .mapToLong(AudioChunk::durationMs).sum();
        assertEquals(keptMs, sentMs, "the page got the frames the log holds, each once");
    }

    @Test
    void aPressStreamAlreadyRunning_isJoinedAndHeard() throws Exception {
        start(true);
        String alert = pressAndOpen();
        await().atMost(Duration.ofSeconds(10)).until(() -> fleet.stats().acks() >= 1 + 3); // the press's sound flows

        browser.click(By.id("listen-start"));

        await().atMost(Duration.ofSeconds(15)).until(() -> "listening".equals(shownState())
                && measuredLong("decoded-ms") >= 2_000);
        assertTrue(Double.parseDouble(measured("rms")) > 0.005, "RMS " + measured("rms"));
        assertTrue(logged(Event.ListeningStarted.class).get(0).joined());
        assertTrue(logged(Event.CommandSent.class).stream().noneMatch(c -> c.command() == DeviceCommand.LISTEN));
        assertEquals(alert, logged(Event.ListeningStarted.class).get(0).alertId().toString());
    }

    @Test
    void aDeviceWithoutAConnection_isSaidOnScreen_inDutchAndEnglish() throws Exception {
        start(false);
        pressAndOpen();
        fleet.close();
        fleet = null;
        await().atMost(Duration.ofSeconds(10)).until(() -> server.server().commands()
                .send(DEVICE, DeviceCommand.LOCATE, 0, "test", null).get() instanceof
                nl.aware.gateway.netty.DeviceCommands.Outcome.NotConnected);

        browser.click(By.id("listen-start"));

        await().atMost(Duration.ofSeconds(10)).until(() -> "not_connected".equals(shownState()));
        assertEquals("Het apparaat heeft nu geen verbinding. Probeer het zo opnieuw.", browser.text(STATE));
        assertTrue(browser.driver().findElement(By.id("listen-start")).isDisplayed(), "can be tried again");
        browser.check("not-connected");
        browser.click(By.id("language"));
        assertEquals("The device has no connection now. Try again shortly.", browser.text(STATE));
        assertEquals("Listen", browser.text(By.id("listen-start")));
        await().atMost(Duration.ofSeconds(5)).until(() -> !logged(Event.ListeningEnded.class).isEmpty());
        assertEquals(ListeningEnd.NOT_CONNECTED, logged(Event.ListeningEnded.class).get(0).reason());
    }
}
