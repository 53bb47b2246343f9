package nl.aware.gateway.console;

import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.pki.Pem;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.Location;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.core.staff.AccessOutcome;
import nl.aware.gateway.StaffBootstrap;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import nl.aware.web.staff.StaffApiSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real server (log files, TLS 1.3 with the deployment's own CA, the staff API with its console) with
 * a first administrator, and real headless Chromium trusting only that server's key.
 */
abstract class ConsoleTestBase {
    static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConsoleTestBase.class);
    static final String ADMIN_PASSWORD = "admin passphrase, long enough";
    static final String STAFF_PASSWORD = "case worker passphrase, long enough";
    static final String AUDITOR_PASSWORD = "auditor passphrase, long enough";
    static final long DEVICE = 0x00a1b2c3d4e5f601L;
    /** Zwolle, then a few hundred metres north-east: a track with a direction. */
    static final Location[] TRACK = {
            new Location(525_168_000, 60_830_000, 8, 2, Location.SOURCE_GNSS, 90),
            new Location(525_185_000, 60_861_000, 12, 1, Location.SOURCE_GNSS, 89),
            new Location(525_203_000, 60_897_000, 10, 1, Location.SOURCE_GNSS, 89)};

    @TempDir
    Path directory;
    TestServer server;
    Browser browser;
    Staff staff;

    @BeforeAll
    static void chromium() {
        Browser.requireChromium();
    }

    @BeforeEach
    void start() throws Exception {
        server = TestServer.create(directory);
        StaffBootstrap.createFirstAdministrator(server.data(), server.keys(), "root", ADMIN_PASSWORD.toCharArray(),
                java.time.Clock.systemUTC());
        server.staffApi(StaffApiSettings.loopback(0)).start();
        X509Certificate serverCertificate = Pem.readCertificate(server.data().serverCertificate());
        browser = Browser.open("https://localhost:" + server.server().staffApiAddress().getPort(), serverCertificate,
                directory.resolve("browser"));
        staff = new Staff(browser);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        server.close();
    }

    /** The administrator makes an account through the accounts page, then signs out. */
    void createAccount(String username, String role, String password, String screenshot) throws Exception {
        browser.get("/");
        staff.signIn("root", ADMIN_PASSWORD);
        staff.menu("Accounts");
        browser.type(By.name("username"), username);
        new org.openqa.selenium.support.ui.Select(browser.waitFor(By.cssSelector("#account-form select[name=role]")))
                .selectByValue(role);
        browser.type(By.cssSelector("#account-form input[name=password]"), password);
        browser.click(By.id("account-submit"));
        browser.waitFor(By.cssSelector("tr[data-account='" + username + "']"));
        if (screenshot != null) {
            browser.screenshot(screenshot);
            browser.checkAccessibility(screenshot);
        }
        staff.signOut();
    }

    UUID carrierWithDevice() {
        UUID carrierId = server.server().registerCarrier(Region.IJSSELLAND, new CarrierProfile("Johanna Vermeulen",
                "+31 6 4817 2290", "photo-0017", "ex-partner followed her twice", "tall, red van", "two children",
                new CarrierProfile.Eligibility(true, true, true, true, true))).join();
        server.server().assign(DEVICE, carrierId).join();
        return carrierId;
    }

    static void pressWithTrack(TestDevice device) throws InterruptedException {
        device.send(device.frame(FrameType.PANIC, device.deviceId(), 1, TestDevice.location(TRACK[0])));
        ServerFrame.Ack ack = device.nextAck();
        for (int i = 1; i < TRACK.length; i++) {
            device.send(device.frame(FrameType.LOCATION, device.deviceId(), 1 + i, TestDevice.location(TRACK[i])));
            device.nextAck();
        }
        assertTrue(ack.eventId() != null);
    }
}
