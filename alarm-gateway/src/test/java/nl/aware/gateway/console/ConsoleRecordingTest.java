package nl.aware.gateway.console;

import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.AudioChunk;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.core.staff.AccessOutcome;
import nl.aware.gateway.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A case worker plays an alert's recording in the staff console (real Chromium, real server, TLS 1.3). */
class ConsoleRecordingTest extends ConsoleTestBase {

    private boolean played() {
        return server.log().events().stream().anyMatch(e -> e instanceof Event.StaffAccess a && a.username().equals("sam")
                && a.action().equals("recording.play") && a.outcome() == AccessOutcome.ALLOWED);
    }

    @Test
    void theAlertPage_playsTheRecordingOnRequest_andTheServerRecordsWhoListened() throws Exception {
        createAccount("sam", "staff", STAFF_PASSWORD, null);
        IssuedCredential credential = server.enroll(DEVICE, Region.IJSSELLAND);
        UUID carrier = server.server().registerCarrier(Region.IJSSELLAND, new CarrierProfile("Johanna Vermeulen", "", "",
                "", "", "", new CarrierProfile.Eligibility(true, true, true, true, true), true)).join();
        server.server().assign(DEVICE, carrier).join();
        UUID alertId;
        try (TestDevice device = server.connect(DEVICE, credential)) {
            device.send(device.frame(FrameType.PANIC, DEVICE, 1, TestDevice.location(TRACK[0])));
            alertId = device.nextAck().eventId();
            for (int seq = 0; seq < 3; seq++) {
                List<byte[]> packets = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    packets.add(new byte[] {(byte) (9 << 3), (byte) seq, (byte) i}); // SILK wideband, 20 ms each
                }
                device.send(device.frame(FrameType.AUDIO, DEVICE, 2 + seq,
                        AudioChunk.opus(1, seq, seq == 2, 400, packets).payload()));
                assertInstanceOf(ServerFrame.Ack.class, device.next());
            }
        }

        staff.signIn("sam", STAFF_PASSWORD);
        browser.waitFor(By.id("open-alerts"));
        browser.get("/#/alerts/" + alertId);
        browser.waitForText(By.id("recording-caption-0"), "Na de druk op de knop");
        assertTrue(browser.text(By.id("recording-caption-0")).contains("1.2 s"));
        assertTrue(!played(), "nothing fetched before the person asks to play (preload none)");
        browser.screenshot("30-alert-recording");
        browser.checkAccessibility("30-alert-recording");

        // What the play control starts: the browser fetches the file with the session cookie and reads its headers.
        browser.driver().executeScript("const a = document.getElementById('recording-0'); a.preload = 'metadata'; a.load();");
        String state = "const a = document.getElementById('recording-0'); return 'ready ' + a.readyState"
                + " + ', error ' + (a.error ? a.error.code + ' ' + a.error.message : 'none');";
        await().atMost(Duration.ofSeconds(20)).until(() -> ((Number) browser.driver().executeScript(
                "const a = document.getElementById('recording-0'); return a.error ? -1 : a.readyState;")).intValue() != 0);
        assertEquals("ready 1, error none", String.valueOf(browser.driver().executeScript(state)).replaceFirst("ready [1-4]",
                "ready 1"), "the browser took the answer as Ogg Opus it can play");
        assertTrue(played(), "the play is in the access trail under sam's name");
        assertEquals(List.of(), browser.consoleErrors(), "no script error and no CSP violation");
    }
}
