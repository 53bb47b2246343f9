package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.pki.Pem;
import nl.aware.gateway.StaffBootstrap;
import nl.aware.gateway.cli.StaffClient;
import nl.aware.gateway.testing.DispatchFixture;
import nl.aware.gateway.testing.ServerProcess;
import nl.aware.gateway.testing.TestAuthenticator;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control-room console across a {@code kill -9} of a real server process: the warning within 5 s; after
 * the restart (on the same address) the page finds its session gone (sessions live in memory) and asks to sign
 * in again; signed in, it resumes from the sequence it had seen and shows the alert with the press made while
 * nobody was signed in. Nothing acknowledged twice, nothing lost.
 */
class ControlRoomRestartBrowserTest {
    private static final Logger log = LoggerFactory.getLogger(ControlRoomRestartBrowserTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "operator passphrase, long enough";
    private static final String ADMIN_PASSWORD = "admin passphrase, long enough";
    private static final long ALICE = 0x00000000000a11ceL;

    @TempDir
    Path dir;
    private final TestAuthenticator totp = new TestAuthenticator(Clock.systemUTC());
    private ServerProcess process;
    private SimulatedPolice police;
    private ConsoleBrowser anna;
    private long counter;
    private TestServer setup;

    @AfterEach
    void tearDown() {
        if (anna != null) {
            anna.close();
        }
        if (process != null) {
            process.close();
        }
        if (police != null) {
            police.close();
        }
    }


    private UUID press(IssuedCredential credential) throws Exception {
        try (TestDevice device = TestDevice.connect(process.address(), ALICE, credential, setup.ca().certificate())) {
            device.send(device.panic(++counter));
            return device.nextAck().eventId();
        }
    }

    @Test
    void killDashNine_warnsWithinFiveSeconds_thenAsksToSignInAgain_andShowsEveryPressWithNothingAcknowledgedTwice()
            throws Exception {
        setup = TestServer.create(dir);
        StaffBootstrap.createFirstAdministrator(setup.data(), setup.keys(), "root", ADMIN_PASSWORD.toCharArray(),
                Clock.systemUTC());
        setup.start();
        IssuedCredential alice = setup.enroll(ALICE, Region.IJSSELLAND);
        setup.close();
        police = SimulatedPolice.start(setup.ca(), 0, ArrivalListener.NONE);
        Path dispatch = new DispatchFixture()
                .police(Region.IJSSELLAND, police.room(Region.IJSSELLAND).baseUrl().toString(), null)
                .police(Region.TWENTE, police.room(Region.TWENTE).baseUrl().toString(), null)
                .kadera(police.kadera().baseUrl().toString())
                .write(dir.resolve("dispatch"), setup.ca());
        List<String> staffPort = List.of("--staff-port", Integer.toString(LoopbackPorts.free()));
        process = ServerProcess.start(setup, dispatch, dir, staffPort);
        String origin = "https://localhost:" + staffPort.get(1);

        StaffClient client = new StaffClient(URI.create(origin), setup.ca().certificate());
        String admin = client.login("root", ADMIN_PASSWORD.toCharArray(), totp.of("root"));
        ObjectNode body = JSON.createObjectNode().put("username", "op-anna").put("role", "operator").put("password", PASSWORD);
        body.putArray("regions").add("ijsselland");
        assertEquals(201, client.post("/staff/v1/accounts", admin, body).status());

        anna = ConsoleBrowser.open("op-anna", origin, Pem.readCertificate(setup.data().serverCertificate()),
                dir.resolve("profile"));
        anna.signIn("op-anna", PASSWORD, totp);
        await().atMost(Duration.ofSeconds(20)).until(() -> "open".equals(anna.body("stream")));
        UUID alert = press(alice);
        await().atMost(Duration.ofSeconds(5)).until(() -> "new".equals(anna.state(alert.toString())));

        process.killDashNine();
        long killed = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(anna::staleWarningShown);
        log.info("kill -9: the warning showed {} ms after the process died", Duration.ofNanos(System.nanoTime() - killed).toMillis());
        anna.screenshot("40-killed");

        process = ServerProcess.start(setup, dispatch, dir, staffPort);
        press(alice); // the danger goes on while nobody is signed in: a repeated press of the open alert

        await().atMost(Duration.ofSeconds(20)).until(anna::signInShown);
        assertTrue(anna.staleWarningShown(), "signed out, the screen still says it is not up to date");
        // The sign-in form and the banner's reason change in the same moment: not "reconnecting" until the
        // heartbeat watchdog next looks, which can be seconds when the server came back quickly.
        assertTrue(anna.driver().findElement(org.openqa.selenium.By.id("stale-sign-in")).isDisplayed(),
                "the warning says to sign in again");
        assertFalse(anna.driver().findElement(org.openqa.selenium.By.id("stale-reconnecting")).isDisplayed(),
                "the warning no longer says it is reconnecting");
        assertEquals("", anna.textNow(org.openqa.selenium.By.id("who")).trim(), "nobody is shown as signed in");
        anna.check("41-sign-in-again");
        anna.signIn("op-anna", PASSWORD, totp);
        long signedIn = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> "open".equals(anna.body("stream"))
                && !anna.staleWarningShown() && "2".equals(anna.text(org.openqa.selenium.By.cssSelector(
                "tr[data-alert-id='" + alert + "'] td:nth-child(3)"))));
        log.info("signed in again: the alert with the press made meanwhile showed after {} ms",
                Duration.ofNanos(System.nanoTime() - signedIn).toMillis());
        assertEquals("new", anna.state(alert.toString()));
        assertEquals("on", anna.body("sound"), "still unacknowledged: still sounding");
        anna.screenshot("42-resumed");

        anna.acknowledge(alert.toString());
        await().atMost(Duration.ofSeconds(5)).until(() -> "acknowledged".equals(anna.state(alert.toString())));
        process.stop(); // SIGTERM: the log is closed before the checks read it
        process = null;
        long acknowledgements = setup.log().events().stream().filter(e -> e instanceof Event.AlertStatusReported r
                && r.alertId().equals(alert) && r.status() == AlertStatus.ACKNOWLEDGED).count();
        assertEquals(1, acknowledgements, "acknowledged once");
        long presses = setup.log().events().stream().filter(e -> e instanceof Event.FrameAccepted f
                && f.frame().type() == nl.aware.core.protocol.FrameType.PANIC).count();
        assertEquals(2, presses, "both presses are in the log");
    }
}
