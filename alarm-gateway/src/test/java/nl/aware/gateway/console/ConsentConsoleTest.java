package nl.aware.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The carrier's consent to recording after a press in the staff console (issue 14), in real Chromium: shown on the
 * opened record (Dutch first, English), changed by a case worker on the edit page, and on the record in the log.
 */
class ConsentConsoleTest extends ConsoleTestBase {

    private void openRecord(UUID carrierId) {
        browser.get("/#/carriers/" + carrierId);
        browser.click(By.id("open-record"));
        browser.waitFor(By.id("records-after-press"));
    }

    @Test
    void caseWorker_seesNoConsent_givesIt_andTheRecordShowsYes() throws Exception {
        createAccount("sam", "staff", STAFF_PASSWORD, null);
        server.enroll(DEVICE, Region.IJSSELLAND);
        UUID carrierId = carrierWithDevice();
        staff.signIn("sam", STAFF_PASSWORD);

        openRecord(carrierId);
        assertEquals("no", browser.waitFor(By.id("records-after-press")).getAttribute("data-consent"));
        assertTrue(browser.text(By.id("records-after-press")).contains("neemt na een alarm geluid op: nee"),
                browser.text(By.id("records-after-press")));

        browser.get("/#/carriers/" + carrierId + "/edit");
        browser.click(By.id("consent-yes"));
        browser.screenshot("40-carrier-consent-edit");
        browser.checkAccessibility("40-carrier-consent-edit");
        browser.click(By.id("edit-submit"));
        browser.waitFor(By.id("open-record"));

        openRecord(carrierId);
        browser.waitFor(By.cssSelector("#records-after-press[data-consent='yes']"));
        assertTrue(browser.text(By.id("records-after-press")).endsWith(": ja"), browser.text(By.id("records-after-press")));
        assertTrue(server.server().state().carriers().find(carrierId).orElseThrow().profile().recordsAfterPress());
        assertEquals(1, server.log().events().stream().filter(Event.RecordingConsentSet.class::isInstance).count(),
                "one change, one record");
        browser.screenshot("41-carrier-consent-yes");
        browser.checkAccessibility("41-carrier-consent-yes");
        assertEquals(java.util.List.of(), browser.consoleErrors(), "no script error and no CSP violation");
    }

    @Test
    void recordInEnglish_saysDeviceRecordsSoundAfterAnAlarm() throws Exception {
        createAccount("sam", "staff", STAFF_PASSWORD, null);
        server.enroll(DEVICE, Region.IJSSELLAND);
        UUID carrierId = carrierWithDevice();
        staff.signIn("sam", STAFF_PASSWORD);
        browser.click(By.id("lang"));

        openRecord(carrierId);

        assertTrue(browser.text(By.id("records-after-press")).contains("Device records sound after an alarm: no"),
                browser.text(By.id("records-after-press")));
    }
}
