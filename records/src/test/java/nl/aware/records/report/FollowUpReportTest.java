package nl.aware.records.report;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.records.checkpoint.Checkpoints;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.records.history.AlertHistory;
import nl.aware.records.history.AlertHistoryReader;
import nl.aware.records.history.AlertScenario;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.log.LogRecord;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.pki.Pem;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Follow-up reports of an alert that went through failed attempts, a failover, an escalation, location
 * updates, a repeated press, a cancel and the lifecycle to CLOSED, read from a real log. The rendered
 * pages are left in target/report-test/ for a person to look at.
 */
class FollowUpReportTest {
    static final Instant GENERATED = Instant.parse("2026-11-25T15:00:00Z");
    static final Path OUT = Path.of(System.getProperty("basedir", "."), "target", "report-test");

    @TempDir
    static Path dir;
    static AlertScenario scenario;
    static AlertHistory history;

    /** What each language must say, as it appears in both formats. */
    static final List<String> ENGLISH = List.of("AWARE follow-up report", "Record verified", "Press received",
            "Accepted by the police (ijsselland/secondary)", "Escalated to Kadera", "Cancel received (informational)",
            "Acknowledged by the control room", "Unit dispatched", "Unit on scene", "Closed by the control room",
            "Delivery attempts", "connect timed out after 2000 ms", "HTTP 503 from the control room", "FAILED",
            "delivered", "kadera/escalation", "no police acceptance within 15 s", "Location track",
            "52.5120000", "6.0980000", "60 m", "The carrier sent a cancel at", "it never stops the police response",
            "marked delayed (more than 60 s)", "Repeated presses", AlertScenario.CARRIER_NAME, AlertScenario.INCIDENT,
            AlertScenario.CONTROL_ROOM, "frames of this alert verified with the certificate of the device",
            "issued by the Kadera device CA", "CET");
    static final List<String> DUTCH = List.of("AWARE opvolgrapport", "Vastlegging geverifieerd", "Alarmdruk ontvangen",
            "Aangenomen door de politie (ijsselland/secondary)", "Geëscaleerd naar Kadera",
            "Annulering ontvangen (ter informatie)", "Bevestigd door de meldkamer", "Eenheid gestuurd",
            "Eenheid ter plaatse", "Afgesloten door de meldkamer", "Afleverpogingen", "connect timed out after 2000 ms",
            "HTTP 503 from the control room", "MISLUKT", "afgeleverd", "kadera/escalation", "Locatieverloop",
            "52.5120000", "60 m", "Er is een annulering verzonden om", "zij stopt de politie-inzet nooit",
            "gemarkeerd als vertraagd (meer dan 60 s)", "Herhaalde drukken", AlertScenario.CARRIER_NAME,
            AlertScenario.INCIDENT, "berichten van dit alarm geverifieerd", "uitgegeven door de apparaat-CA van Kadera",
            "CET");

    @BeforeAll
    static void write() throws Exception {
        scenario = AlertScenario.write(dir);
        history = AlertHistoryReader.read(scenario.logDir, scenario.keys, Pem.readCertificate(scenario.caPem),
                scenario.alertId);
        Files.createDirectories(OUT);
    }

    @Test
    void englishHtml_showsEveryStepAttemptEscalationCancelAndTheVerification() throws Exception {
        String html = html(history, ReportLanguage.EN, "report-en.html");
        for (String phrase : ENGLISH) {
            assertTrue(html.contains(HtmlReportWriter.esc(phrase)), () -> "English HTML lacks: " + phrase);
        }
        assertEquals(2, count(html, "<td>FAILED</td>"), "both failed attempts are listed");
        assertEquals(6, count(html, "<td>delivered</td>"), "the failover's success and the five updates");
        assertFalse(html.contains("Afleverpogingen"), "no Dutch in the English report");
    }

    @Test
    void dutchHtml_saysTheSameInDutch() throws Exception {
        String html = html(history, ReportLanguage.NL, "report-nl.html");
        for (String phrase : DUTCH) {
            assertTrue(html.contains(HtmlReportWriter.esc(phrase)), () -> "Dutch HTML lacks: " + phrase);
        }
        assertEquals(2, count(html, "<td>MISLUKT</td>"));
        assertFalse(html.contains("Delivery attempts"), "no English labels in the Dutch report");
        assertTrue(html.contains("<html lang=\"nl-NL\">"));
    }

