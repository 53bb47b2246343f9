package nl.aware.gateway.cli;

import nl.aware.records.history.AlertScenario;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code aware log report} on a data directory laid out like a deployment's, holding a real log. */
class ReportCommandTest {
    @TempDir
    static Path data;
    static AlertScenario scenario;

    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void deployment() throws Exception {
        scenario = AlertScenario.write(data); // data/log, data/keys, data/ca.pem
        Files.createDirectories(data.resolve("pki"));
        Files.copy(scenario.caPem, data.resolve("pki/ca.pem"));
    }

    private int aware(String... args) {
        CommandLine commandLine = AwareCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private int report(UUID alert, String lang, String format, Path file) {
        return aware("log", "report", "--data-dir", data.toString(), "--key-dir", data.resolve("keys").toString(),
                "--alert", alert.toString(), "--lang", lang, "--format", format, "--out", file.toString());
    }

    @Test
    void writesTheEnglishHtmlReport() throws Exception {
        Path file = dir.resolve("report.html");
        assertEquals(0, report(scenario.alertId, "en", "html", file), err::toString);
        String html = Files.readString(file);
        assertTrue(html.contains("Record verified"), "verified against the deployment's CA");
        assertTrue(html.contains("issued by the Kadera device CA"));
        assertTrue(html.contains("Closed by the control room"));
        assertTrue(out.toString().contains("record verified"), out::toString);
    }

    @Test
    void writesTheDutchPdfReport() throws Exception {
        Path file = dir.resolve("rapport.pdf");
        assertEquals(0, report(scenario.alertId, "NL", "pdf", file), err::toString);
        byte[] pdf = Files.readAllBytes(file);
        assertEquals("%PDF-", new String(pdf, 0, 5, StandardCharsets.US_ASCII));
    }

    @Test
    void unknownAlert_exitsOne() {
        assertEquals(AwareCommand.CHECK_FAILED, report(UUID.randomUUID(), "en", "html", dir.resolve("x.html")));
        assertTrue(err.toString().contains("no alert"), err::toString);
        assertFalse(Files.exists(dir.resolve("x.html")));
    }

    @Test
    void repeatedPressId_isNoAlert_exitsOne_andWritesNothing() {
        assertEquals(AwareCommand.CHECK_FAILED, report(scenario.repeatId, "en", "html", dir.resolve("x.html")));
        assertTrue(err.toString().contains("not that of a repeated press"), err::toString);
        assertFalse(Files.exists(dir.resolve("x.html")));
    }

    @Test
    void unknownLanguage_isAUsageError() {
        assertEquals(AwareCommand.USAGE, report(scenario.alertId, "de", "html", dir.resolve("x.html")));
        assertTrue(err.toString().contains("choose nl or en"), err::toString);
    }

    @Test
    void existingFile_isNotOverwritten() throws Exception {
        Path file = dir.resolve("taken.pdf");
        Files.writeString(file, "keep me");
        assertEquals(AwareCommand.ENVIRONMENT, report(scenario.alertId, "en", "pdf", file));
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void missingKeyDirectory_exitsThree() {
        assertEquals(AwareCommand.ENVIRONMENT, aware("log", "report", "--data-dir", data.toString(), "--key-dir",
                dir.resolve("no-keys").toString(), "--alert", scenario.alertId.toString(), "--out",
                dir.resolve("r.pdf").toString()));
    }
}
