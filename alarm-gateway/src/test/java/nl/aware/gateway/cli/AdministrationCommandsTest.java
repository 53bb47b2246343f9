package nl.aware.gateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import nl.aware.core.event.Event;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.staff.AccessOutcome;
import nl.aware.core.testing.MutableClock;
import nl.aware.gateway.StaffBootstrap;
import nl.aware.gateway.testing.TestAuthenticator;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import nl.aware.web.staff.StaffApiSettings;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The administrative {@code aware} commands while a server holds the log: they go through its staff API,
 * signed in with password and second factor, and the server (same process) acts at once.
 */
class AdministrationCommandsTest {
    private static final String ROOT_PASSWORD = "root passphrase for the test";
    private static final String SAM_PASSWORD = "sam passphrase for the test";
    private static final String AUDREY_PASSWORD = "audrey passphrase for the test";

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    private final TestAuthenticator totp = new TestAuthenticator(clock);
    private TestServer server;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void runningServer() throws Exception {
        server = TestServer.create(dir);
        StaffBootstrap.createFirstAdministrator(server.data(), server.keys(), "root", ROOT_PASSWORD.toCharArray(), clock);
        server.clock(clock).staffApi(StaffApiSettings.loopback(0)).start();
        StaffClient api = new StaffClient(java.net.URI.create("https://localhost:"
                + server.server().staffApiAddress().getPort()), server.ca().certificate());
        String root = api.login("root", ROOT_PASSWORD.toCharArray(), totp.of("root"));
        ObjectMapper json = new ObjectMapper();
        api.post("/staff/v1/accounts", root, json.createObjectNode().put("username", "sam").put("role", "staff")
                .put("password", SAM_PASSWORD));
        api.post("/staff/v1/accounts", root, json.createObjectNode().put("username", "audrey").put("role", "auditor")
                .put("password", AUDREY_PASSWORD));
        api.login("sam", SAM_PASSWORD.toCharArray(), totp.of("sam"));
        api.login("audrey", AUDREY_PASSWORD.toCharArray(), totp.of("audrey"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int aware(String stdin, List<String> args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine commandLine = AwareCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return commandLine.execute(args.toArray(String[]::new));
        } finally {
            System.setIn(original);
        }
    }

    /** A command on this deployment, signed in as {@code user} (password and code on standard input). */
    private int as(String user, String password, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of("--data-dir", server.data().root().toString(), "--key-dir", server.keys().directory().toString(),
                "--server", "https://localhost:" + server.server().staffApiAddress().getPort(),
                "--user", user, "--password-stdin", "--totp-stdin"));
        return aware(password + "\n" + totp.codeNow(user) + "\n", args);
    }

    private UUID register() {
        assertEquals(0, as("sam", SAM_PASSWORD, "carrier", "register", "--region", "twente", "--name", "Marloes Bakker",
                "--intake-done", "--lives-in-region", "--agrees-to-report", "--realistic-risk", "--no-contact"),
                () -> err.toString());
        Matcher id = Pattern.compile("registered carrier ([0-9a-f-]{36}) in twente through the running server")
                .matcher(out.toString());
        assertTrue(id.find(), out.toString());
        return UUID.fromString(id.group(1));
    }

    @Test
    void carrierRegister_goesThroughTheRunningServer_underTheSignedInName() {
        UUID carrierId = register();

        assertTrue(server.server().state().carriers().find(carrierId).isPresent(), "the server knows it at once");
        assertTrue(server.log().events().stream().anyMatch(e -> e instanceof Event.StaffAccess a
                && a.username().equals("sam") && a.action().equals("carrier.register") && a.outcome() == AccessOutcome.ALLOWED));
    }

    @Test
    void carrierConsent_setThroughTheRunningServer_underTheSignedInName_andShownBack() {
        UUID carrierId = register();

        assertEquals(0, as("sam", SAM_PASSWORD, "carrier", "consent", "--id", carrierId.toString(),
                "--records-after-press", "yes"), () -> err.toString());

        assertTrue(server.server().state().carriers().find(carrierId).orElseThrow().profile().recordsAfterPress());
        assertTrue(server.log().events().stream().anyMatch(e -> e instanceof Event.StaffAccess a
                && a.username().equals("sam") && a.action().equals("carrier.consent") && a.outcome() == AccessOutcome.ALLOWED));
        assertEquals(0, as("sam", SAM_PASSWORD, "carrier", "consent", "--id", carrierId.toString()), () -> err.toString());
        assertTrue(out.toString().contains("records after a press: yes (through the running server)"), out.toString());
    }

    @Test
    void carrierConsent_byAnAuditor_isRefusedByTheServer_exit1() {
        UUID carrierId = register();

        assertEquals(AwareCommand.CHECK_FAILED, as("audrey", AUDREY_PASSWORD, "carrier", "consent", "--id",
                carrierId.toString(), "--records-after-press", "yes"));

        assertFalse(server.server().state().carriers().find(carrierId).orElseThrow().profile().recordsAfterPress());
    }

    @Test
    void carrierRegister_notEligible_exits1NamingTheCriterion_andRegistersNothing() {
        assertEquals(AwareCommand.CHECK_FAILED, as("sam", SAM_PASSWORD, "carrier", "register", "--region", "twente",
                "--name", "Marloes Bakker", "--intake-done", "--lives-in-region", "--agrees-to-report", "--no-contact"));

        assertTrue(err.toString().contains("not eligible for an AWARE alarm; not met: realistic risk of meeting the "
                + "aggressor"), err.toString());
        assertEquals(0, server.server().state().carriers().size());
    }

    @Test
    void deviceEnroll_fromTheDevicesCsr_writesItsCertificate_andTheDeviceIsAcked() throws Exception {
        UUID carrierId = register();
        long deviceId = 0x00e0000000000001L;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = generator.generateKeyPair();
        Path csr = dir.resolve("device.csr");
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + DeviceIds.format(deviceId)),
                    key.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
        }
        Files.writeString(csr, pem.toString());
        Path handed = dir.resolve("handed");

