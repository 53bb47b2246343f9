package nl.aware.gateway.cli;

import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.staff.AccessOutcome;
import nl.aware.gateway.testing.TestAuthenticator;
import nl.aware.gateway.testing.TestServer;
import java.nio.file.Files;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.web.staff.StaffApiSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code aware staff} against a real server's staff API over TLS, passwords on standard input. */
class StaffCommandTest {
    private static final String ROOT_PASSWORD = "root passphrase for the test";
    private static final String SAM_PASSWORD = "sam passphrase for the test";

    @TempDir
    Path dir;
    private final nl.aware.core.testing.MutableClock clock = new nl.aware.core.testing.MutableClock(
            java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    private final TestAuthenticator totp = new TestAuthenticator(clock);
    private TestServer server;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void deployment() throws Exception {
        server = TestServer.create(dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int aware(String stdin, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine commandLine = AwareCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return commandLine.execute(args);
        } finally {
            System.setIn(original);
        }
    }

    private String[] as(String user, String... command) {
        List<String> args = new ArrayList<>(List.of("staff"));
        args.addAll(List.of(command));
        args.addAll(List.of("--server", "https://localhost:" + server.server().staffApiAddress().getPort(),
                "--ca", server.caCertificateFile().toString(), "--user", user, "--password-stdin", "--totp-stdin"));
        return args.toArray(String[]::new);
    }

    private void bootstrapAndStart() throws Exception {
        assertEquals(0, aware(ROOT_PASSWORD + "\n", "staff", "bootstrap", "--data-dir", server.data().root().toString(),
                "--key-dir", server.keys().directory().toString(), "--user", "root", "--password-stdin"), () -> err.toString());
        assertTrue(out.toString().contains("administrator root created"), out.toString());
        server.clock(clock).staffApi(StaffApiSettings.loopback(0)).start();
        enrol("root", ROOT_PASSWORD);
        assertEquals(0, aware(signIn("root", ROOT_PASSWORD) + SAM_PASSWORD + "\n",
                as("root", "accounts", "create", "sam", "--role", "staff", "--new-password-stdin")), () -> err.toString());
        assertTrue(out.toString().contains("account sam created with role staff"), out.toString());
        enrol("sam", SAM_PASSWORD);
    }

    /** The first sign-in, through the API as the console would do it: the person's app gets the secret. */
    private void enrol(String user, String password) throws Exception {
        StaffClient api = new StaffClient(java.net.URI.create("https://localhost:"
                + server.server().staffApiAddress().getPort()), server.ca().certificate());
        api.login(user, password.toCharArray(), totp.of(user));
    }

    /** Standard input for a command: the password, then the app's current code. */
    private String signIn(String user, String password) {
        return password + "\n" + totp.codeNow(user) + "\n";
    }

    @Test
    void help_exitsZeroOnEveryStaffCommand() {
        for (String[] command : new String[][] {{"staff", "--help"}, {"staff", "bootstrap", "--help"},
                {"staff", "accounts", "list", "--help"}, {"staff", "accounts", "create", "--help"},
                {"staff", "accounts", "disable", "--help"}, {"staff", "accounts", "reset-password", "--help"},
                {"staff", "devices", "--help"}, {"staff", "carriers", "--help"}, {"staff", "audit", "--help"},
                {"staff", "password", "--help"}, {"staff", "alerts", "--help"}, {"staff", "alerts", "list", "--help"},
                {"staff", "alerts", "show", "--help"}, {"staff", "alerts", "report", "--help"},
                {"staff", "alerts", "evidence", "--help"}}) {
            assertEquals(0, aware("", command), String.join(" ", command));
        }
    }

    @Test
    void staffMember_readsACarrierRecord_andTheReadIsInTheTrail() throws Exception {
        bootstrapAndStart();
        UUID carrierId = server.server().registerCarrier(Region.TWENTE, new CarrierProfile("Marloes Bakker", "", "", "",
                "", "", new CarrierProfile.Eligibility(true, true, true, true, true))).join();

        assertEquals(0, aware(signIn("sam", SAM_PASSWORD), as("sam", "carriers", carrierId.toString())), () -> err.toString());

        assertTrue(out.toString().contains("\"name\" : \"Marloes Bakker\""), out.toString());
        assertTrue(server.log().events().stream().anyMatch(e -> e instanceof Event.StaffAccess a
                && a.username().equals("sam") && a.action().equals("carrier.read")
                && a.subject().equals(carrierId.toString()) && a.outcome() == AccessOutcome.ALLOWED));
        assertTrue(server.log().events().stream().anyMatch(e -> e instanceof Event.StaffAccess a
                && a.username().equals("sam") && a.action().equals("session.logout")), "the command logs out");
    }

    @Test
    void staffMember_listsAlertsAndWritesAReport_neverOverAnExistingFile() throws Exception {
        bootstrapAndStart();
        long deviceId = 0x00c0ffee00000001L;
        IssuedCredential credential = server.enroll(deviceId, Region.TWENTE);
        UUID alertId;
        try (TestDevice device = TestDevice.connect(server.server().address(), deviceId, credential,
                server.ca().certificate())) {
            device.send(device.panic(1));
            alertId = device.nextAck().eventId();
        }

        assertEquals(0, aware(signIn("sam", SAM_PASSWORD), as("sam", "alerts", "list", "--open")), () -> err.toString());
        assertTrue(out.toString().startsWith(alertId.toString()), out.toString());

        Path report = dir.resolve("report-en.pdf");
        assertEquals(0, aware(signIn("sam", SAM_PASSWORD), as("sam", "alerts", "report", alertId.toString(), "--lang", "en",
                "--out", report.toString())), () -> err.toString());
        assertEquals("%PDF", new String(Files.readAllBytes(report), 0, 4, StandardCharsets.US_ASCII));
        assertTrue(server.log().events().stream().anyMatch(e -> e instanceof Event.StaffAccess a
                && a.username().equals("sam") && a.action().equals("report.read")
                && a.subject().equals(alertId.toString()) && a.outcome() == AccessOutcome.ALLOWED));

        long before = Files.size(report);
        assertEquals(AwareCommand.ENVIRONMENT, aware(signIn("sam", SAM_PASSWORD), as("sam", "alerts", "report",
                alertId.toString(), "--out", report.toString())), "an existing file is not overwritten");
        assertEquals(before, Files.size(report));
        assertTrue(err.toString().contains(report.toString()), err.toString());
    }

    @Test
    void staffMember_askingForTheTrail_isRefusedWithExit1() throws Exception {
        bootstrapAndStart();

        assertEquals(AwareCommand.CHECK_FAILED, aware(signIn("sam", SAM_PASSWORD), as("sam", "audit")));

        assertTrue(err.toString().contains("refused by the server (HTTP 403): your role may not do this"), err.toString());
    }

    @Test
    void administrator_listsAccounts() throws Exception {
        bootstrapAndStart();

        assertEquals(0, aware(signIn("root", ROOT_PASSWORD), as("root", "accounts", "list")), () -> err.toString());

        assertTrue(out.toString().matches("(?s).*root\\s+administrator\\s+enabled.*by bootstrap.*"), out.toString());
        assertTrue(out.toString().matches("(?s).*sam\\s+staff\\s+enabled.*by root.*"), out.toString());
    }

    @Test
    void staffMember_changesTheirOwnPassword() throws Exception {
        bootstrapAndStart();
        String fresh = "sam's very own new passphrase";

        assertEquals(0, aware(signIn("sam", SAM_PASSWORD) + fresh + "\n", as("sam", "password", "--new-password-stdin")),
                () -> err.toString());

        assertTrue(out.toString().contains("password changed"), out.toString());
        assertEquals("", err.toString(), "the ended session needs no logout");
        assertEquals(AwareCommand.CHECK_FAILED, aware(signIn("sam", SAM_PASSWORD), as("sam", "devices")));
        assertEquals(0, aware(signIn("sam", fresh), as("sam", "devices")), () -> err.toString());
    }

    @Test
    void wrongPassword_exits1WithTheServersReason() throws Exception {
        bootstrapAndStart();

        assertEquals(AwareCommand.CHECK_FAILED, aware("not the password at all\n", as("sam", "devices")));

        assertTrue(err.toString().contains("HTTP 401"), err.toString());
        assertFalse(err.toString().contains("not the password"), err.toString());
    }

    @Test
    void missingCaFile_exits3() throws Exception {
        bootstrapAndStart();
        String[] args = as("sam", "devices");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--ca")) {
                args[i + 1] = dir.resolve("nowhere.pem").toString();
            }
        }

        assertEquals(AwareCommand.ENVIRONMENT, aware(signIn("sam", SAM_PASSWORD), args));
        assertTrue(err.toString().contains("nowhere.pem"), err.toString());
    }

