package nl.aware.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code aware carrier register --records-after-press} and {@code aware carrier consent} offline, on real files
 * (issue 14). Through a running server: {@code AdministrationCommandsTest}.
 */
class CarrierConsentCommandTest {
    @TempDir
    Path dir;
    private Path data;
    private Path keys;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void deployment() {
        data = dir.resolve("data");
        keys = dir.resolve("keys");
        assertEquals(0, aware("ca", "init", "--data-dir", data.toString()), () -> err.toString());
        assertEquals(0, aware("keys", "init", "--key-dir", keys.toString()), () -> err.toString());
    }

    private int aware(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine commandLine = AwareCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private String register(String... extra) {
        String[] base = {"carrier", "register", "--key-dir", keys.toString(), "--data-dir", data.toString(), "--region",
                "twente", "--name", "Jolien de Vries", "--intake-done", "--lives-in-region", "--agrees-to-report",
                "--realistic-risk", "--no-contact"};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        assertEquals(0, aware(args), () -> err.toString());
        Matcher id = Pattern.compile("registered carrier ([0-9a-f-]{36})").matcher(out.toString());
        assertTrue(id.find(), out.toString());
        return id.group(1);
    }

    private int consent(String carrierId, String... extra) {
        String[] base = {"carrier", "consent", "--key-dir", keys.toString(), "--data-dir", data.toString(), "--id",
                carrierId};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return aware(args);
    }

    @Test
    void registeredWithoutTheOption_showsNo() {
        String carrierId = register();

        assertEquals(0, consent(carrierId), () -> err.toString());

        assertEquals("carrier " + carrierId + ": records after a press: no", out.toString().strip());
    }

    @Test
    void registeredWithYes_showsYes() {
        String carrierId = register("--records-after-press", "yes");

        assertEquals(0, consent(carrierId), () -> err.toString());

        assertTrue(out.toString().contains("records after a press: yes"), out.toString());
    }

    @Test
    void setToYesThenNo_isKeptInTheLog_andShownSo() {
        String carrierId = register();
        assertEquals(0, consent(carrierId, "--records-after-press", "yes"), () -> err.toString());
        assertEquals(0, consent(carrierId), () -> err.toString());
        assertTrue(out.toString().contains("records after a press: yes"), out.toString());

        assertEquals(0, consent(carrierId, "--records-after-press", "no"), () -> err.toString());
        assertEquals(0, consent(carrierId), () -> err.toString());

        assertTrue(out.toString().contains("records after a press: no"), out.toString());
    }

    @Test
    void shownConsent_printsNothingElseOfTheRecord() {
        String carrierId = register("--records-after-press", "yes");

        consent(carrierId);

        assertFalse(out.toString().contains("Jolien") || out.toString().contains("twente"), out.toString());
    }

    @Test
    void valueOtherThanYesOrNo_isAUsageErrorNamingIt() {
        String carrierId = register();

        assertEquals(AwareCommand.USAGE, consent(carrierId, "--records-after-press", "true"));

        assertTrue(err.toString().contains("'--records-after-press': expected one of [yes, no] (case-sensitive) but was 'true'"),
                err.toString());
    }

    @Test
    void carrierIdThatIsNotAUuid_isAUsageError() {
        assertEquals(AwareCommand.USAGE, consent("carrier-7"));
        assertTrue(err.toString().contains("'carrier-7' is not a carrier id"), err.toString());
    }

    @Test
    void unknownCarrier_exits1NamingIt() {
        register();

        assertEquals(AwareCommand.CHECK_FAILED, consent("00000000-0000-0000-0000-000000000000", "--records-after-press",
                "yes"));

        assertTrue(err.toString().contains("no carrier 00000000-0000-0000-0000-000000000000"), err.toString());
    }

    @Test
    void help_exitsZero() {
        assertEquals(0, aware("carrier", "consent", "--help"));
        assertTrue(out.toString().contains("--records-after-press"), out.toString());
    }
}