        assertEquals(0, as("sam", SAM_PASSWORD, "device", "enroll", "--id", DeviceIds.format(deviceId), "--carrier",
                carrierId.toString(), "--out", handed.toString(), "--csr", csr.toString()), () -> err.toString());

        X509Certificate certificate = nl.aware.core.pki.Pem.readCertificate(handed.resolve(DeviceIds.format(deviceId) + ".pem"));
        assertTrue(Files.exists(handed.resolve("ca.pem")));
        try (TestDevice device = TestDevice.connect(server.server().address(), deviceId,
                new IssuedCredential(certificate, key.getPrivate(), server.ca().certificate()), server.ca().certificate())) {
            device.send(device.panic(1));
            assertFalse(device.nextAck().duplicate());
        }
    }

    @Test
    void deviceEnroll_withoutCsr_writesAOneTimeKeyStoreReadableByItsOwnerOnly_andPrintsThePasswordOnce() throws Exception {
        UUID carrierId = register();
        String id = "00e0000000000002";
        Path handed = dir.resolve("handed");

        assertEquals(0, as("sam", SAM_PASSWORD, "device", "enroll", "--id", id, "--carrier", carrierId.toString(),
                "--out", handed.toString()), () -> err.toString());

        Matcher password = Pattern.compile("PKCS#12 password \\(shown once, kept nowhere\\): (\\S{20})").matcher(out.toString());
        assertTrue(password.find(), out.toString());
        Path p12 = handed.resolve(id + ".p12");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p12)));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, password.group(1).toCharArray());
        }
        assertTrue(store.getKey(id, password.group(1).toCharArray()) instanceof PrivateKey);
    }

    @Test
    void deviceRevoke_throughTheRunningServer_closesTheOpenConnection() throws Exception {
        UUID carrierId = register();
        long deviceId = 0x00e0000000000003L;
        IssuedCredential credential = server.enroll(deviceId);
        server.server().assign(deviceId, carrierId).join();
        try (TestDevice device = TestDevice.connect(server.server().address(), deviceId, credential,
                server.ca().certificate())) {
            device.send(device.heartbeat(1));
            device.nextAck();

            assertEquals(0, as("sam", SAM_PASSWORD, "device", "revoke", "--id", DeviceIds.format(deviceId), "--reason",
                    "reported lost"), () -> err.toString());

            assertTrue(out.toString().contains("revoked device " + DeviceIds.format(deviceId) + " through the running server"));
            assertTrue(device.awaitClosed(Duration.ofSeconds(1)));
        }
    }

    @Test
    void retentionHold_throughTheRunningServer_recordsTheSignedInAuditor() throws Exception {
        UUID carrierId = register();
        long deviceId = 0x00e0000000000004L;
        IssuedCredential credential = server.enroll(deviceId);
        server.server().assign(deviceId, carrierId).join();
        UUID alertId;
        try (TestDevice device = TestDevice.connect(server.server().address(), deviceId, credential,
                server.ca().certificate())) {
            device.send(device.panic(1));
            alertId = device.nextAck().eventId();
        }

        assertEquals(0, as("audrey", AUDREY_PASSWORD, "retention", "hold", "--alert", alertId.toString(), "--reason",
                "case 2026-0412", "--by", "whoever"), () -> err.toString());

        assertTrue(server.log().events().contains(new Event.LegalHoldPlaced(alertId, "audrey", "case 2026-0412")));
        assertEquals(AwareCommand.CHECK_FAILED, as("sam", SAM_PASSWORD, "retention", "release", "--alert",
                alertId.toString(), "--reason", "done", "--by", "sam"));
        assertTrue(err.toString().contains("HTTP 403"), err.toString());
    }

    @Test
    void withoutAnAccount_whileAServerHoldsTheLog_isAUsageErrorSayingHowToSignIn() {
        List<String> args = List.of("device", "revoke", "--data-dir", server.data().root().toString(), "--key-dir",
                server.keys().directory().toString(), "--id", "00e0000000000009", "--reason", "lost");

        assertEquals(AwareCommand.USAGE, aware("", args));
        assertTrue(err.toString().contains("sign in with --user NAME"), err.toString());
    }
}