    @Test
    void html_isSelfContainedAndEscapesTheCarriersNotes() throws Exception {
        for (ReportLanguage language : ReportLanguage.values()) {
            String html = html(history, language, null);
            assertFalse(html.toLowerCase().contains("<script"), "the note's script tag must not survive");
            assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;aanhalingstekens&quot;"),
                    "the note is shown, escaped");
            for (String external : List.of("http:", "https:", "src=", "<link", "url(", "@import", "//")) {
                assertFalse(html.contains(external), "external resource marker " + external);
            }
            assertTrue(html.contains("<svg viewBox="), "the track plot is inline SVG");
            assertTrue(html.contains("<circle"), "with accuracy circles");
        }
    }

    @Test
    void pdfs_parseAndSayWhatTheHtmlSays_andPage1IsRenderedForALook() throws Exception {
        for (ReportLanguage language : ReportLanguage.values()) {
            byte[] pdf = FollowUpReport.render(history, language, FollowUpReport.Format.PDF, GENERATED);
            Files.write(OUT.resolve("report-" + language.code() + ".pdf"), pdf);
            try (PDDocument doc = Loader.loadPDF(pdf)) {
                String text = text(doc);
                for (String phrase : language == ReportLanguage.EN ? ENGLISH : DUTCH) {
                    assertTrue(text.contains(phrase), () -> language + " PDF lacks: " + phrase);
                }
                assertEquals(language == ReportLanguage.EN ? "en-GB" : "nl-NL", doc.getDocumentCatalog().getLanguage());
                render(doc, language.code());
            }
        }
    }

    @Test
    void signedCheckpoint_afterTheAlert_isNamedInBothLanguages_andItsAbsenceToo() throws Exception {
        assertTrue(html(history, ReportLanguage.EN, null).contains("No signed checkpoint covers these records yet"));
        Path copy = dir.resolve("checkpointed");
        copyTree(scenario.logDir, copy);
        IssuedCredential server = scenario.ca.issueServer("aware-server", List.of("localhost"), List.of("127.0.0.1"),
                Duration.ofDays(30));
        LogRecord[] last = {null};
        EventLog.read(copy, record -> last[0] = record);
        EventCodec codec = new EventCodec(scenario.keys);
        try (EventLog log = EventLog.open(EventLogOptions.defaults(copy), new SimpleMeterRegistry(), r -> { })) {
            Event.Checkpoint checkpoint = Checkpoints.sign(server.privateKey(), server.certificate(),
                    last[0].sequence(), last[0].hash(), System.currentTimeMillis());
            log.append(EventCodec.typeOf(checkpoint), codec.encode(checkpoint)).join();
        }

        AlertHistory anchored = AlertHistoryReader.read(copy, scenario.keys, Pem.readCertificate(scenario.caPem),
                scenario.alertId);

        assertTrue(anchored.verification().anchor().anchored(), anchored.verification()::toString);
        assertTrue(anchored.verification().verified());
        String en = html(anchored, ReportLanguage.EN, null);
        assertTrue(en.contains("Signed checkpoint: record " + (last[0].sequence() + 1) + " holds the server"), en);
        assertTrue(en.contains("signature over the event log up to record " + last[0].sequence()));
        assertTrue(html(anchored, ReportLanguage.NL, null).contains("Ondertekend controlepunt: record "
                + (last[0].sequence() + 1)));

        IssuedCredential foreign = CertificateAuthority.create("Some other CA", Duration.ofDays(2))
                .issueServer("impostor", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
        try (EventLog log = EventLog.open(EventLogOptions.defaults(copy), new SimpleMeterRegistry(), r -> { })) {
            Event.Checkpoint forged = Checkpoints.sign(foreign.privateKey(), foreign.certificate(),
                    last[0].sequence(), last[0].hash(), System.currentTimeMillis());
            log.append(EventCodec.typeOf(forged), codec.encode(forged)).join();
        }
        AlertHistory forged = AlertHistoryReader.read(copy, scenario.keys, Pem.readCertificate(scenario.caPem),
                scenario.alertId);
        assertFalse(forged.verification().verified(), "a checkpoint signed outside the deployment's CA");
        assertTrue(html(forged, ReportLanguage.EN, null).contains("A signed checkpoint of the event log does NOT verify"));
    }

    @Test
    void tamperedRecord_makesTheReportSayNotVerifiedAndNameTheRecord() throws Exception {
        Path copy = dir.resolve("tampered");
        copyTree(scenario.logDir, copy);
        long target = scenario.escalationSequence;
        flipByteInRecord(copy, target);
        AlertHistory damaged = AlertHistoryReader.read(copy, scenario.keys, Pem.readCertificate(scenario.caPem),
                scenario.alertId);
        assertFalse(damaged.verification().verified());
        assertEquals(target, damaged.verification().chain().badSequence());

        String en = html(damaged, ReportLanguage.EN, "report-en-tampered.html");
        assertTrue(en.contains("Record NOT verified"), "English status");
        assertTrue(en.contains("Record " + target + " of the event log is damaged"), "names the record");
        assertFalse(en.contains("Record verified"));
        String nl = html(damaged, ReportLanguage.NL, null);
        assertTrue(nl.contains("Vastlegging NIET geverifieerd"));
        assertTrue(nl.contains("Record " + target + " van het logboek is beschadigd"));
        byte[] pdf = FollowUpReport.render(damaged, ReportLanguage.EN, FollowUpReport.Format.PDF, GENERATED);
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            String text = text(doc);
            assertTrue(text.contains("Record NOT verified"));
            assertTrue(text.contains("Record " + target + " of the event log is damaged"));
            render(doc, "en-tampered");
        }
    }

    @Test
    void alteredFrameSignature_isNamedInTheVerification() throws Exception {
        // a history whose signature check failed on one record: the words name it
        AlertHistory.SignatureCheck bad = new AlertHistory.SignatureCheck(6, 5, List.of(scenario.pressSequence),
                "CN=x", "abc", true);
        AlertHistory h = new AlertHistory(history.alertId(), history.type(), history.deviceId(), history.region(),
                history.carrier(), history.press(), history.repeatedPresses(), history.track(), history.cancels(),
                history.deliveries(), history.escalations(), history.shed(), history.lifecycle(),
                new AlertHistory.Verification(history.verification().chain(), bad));
        String en = html(h, ReportLanguage.EN, null);
        assertTrue(en.contains("Record NOT verified"));
        assertTrue(en.contains("5 of 6 frames verified; the frame of record(s) " + scenario.pressSequence
                + " does NOT verify"), en);
    }

    @Test
    void testAlarm_isMarkedAsATestInBothLanguages() throws Exception {
        AlertHistory test = AlertHistoryReader.read(scenario.logDir, scenario.keys, null, scenario.testAlertId);
        assertTrue(html(test, ReportLanguage.EN, null).contains("TEST ALARM: this was a test of the full path"));
        assertTrue(html(test, ReportLanguage.NL, null).contains("TESTALARM: dit was een test van de hele keten"));
        try (PDDocument doc = Loader.loadPDF(FollowUpReport.render(test, ReportLanguage.NL, FollowUpReport.Format.PDF,
                GENERATED))) {
            assertTrue(text(doc).contains("TESTALARM"));
        }
    }

    @Test
    void noFixNoCarrierLongTextAndGlyphsTheFontLacks_stillMakeBothFormats() throws Exception {
        AlertHistory.TrackPoint noFix = new AlertHistory.TrackPoint(9, UUID.randomUUID(), "PANIC", GENERATED, GENERATED,
                false, Double.NaN, Double.NaN, null, null, AlertHistory.LocationSource.NONE, null);
        nl.aware.core.carrier.CarrierProfile odd = new nl.aware.core.carrier.CarrierProfile("张伟 \uD83D\uDEA8 Zoë",
                "", "", "x".repeat(4000), "", "regel 1\nregel 2",
                new nl.aware.core.carrier.CarrierProfile.Eligibility(true, true, true, true, true));
        AlertHistory h = new AlertHistory(history.alertId(), history.type(), history.deviceId(), history.region(),
                new AlertHistory.Carrier(history.carrier().carrierId(), history.region(), odd), history.press(),
                List.of(), List.of(noFix), List.of(), List.of(), List.of(), List.of(), List.of(), history.verification());
        String en = html(h, ReportLanguage.EN, null);
        assertTrue(en.contains("No location with a fix was sent."));
        assertTrue(en.contains("张伟 \uD83D\uDEA8 Zoë"), "HTML shows every character as typed");
        assertTrue(en.contains("The control room has not reported the alert closed."));
        assertFalse(en.contains("<svg"), "no plot without a fix");
        byte[] pdf = FollowUpReport.render(h, ReportLanguage.EN, FollowUpReport.Format.PDF, GENERATED);
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            String text = text(doc);
            assertTrue(text.contains("?? ? Zoë"), "characters the font lacks print as '?': " + text.substring(0, 400));
            assertTrue(text.contains("regel 1 regel 2"));
            assertTrue(doc.getNumberOfPages() >= 2, "4000 characters of threat wrap onto more lines and pages");
            render(doc, "en-odd");
        }
        AlertHistory noCarrier = new AlertHistory(h.alertId(), h.type(), h.deviceId(), null, null, h.press(), List.of(),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), h.verification());
        assertTrue(html(noCarrier, ReportLanguage.NL, null).contains("niet aan een geregistreerde draagster of drager"));
        FollowUpReport.render(noCarrier, ReportLanguage.NL, FollowUpReport.Format.PDF, GENERATED);
    }

    @Test
    void deviceClockAtI64Max_showsTheReceiveTimeAndSaysTheClockWasWrong_inBothLanguagesAndFormats() throws Exception {
        AlertHistory.Press p = history.press();
        Instant impossible = Instant.ofEpochMilli(Long.MAX_VALUE);
        AlertHistory.Press wrongClock = new AlertHistory.Press(p.sequence(), p.eventId(), p.counter(), impossible,
                p.receiveTime());
        AlertHistory.Press repeat = new AlertHistory.Press(p.sequence() + 1, UUID.randomUUID(), p.counter() + 1,
                Instant.parse("1970-01-01T00:00:00Z"), p.receiveTime().plusSeconds(5));
        AlertHistory h = new AlertHistory(history.alertId(), history.type(), history.deviceId(), history.region(),
                history.carrier(), wrongClock, List.of(repeat), history.track(), history.cancels(),
                history.deliveries(), history.escalations(), history.shed(), history.lifecycle(),
                history.verification());
        String en = html(h, ReportLanguage.EN, "report-en-wrong-clock.html");
        String nl = html(h, ReportLanguage.NL, null);
        for (String report : List.of(en, nl)) {
            assertFalse(report.contains("292278994"), "the raw impossible year is never shown");
            assertFalse(report.contains("1970"), "nor the epoch of a clock that was never set");
        }
        assertTrue(en.contains("device clock wrong: no usable device time"), "the difference says why");
        assertEquals(2, count(en, "(receive time; the device clock was wrong)"), "the press and the repeat");
        assertTrue(nl.contains("klok van het apparaat onjuist: geen bruikbare apparaattijd"));
        assertEquals(2, count(nl, "(ontvangsttijd; de klok van het apparaat was onjuist)"));
        try (PDDocument doc = Loader.loadPDF(FollowUpReport.render(h, ReportLanguage.EN, FollowUpReport.Format.PDF,
                GENERATED))) {
            String text = text(doc);
            assertFalse(text.contains("292278994"));
            assertTrue(text.contains("device clock wrong"), text.substring(0, 400));
        }
    }

    // ----------------------------------------------------------------------------------- helpers

    private static String html(AlertHistory h, ReportLanguage language, String saveAs) throws IOException {
        byte[] bytes = FollowUpReport.render(h, language, FollowUpReport.Format.HTML, GENERATED);
        if (saveAs != null) {
            Files.write(OUT.resolve(saveAs), bytes);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Text in drawing order (a wrapped table cell stays together), whitespace folded to single spaces, and a
     * line break after a hyphen undone.
     */
    private static String text(PDDocument doc) throws IOException {
        PDFTextStripper stripper = new PDFTextStripper();
        stripper.setSortByPosition(false);
        return stripper.getText(doc).replaceAll("\\s+", " ").replace("- ", "-"); // a cell may wrap after a hyphen
    }

    private static void render(PDDocument doc, String name) throws IOException {
        PDFRenderer renderer = new PDFRenderer(doc);
        for (int page = 0; page < doc.getNumberOfPages(); page++) {
            BufferedImage image = renderer.renderImageWithDPI(page, 100);
            ImageIO.write(image, "png", OUT.resolve("report-" + name + "-page" + (page + 1) + ".png").toFile());
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    /**
     * Changes one byte in the middle of the body of record {@code sequence} in its segment file (the
     * format of docs/event-log.md: 16-byte header, then u32 length, u32 CRC, body starting with u64 sequence).
     */
    private static void flipByteInRecord(Path logDir, long sequence) throws IOException {
        try (Stream<Path> files = Files.list(logDir)) {
            for (Path segment : (Iterable<Path>) files.filter(p -> p.getFileName().toString().startsWith("segment-"))::iterator) {
                byte[] bytes = Files.readAllBytes(segment);
                ByteBuffer in = ByteBuffer.wrap(bytes);
                int position = 16;
                while (position + 16 <= bytes.length) {
                    int length = in.getInt(position);
                    if (in.getLong(position + 8) == sequence) {
                        int victim = position + 8 + length - 5; // inside the payload, near its end
                        bytes[victim] ^= 0x20;
                        Files.write(segment, bytes);
                        return;
                    }
                    position += 8 + length;
                }
            }
        }
        throw new IllegalStateException("record " + sequence + " not found in " + logDir);
    }
}
