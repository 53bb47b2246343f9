package nl.aware.gateway.console;

import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.gateway.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console with 50,000 alerts in the log (test alarms from one device, and one real press on top):
 * the start page, the alert list and one alert still come up in seconds, and the API calls the pages
 * make stay cheap. Bounds are loose (a loaded machine); the figures are logged.
 */
class ConsoleScaleTest extends ConsoleTestBase {
    private static final int ALERTS = 50_000;
    private static final int BATCH = 500;

    @Test
    void pagesAndTheirApiCalls_stayQuick_with50000AlertsInTheLog() throws Exception {
        createAccount("sam", "staff", STAFF_PASSWORD, null);
        IssuedCredential credential = server.enroll(DEVICE, Region.IJSSELLAND);
        carrierWithDevice();
        UUID real;
        long filled = System.nanoTime();
        try (TestDevice device = server.connect(DEVICE, credential)) {
            for (int sent = 0; sent < ALERTS - 1; sent += BATCH) {
                int batch = Math.min(BATCH, ALERTS - 1 - sent);
                for (int i = 1; i <= batch; i++) {
                    device.send(device.frame(FrameType.TEST, DEVICE, sent + i, TestDevice.location(TRACK[0])));
                }
                for (int i = 0; i < batch; i++) {
                    device.nextAck();
                }
            }
            device.send(device.frame(FrameType.PANIC, DEVICE, ALERTS, TestDevice.location(TRACK[0])));
            ServerFrame.Ack ack = device.nextAck();
            real = ack.eventId();
        }
        LOG.info("scale: {} alerts written in {} s", ALERTS, (System.nanoTime() - filled) / 1_000_000_000);

        staff.signIn("sam", STAFF_PASSWORD);
        staff.menu("Apparaten");
        staff.menu("Start");
        // A full reload: the session from the cookie, the page's scripts, /me, the change number, the list.
        long start = System.nanoTime();
        browser.driver().navigate().refresh();
        browser.waitFor(By.cssSelector("#open-alerts tr[data-alert='" + real + "']"), Duration.ofSeconds(30));
        long startPage = ms(start);

        start = System.nanoTime();
        staff.menu("Meldingen");
        browser.waitFor(By.cssSelector("#alert-results tr[data-alert='" + real + "']"), Duration.ofSeconds(30));
        long alertList = ms(start);

        start = System.nanoTime();
        browser.click(By.cssSelector("#alert-results tr[data-alert='" + real + "'] a"));
        browser.waitFor(By.cssSelector("#track-map[data-track-points]"), Duration.ofSeconds(30));
        long alertPage = ms(start);

        double[] changes = apiTimes("/staff/v1/changes");
        double[] list = apiTimes("/staff/v1/alerts?limit=50");
        double[] filteredList = apiTimes("/staff/v1/alerts?closed=false&type=real&limit=200");
        LOG.info("scale ({} alerts): start page {} ms, alert list {} ms, one alert {} ms; API median/max: "
                        + "changes {}/{} ms, alerts?limit=50 {}/{} ms, open real alerts (limit 200) {}/{} ms",
                ALERTS, startPage, alertList, alertPage, median(changes), max(changes), median(list), max(list),
                median(filteredList), max(filteredList));
        browser.screenshot("40-alert-of-50000");
        assertTrue(startPage < 10_000 && alertList < 10_000 && alertPage < 10_000,
                "pages took " + startPage + ", " + alertList + " and " + alertPage + " ms (at most 10 s each)");
        assertTrue(median(list) < 2_000 && median(changes) < 1_000, "API medians " + median(list) + " and " + median(changes));
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    /** Twenty calls from the signed-in page (its session), timed in the browser. */
    private double[] apiTimes(String path) {
        List<?> times = (List<?>) browser.driver().executeAsyncScript(
                "const done = arguments[arguments.length - 1]; const times = [];"
                        + "(async () => { for (let i = 0; i < 20; i++) { const t0 = performance.now();"
                        + " const r = await fetch(arguments[0], {credentials: 'same-origin'}); await r.text();"
                        + " if (!r.ok) { done(['HTTP ' + r.status]); return; } times.push(performance.now() - t0); }"
                        + " done(times); })();", path);
        if (!times.stream().allMatch(Number.class::isInstance)) {
            throw new AssertionError(path + " was refused to the page's session: " + times);
        }
        return times.stream().mapToDouble(t -> ((Number) t).doubleValue()).toArray();
    }

    private static long median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return Math.round(sorted[sorted.length / 2]);
    }

    private static long max(double[] values) {
        return Math.round(Arrays.stream(values).max().orElse(0));
    }
}
