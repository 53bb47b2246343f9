package nl.aware.gateway.console;

import nl.aware.core.event.Region;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.gateway.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 12's walk through the console, on a running server that is never stopped: a case worker signs
 * in with password and TOTP, registers a carrier, hands out a device from the CSR the device made,
 * sees its press on the start page within 2 s, opens the track and the PDF report, and revokes the
 * device: its connection closes within 1 s and it is refused, while another device is still ACKed.
 * Uses the live-administration and second-factor endpoints (docs/staff-api.md).
 */
class ConsoleEndToEndTest extends ConsoleTestBase {
    private static final long OTHER_DEVICE = 0x00a1b2c3d4e5f602L;

    @Test
    void caseWorker_registersHandsOutSeesThePressLive_andRevokesWithoutStoppingTheServer() throws Exception {
        createAccount("sam", "staff", STAFF_PASSWORD, null);
        var running = server.server();
        staff.signInPhotographed("sam", STAFF_PASSWORD, "37-first-sign-in");
        assertTrue(staff.secondFactorAsked(), "the sign-in asked for a code from the authenticator");

        // Register a carrier with the eligibility checklist.
        staff.menu("Dragers");
        browser.click(By.id("register-carrier"));
        browser.waitForHeading("Drager registreren");
        browser.click(By.id("register-submit"));
        browser.waitFor(By.cssSelector(".summary"));
        browser.screenshot("30-carrier-register-errors");
        browser.checkAccessibility("30-carrier-register-errors");
        browser.click(By.cssSelector("label[for=region-ijsselland]"));
        browser.type(By.name("name"), "Johanna Vermeulen");
        browser.type(By.name("phone"), "+31 6 4817 2290");
        browser.type(By.name("photoReference"), "photo-0017");
        browser.type(By.name("threat"), "ex-partner followed her twice");
        browser.type(By.name("aggressor"), "tall, red van");
        browser.type(By.name("policeNotes"), "two children");
        for (String fact : new String[] {"registeredAfterIntake", "livesInRegion", "agreesToFileReport", "realisticRisk",
                "noContactWithAggressor"}) {
            WebElement box = browser.waitFor(By.name(fact));
            if (!box.isSelected()) {
                box.click();
            }
        }
        browser.screenshot("31-carrier-register");
        browser.checkAccessibility("31-carrier-register");
        browser.click(By.id("register-submit"));
        browser.waitFor(By.id("hand-out"));
        String carrierPage = browser.driver().getCurrentUrl();
        UUID carrierId = UUID.fromString(carrierPage.substring(carrierPage.lastIndexOf('/') + 1));
        browser.screenshot("32-carrier-registered");
        browser.checkAccessibility("32-carrier-registered");

        // Hand out a device from the request the device made; the key stays in the device.
        DeviceKey key = DeviceKey.generate(DEVICE);
        browser.click(By.id("hand-out"));
        browser.waitForHeading("Apparaat uitgeven");
        browser.type(By.name("deviceId"), DeviceIds.format(DEVICE));
        browser.type(By.name("csr"), key.csrPem());
        browser.screenshot("33-hand-out");
        browser.checkAccessibility("33-hand-out");
        browser.click(By.id("credential-submit"));
        WebElement certificate = browser.waitFor(By.id("device-certificate"));
        IssuedCredential credential = key.credential(certificate.getAttribute("value"), server.ca().certificate());
        browser.screenshot("34-handed-out");
        browser.checkAccessibility("34-handed-out");

        IssuedCredential otherCredential = server.enroll(OTHER_DEVICE, Region.IJSSELLAND);
        try (TestDevice device = server.connect(DEVICE, credential);
             TestDevice other = server.connect(OTHER_DEVICE, otherCredential)) {
            staff.menu("Start");
            browser.waitFor(By.id("open-alerts"));
            device.send(device.panic(1));
            ServerFrame.Ack ack = device.nextAck();
            long acked = System.nanoTime();
            browser.waitFor(By.cssSelector("#open-alerts tr[data-alert='" + ack.eventId() + "']"), Duration.ofSeconds(10));
            long shown = (System.nanoTime() - acked) / 1_000_000;
            LOG.info("start page: the press showed {} ms after its ACK", shown);
            assertTrue(shown <= 2000, "the open alert appeared " + shown + " ms after the ACK (at most 2000)");
            device.send(device.frame(FrameType.LOCATION, DEVICE, 2, TestDevice.location(TRACK[1])));
            device.nextAck();

            browser.click(By.cssSelector("#open-alerts tr[data-alert='" + ack.eventId() + "'] a"));
            browser.waitFor(By.cssSelector("#track-map[data-track-points]"));
            browser.waitFor(By.cssSelector("#track-map .leaflet-control-scale-line"));
            browser.click(By.id("report-pdf-nl"));
            byte[] pdf = Files.readAllBytes(browser.downloaded(".pdf"));
            assertEquals("%PDF", new String(pdf, 0, 4, StandardCharsets.US_ASCII));

            // Revoke: the open connection closes within 1 s, the device is refused after, the other goes on.
            browser.get("/console/#/devices/" + DeviceIds.format(DEVICE));
            browser.click(By.id("revoke-device"));
            browser.type(By.name("reason"), "device taken by the aggressor");
            browser.screenshot("35-revoke");
            browser.checkAccessibility("35-revoke");
            long clicked = System.nanoTime();
            browser.click(By.id("revoke-submit"));
            assertTrue(device.awaitClosed(Duration.ofSeconds(10)), "the revoked device's connection was closed");
            long closedMs = (System.nanoTime() - clicked) / 1_000_000;
            LOG.info("revoke: the device's connection closed {} ms after the click", closedMs);
            assertTrue(closedMs <= 1000, "closed " + closedMs + " ms after the click (at most 1000)");
            browser.waitForText(By.id("status"), "is ingetrokken");
            browser.screenshot("36-revoked");
            browser.checkAccessibility("36-revoked");
            assertRefused(credential);

            other.send(other.panic(1));
            assertFalse(other.nextAck().duplicate(), "another device's press is still ACKed");
        }
        assertTrue(running == server.server() && running.address() != null, "the same server ran throughout");
        assertTrue(carrierId != null);
    }

    /** The revoked device cannot get a frame accepted again: no handshake, or no ACK. */
    private void assertRefused(IssuedCredential credential) throws InterruptedException {
        TestDevice again;
        try {
            again = server.connect(DEVICE, credential);
        } catch (Exception refused) {
            return;
        }
        try (again) {
            if (again.sendUnlessClosed(again.panic(2))
                    && again.nextWithin(Duration.ofSeconds(5)) instanceof ServerFrame.Ack ack) {
                fail("a revoked device's press was ACKed: " + ack);
            }
        }
    }
}
