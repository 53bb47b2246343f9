package nl.aware.records.report;

import nl.aware.core.pki.Pem;
import nl.aware.records.history.AlertHistory;
import nl.aware.records.history.AlertHistoryReader;
import nl.aware.records.history.AudioAlertScenario;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The follow-up report lists an alert's recordings and who asked to listen in live, in both languages and formats. */
class RecordingsReportTest {
    static final Instant GENERATED = Instant.parse("2026-11-25T15:00:00Z");

    @TempDir
    static Path dir;
    static AlertHistory history;

    static final List<String> ENGLISH = List.of("Recordings", "After the press (device)",
            "Listening in, asked by operator.jansen", "frame 2 missing", "ended by the device",
            "cut off (no last frame)", "1.2 s", "800 ms",
            "Listening in live was asked by operator.jansen at", "for at most 30 s",
            "operator.devries listened in live from", "for 12 s (stopped by the operator; joined the recording");
    static final List<String> DUTCH = List.of("Opnamen", "Na de druk op de knop (apparaat)",
            "Meeluisteren, gevraagd door operator.jansen", "frame 2 ontbreekt", "beëindigd door het apparaat",
            "afgebroken (geen laatste frame)", "1,2 s", "800 ms",
            "Live meeluisteren werd gevraagd door operator.jansen om", "voor hoogstens 30 s",
            "operator.devries luisterde live mee vanaf", "12 s lang (gestopt door de centralist; aangesloten bij");

    @BeforeAll
    static void read() throws Exception {
        AudioAlertScenario scenario = AudioAlertScenario.write(dir);
        history = AlertHistoryReader.read(scenario.logDir, scenario.keys, Pem.readCertificate(scenario.caPem),
                scenario.alertId);
    }

    private static String html(ReportLanguage language) throws Exception {
        return new String(FollowUpReport.render(history, language, FollowUpReport.Format.HTML, GENERATED),
                StandardCharsets.UTF_8);
    }

    private static String pdf(ReportLanguage language) throws Exception {
        try (PDDocument doc = Loader.loadPDF(FollowUpReport.render(history, language, FollowUpReport.Format.PDF,
                GENERATED))) {
            return new PDFTextStripper().getText(doc).replaceAll("\\s+", " ");
        }
    }

    @Test
    void englishHtml_listsEachRecordingWithItsGapAndWhoAskedToListen() throws Exception {
        String html = html(ReportLanguage.EN);
        for (String phrase : ENGLISH) {
            assertTrue(html.contains(HtmlReportWriter.esc(phrase)), () -> "English HTML lacks: " + phrase);
        }
    }

    @Test
    void dutchHtml_saysTheSameInDutch() throws Exception {
        String html = html(ReportLanguage.NL);
        for (String phrase : DUTCH) {
            assertTrue(html.contains(HtmlReportWriter.esc(phrase)), () -> "Dutch HTML lacks: " + phrase);
        }
    }

    @Test
    void englishPdf_saysWhatTheHtmlSays() throws Exception {
        String text = pdf(ReportLanguage.EN);
        for (String phrase : ENGLISH) {
            assertTrue(text.contains(phrase), () -> "English PDF lacks: " + phrase + "\n" + text);
        }
    }

    @Test
    void dutchPdf_saysWhatTheHtmlSays() throws Exception {
        String text = pdf(ReportLanguage.NL);
        for (String phrase : DUTCH) {
            assertTrue(text.contains(phrase), () -> "Dutch PDF lacks: " + phrase + "\n" + text);
        }
    }

    @Test
    void anAlertWithoutSound_saysNoneWasRecordedAndNobodyListened() throws Exception {
        AlertHistory silent = new AlertHistory(history.alertId(), history.type(), history.deviceId(), history.region(),
                history.carrier(), history.press(), history.repeatedPresses(), history.track(), history.cancels(),
                history.deliveries(), history.escalations(), history.shed(), history.lifecycle(), history.verification());
        String html = new String(FollowUpReport.render(silent, ReportLanguage.EN, FollowUpReport.Format.HTML, GENERATED),
                StandardCharsets.UTF_8);
        assertTrue(html.contains("No sound was recorded for this alert."));
        assertTrue(html.contains("Nobody asked to listen in live through the server."));
    }
}