    @Test
    void serverTrustedThroughAnotherCa_isRefusedWithExit3() throws Exception {
        bootstrapAndStart();
        Path otherCa = dir.resolve("other-ca.pem");
        nl.aware.core.pki.CertificateAuthority.create("Someone else's CA", java.time.Duration.ofDays(1))
                .save(otherCa, dir.resolve("other-ca.key.pem"));
        String[] args = as("sam", "devices");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--ca")) {
                args[i + 1] = otherCa.toString();
            }
        }

        assertEquals(AwareCommand.ENVIRONMENT, aware(signIn("sam", SAM_PASSWORD), args));
        assertTrue(err.toString().contains("no TLS 1.3 connection to the staff API"), err.toString());
    }

    @Test
    void serverNotRunning_exits3WithAHint() throws Exception {
        bootstrapAndStart();
        String[] args = as("sam", "devices");
        server.close();

        assertEquals(AwareCommand.ENVIRONMENT, aware(signIn("sam", SAM_PASSWORD), args));
        assertTrue(err.toString().contains("cannot reach the staff API"), err.toString());
    }

    @Test
    void noPasswordSource_isAUsageError() throws Exception {
        bootstrapAndStart();
        List<String> args = new ArrayList<>(List.of(as("sam", "devices")));
        args.remove("--password-stdin");

        assertEquals(AwareCommand.USAGE, aware("", args.toArray(String[]::new)));
        assertTrue(err.toString().contains("no password"), err.toString());
    }

    @Test
    void noCodeSource_isAUsageErrorNamingTheCodeOption() throws Exception {
        bootstrapAndStart();
        List<String> args = new ArrayList<>(List.of(as("sam", "devices")));
        args.remove("--totp-stdin");

        assertEquals(AwareCommand.USAGE, aware(SAM_PASSWORD + "\n", args.toArray(String[]::new)));
        assertTrue(err.toString().contains("no authenticator code: no console to ask on; use --totp-stdin or set "
                + "$AWARE_STAFF_TOTP"), err.toString());
    }

    @Test
    void bootstrapTwice_isRefused() throws Exception {
        String[] bootstrap = {"staff", "bootstrap", "--data-dir", server.data().root().toString(),
                "--key-dir", server.keys().directory().toString(), "--user", "root", "--password-stdin"};
        assertEquals(0, aware(ROOT_PASSWORD + "\n", bootstrap), () -> err.toString());

        assertEquals(AwareCommand.ENVIRONMENT, aware(ROOT_PASSWORD + "\n", bootstrap));
        assertTrue(err.toString().contains("an administrator exists already"), err.toString());
    }

    @Test
    void bootstrapWithAWeakPassword_namesTheRule() {
        assertEquals(AwareCommand.ENVIRONMENT, aware("short\n", "staff", "bootstrap", "--data-dir",
                server.data().root().toString(), "--key-dir", server.keys().directory().toString(), "--user", "root",
                "--password-stdin"));
        assertTrue(err.toString().contains("at least 15 characters"), err.toString());
    }
}
