package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.pki.Pem;
import nl.aware.dispatch.police.CarrierDirectory;
import nl.aware.gateway.StaffBootstrap;
import nl.aware.gateway.cli.StaffClient;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestAuthenticator;
import nl.aware.gateway.testing.TestServer;
import nl.aware.web.staff.StaffApiSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control-room console in real Chromium on a real server with a real device press: the alarm sounds in
 * the region's consoles until acknowledged, the other operator sees the acknowledgement within 1 s, the
 * other region's operator never sees the alarm, and a lost server is shown within 5 s. Screenshots under
 * target/screenshots/.
 */
class ControlRoomConsoleBrowserTest {
    private final TestAuthenticator totp = new TestAuthenticator(java.time.Clock.systemUTC());
    private static final Logger log = LoggerFactory.getLogger(ControlRoomConsoleBrowserTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "operator passphrase, long enough";
    private static final String ADMIN_PASSWORD = "admin passphrase, long enough";
    private static final long ALICE = 0x00000000000a11ceL;

    @TempDir
    Path dir;
    private TestServer server;
    private SimulatedPolice police;
    private final List<ConsoleBrowser> browsers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        browsers.forEach(ConsoleBrowser::close);
        if (server != null) {
            server.close();
        }
        if (police != null) {
            police.close();
        }
    }

    private String origin() {
        return "https://localhost:" + server.server().staffApiAddress().getPort();
    }

    private void start() throws Exception {
        server = TestServer.create(dir);
        StaffBootstrap.createFirstAdministrator(server.data(), server.keys(), "root", ADMIN_PASSWORD.toCharArray(),
                Clock.systemUTC());
        police = SimulatedPolice.start(server.ca(), 0, ArrivalListener.NONE);
        server.staffApi(StaffApiSettings.loopback(0)).start(police.dispatchConfig(Duration.ofSeconds(15)),
                CarrierDirectory.none());
        StaffClient client = new StaffClient(URI.create(origin()), server.ca().certificate());
        String admin = client.login("root", ADMIN_PASSWORD.toCharArray(), totp.of("root"));
        for (String[] operator : new String[][] {{"op-anna", "ijsselland"}, {"op-bram", "ijsselland"},
                {"op-tess", "twente"}}) {
            ObjectNode body = JSON.createObjectNode().put("username", operator[0]).put("role", "operator")
                    .put("password", PASSWORD);
            body.putArray("regions").add(operator[1]);
            assertEquals(201, client.post("/staff/v1/accounts", admin, body).status());
        }
    }

    private ConsoleBrowser signedIn(String username) throws Exception {
        ConsoleBrowser browser = ConsoleBrowser.open(username, origin(),
                Pem.readCertificate(server.data().serverCertificate()), dir.resolve("profile-" + username));
        browsers.add(browser);
        browser.signIn(username, PASSWORD);
        await().atMost(Duration.ofSeconds(20)).until(() -> "open".equals(browser.body("stream")));
        return browser;
    }

    private UUID press(IssuedCredential credential) throws Exception {
        try (TestDevice device = server.connect(ALICE, credential)) {
            device.send(device.panic(1));
            return device.nextAck().eventId();
        }
    }

    @Test
    void pressSoundsInTheRegionsConsolesUntilAcknowledged_theOtherOperatorSeesItWithinOneSecond() throws Exception {
        start();
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        ConsoleBrowser anna = signedIn("op-anna");
        ConsoleBrowser bram = signedIn("op-bram");
        ConsoleBrowser tess = signedIn("op-tess");
        assertEquals("off", anna.body("sound"));

        UUID alert = press(alice);

        await().atMost(Duration.ofSeconds(5)).until(() -> "new".equals(anna.state(alert.toString()))
                && "new".equals(bram.state(alert.toString())));
        assertEquals("on", anna.body("sound"), "an unacknowledged PANIC sounds");
        assertTrue(anna.title().startsWith("(!)"), anna.title());
        assertEquals("/control/favicon-alarm.svg", anna.favicon());
        anna.screenshot("1-alarm");

        anna.acknowledge(alert.toString());
        long clicked = System.nanoTime();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> "acknowledged".equals(bram.state(alert.toString())));
        long seenMs = Duration.ofNanos(System.nanoTime() - clicked).toMillis();
        log.info("acknowledgement in one console visible in the other after {} ms", seenMs);

        await().atMost(Duration.ofSeconds(2)).until(() -> "off".equals(anna.body("sound")));
        assertEquals("off", bram.body("sound"));
        assertEquals("/control/favicon.svg", anna.favicon());
        anna.screenshot("2-acknowledged");
        bram.screenshot("2-acknowledged");
        assertTrue(server.log().events().stream().anyMatch(e -> e instanceof Event.AlertStatusReported r
                && r.alertId().equals(alert) && r.status() == AlertStatus.ACKNOWLEDGED && r.reporter().equals("op-anna")));
        await().atMost(Duration.ofSeconds(10)).until(() -> police.room(Region.IJSSELLAND).updates(alert.toString())
                .stream().anyMatch(u -> u.at("/lifecycle/status").asText().equals("acknowledged")));
        assertNull(tess.state(alert.toString()), "twente's operator never sees an ijsselland alarm");
        assertEquals(0, tess.rows());
        assertEquals("off", tess.body("sound"));
        tess.screenshot("3-other-region");
    }

    @Test
    void lostServer_showsTheFullWidthWarningWithinFiveSeconds() throws Exception {
        start();
        ConsoleBrowser anna = signedIn("op-anna");
        assertTrue(!anna.staleWarningShown());

        server.close();
        server = null;
        long lost = System.nanoTime();

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(anna::staleWarningShown);
        log.info("stale warning shown {} ms after the server stopped", Duration.ofNanos(System.nanoTime() - lost).toMillis());
        anna.screenshot("4-stale");
    }
}
