package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.Location;
import nl.aware.core.staff.AccessOutcome;
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
import org.openqa.selenium.By;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control-room console in real Chromium on a real server with a real device press: the alarm sounds in
 * the region's consoles until acknowledged, the other operator sees the acknowledgement within 1 s, the
 * other region's operator never sees the alarm, and a lost server is shown within 5 s. Screenshots under
 * target/screenshots/.
 */
class ControlRoomConsoleBrowserTest {
    private final TestAuthenticator totp = new TestAuthenticator(Clock.systemUTC());
    private static final Logger log = LoggerFactory.getLogger(ControlRoomConsoleBrowserTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "operator passphrase, long enough";
    private static final String ADMIN_PASSWORD = "admin passphrase, long enough";
    private static final long ALICE = 0x00000000000a11ceL;
    private static final Location[] TRACK = {
            new Location(525_168_000, 60_830_000, 8, 2, Location.SOURCE_GNSS, 90),
            new Location(525_185_000, 60_861_000, 12, 1, Location.SOURCE_GNSS, 89),
            new Location(525_203_000, 60_897_000, 10, 1, Location.SOURCE_GNSS, 89)};
    private long counter;

    @TempDir
    Path dir;
    private TestServer server;
    private SimulatedPolice police;
    private final List<ConsoleBrowser> browsers = new ArrayList<>();
    private TcpRelay relay;

    @AfterEach
    void tearDown() {
        browsers.forEach(ConsoleBrowser::close);
        if (relay != null) {
            relay.close();
        }
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
        start(StaffApiSettings.loopback(0));
    }

    private void start(StaffApiSettings settings) throws Exception {
        server = TestServer.create(dir);
        StaffBootstrap.createFirstAdministrator(server.data(), server.keys(), "root", ADMIN_PASSWORD.toCharArray(),
                Clock.systemUTC());
        police = SimulatedPolice.start(server.ca(), 0, ArrivalListener.NONE);
        server.staffApi(settings).start(police.dispatchConfig(Duration.ofSeconds(15)),
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

    private ConsoleBrowser browser(String username, String origin) throws Exception {
        ConsoleBrowser browser = ConsoleBrowser.open(username, origin,
                Pem.readCertificate(server.data().serverCertificate()), dir.resolve("profile-" + username + "-" + browsers.size()));
        browsers.add(browser);
        return browser;
    }

    private ConsoleBrowser signedIn(String username) throws Exception {
        ConsoleBrowser browser = browser(username, origin());
        browser.signIn(username, PASSWORD, totp);
        await().atMost(Duration.ofSeconds(20)).until(() -> "open".equals(browser.body("stream")));
        return browser;
    }

    private UUID press(IssuedCredential credential) throws Exception {
        try (TestDevice device = server.connect(ALICE, credential)) {
            device.send(device.panic(++counter));
            return device.nextAck().eventId();
        }
    }

    /** A press at Zwolle station, then two positions a few hundred metres on: a track with a direction. */
    private UUID pressWithTrack(IssuedCredential credential) throws Exception {
        try (TestDevice device = server.connect(ALICE, credential)) {
            device.send(device.frame(FrameType.PANIC, ALICE, ++counter, TestDevice.location(TRACK[0])));
            UUID alert = device.nextAck().eventId();
            for (int i = 1; i < TRACK.length; i++) {
                device.send(device.frame(FrameType.LOCATION, ALICE, ++counter, TestDevice.location(TRACK[i])));
                device.nextAck();
            }
            return alert;
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

    @Test
    void firstSignIn_enrolsTheAuthenticator_theNextAsksForTheCode_everyStepAccessible() throws Exception {
        start();
        ConsoleBrowser first = browser("op-anna", origin());
        first.check("10-sign-in-calm");
        first.signIn("op-anna", PASSWORD, totp, "11-first");
        await().atMost(Duration.ofSeconds(20)).until(() -> "open".equals(first.body("stream")));
        assertEquals(10, totp.recoveryCodes("op-anna").size(), "the enrolment showed ten recovery codes");
        first.check("12-queue-calm");
        assertEquals(List.of(), first.consoleErrors(), "no script error and no CSP violation");

        ConsoleBrowser second = browser("op-anna", origin());
        second.signIn("op-anna", PASSWORD, totp, "13-second");
        await().atMost(Duration.ofSeconds(20)).until(() -> "open".equals(second.body("stream")));
        assertEquals(1, server.log().events().stream().filter(e -> e instanceof Event.StaffSecondFactorEnrolled en
                && en.username().equals("op-anna")).count(), "enrolled once; the second sign-in only asked for the code");
    }

    @Test
    void wrongCode_isRefusedNextToTheField_andTheConsoleStaysClosed() throws Exception {
        start();
        ConsoleBrowser first = browser("op-anna", origin());
        first.signIn("op-anna", PASSWORD, totp);
        ConsoleBrowser second = browser("op-anna", origin());

        second.password("op-anna", PASSWORD);
        second.waitFor(By.id("code-continue"));
        second.waitFor(By.name("code")).sendKeys("12345");
        second.click(By.id("code-continue"));

        assertTrue(second.text(By.cssSelector("[data-field=code] .field__error")).contains("6 cijfers"));
        assertEquals("no", second.body("signed-in"));
        assertFalse(second.driver().findElement(By.id("console")).isDisplayed(), "the queue stays closed");
        second.check("14-code-error");
    }

    @Test
    void recoveryCode_signsTheOperatorInWhenThePhoneIsAway() throws Exception {
        start();
        browser("op-anna", origin()).signIn("op-anna", PASSWORD, totp);
        String code = totp.recoveryCodes("op-anna").get(0);

        ConsoleBrowser withoutPhone = browser("op-anna", origin());
        withoutPhone.signInWithRecoveryCode("op-anna", PASSWORD, code);

        await().atMost(Duration.ofSeconds(20)).until(() -> "open".equals(withoutPhone.body("stream")));
        assertTrue(server.log().events().stream().anyMatch(e -> e instanceof Event.StaffRecoveryCodeUsed u
                && u.username().equals("op-anna")), "the used recovery code is in the log");
    }

    @Test
    void alertView_showsProfileTrackOnTheMapAndTimeline_theReadRecordedFirst() throws Exception {
        start();
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        UUID carrier = server.server().registerCarrier(Region.IJSSELLAND, new CarrierProfile("Johanna Vermeulen",
                "+31 6 4817 2290", "photo-0017", "ex-partner followed her twice", "tall, red van", "two children",
                new CarrierProfile.Eligibility(true, true, true, true, true))).join();
        server.server().assign(ALICE, carrier).join();
        ConsoleBrowser anna = signedIn("op-anna");

        UUID alert = pressWithTrack(alice);
        await().atMost(Duration.ofSeconds(5)).until(() -> "new".equals(anna.state(alert.toString())));
        anna.check("20-alarm");
        assertFalse(server.log().events().stream().anyMatch(e -> e instanceof Event.StaffAccess a
                && a.action().equals("control.alert.read")), "the queue names nobody: nothing read yet");

        anna.openAlert(alert.toString());
        anna.waitFor(By.cssSelector("#track-map[data-track-points='3']"));
        assertTrue(anna.text(By.id("alert-profile")).contains("Johanna Vermeulen"));
        assertTrue(anna.text(By.id("alert-profile")).contains("tall, red van"));
        assertFalse(anna.text(By.id("alert-view")).contains("+31 6"), "no phone number on the police screen");
        assertTrue(anna.text(By.id("alert-latest")).contains("10 m"), "the latest fix's accuracy");
        anna.waitFor(By.cssSelector("#alert-timeline li[data-kind='press']"));
        anna.waitFor(By.cssSelector("#track-map .leaflet-control-scale-line"));
        assertTrue(server.log().events().stream().anyMatch(e -> e instanceof Event.StaffAccess a
                && a.username().equals("op-anna") && a.action().equals("control.alert.read")
                && a.subject().equals(alert.toString()) && a.outcome() == AccessOutcome.ALLOWED),
                "the opening is in the access trail under the operator's name");
        anna.check("21-alert-view");

        anna.acknowledge(alert.toString());
        anna.waitFor(By.cssSelector("#alert-timeline li[data-kind='acknowledged']"));
        anna.check("22-alert-acknowledged");
        assertEquals(List.of(), anna.consoleErrors(), "no script error and no CSP violation");
    }

    @Test
    void brokenConnection_pageWarnsReconnectsByItself_andShowsThePressMadeMeanwhile() throws Exception {
        start();
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        relay = TcpRelay.to(new java.net.InetSocketAddress("127.0.0.1", server.server().staffApiAddress().getPort()));
        ConsoleBrowser anna = browser("op-anna", "https://localhost:" + relay.port());
        anna.signIn("op-anna", PASSWORD, totp);
        await().atMost(Duration.ofSeconds(20)).until(() -> "open".equals(anna.body("stream")));

        relay.cut();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(anna::staleWarningShown);
        UUID alert = press(alice);
        anna.screenshot("30-connection-cut");
        relay.restore();
        long restored = System.nanoTime();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> "new".equals(anna.state(alert.toString())) && !anna.staleWarningShown());
        log.info("after the connection came back the page showed the press made meanwhile in {} ms",
                Duration.ofNanos(System.nanoTime() - restored).toMillis());
        assertEquals("on", anna.body("sound"));
        assertEquals("yes", anna.body("signed-in"), "a broken connection is not a sign-out");
        anna.screenshot("31-reconnected");
    }

    @Test
    void heartbeatsStopOnAConnectionThatStaysOpen_theWatchdogWarns_andTheWarningGoesWhenTheyComeBack() throws Exception {
        start();
        relay = TcpRelay.to(new java.net.InetSocketAddress("127.0.0.1", server.server().staffApiAddress().getPort()));
        ConsoleBrowser anna = browser("op-anna", "https://localhost:" + relay.port());
        anna.signIn("op-anna", PASSWORD, totp);
        await().atMost(Duration.ofSeconds(20)).until(() -> "open".equals(anna.body("stream")) && "no".equals(anna.body("stale")));

        relay.freeze();
        long frozen = System.nanoTime();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(anna::staleWarningShown);
        log.info("heartbeats held on an open connection: the warning showed after {} ms (the page's limit is 5 s)",
                Duration.ofNanos(System.nanoTime() - frozen).toMillis());
        assertEquals("open", anna.body("stream"), "the connection itself never broke: only the watchdog can tell");
        anna.screenshot("32-heartbeats-stopped");

        relay.thaw();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> !anna.staleWarningShown());
    }

    @Test
    void streamOutlivesTheRequestDeadline_heartbeatsKeepTheWarningAway() throws Exception {
        start(StaffApiSettings.loopback(0).withRequestDeadline(Duration.ofSeconds(2)));
        ConsoleBrowser anna = signedIn("op-anna");

        Thread.sleep(8_000); // four request deadlines; a heartbeat every 2 s meanwhile

        assertEquals("open", anna.body("stream"));
        assertFalse(anna.staleWarningShown(), "heartbeats keep arriving on the one stream");
    }
}
