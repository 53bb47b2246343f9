package nl.aware.gateway.staff;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.aware.core.event.Event;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.pki.Pem;
import nl.aware.core.staff.AccessOutcome;
import nl.aware.core.testing.MutableClock;
import nl.aware.gateway.cli.StaffClient;
import nl.aware.gateway.testing.TestAuthenticator;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.StaffDeployment;
import nl.aware.gateway.testing.TestServer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import static nl.aware.gateway.testing.StaffDeployment.carrierJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live administration through the staff API (DESIGN promise 7) on a real server: real TLS 1.3 for
 * staff and devices, certificates from the deployment's CA, real log files, one process throughout.
 */
class LiveAdministrationTest {
    private static final Logger log = LoggerFactory.getLogger(LiveAdministrationTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PHONE = 0x00d0000000000001L;
    private static final long OTHER = 0x00d0000000000002L;

    @TempDir
    Path directory;
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    private final TestAuthenticator totp = new TestAuthenticator(clock);
    private TestServer server;
    private StaffDeployment staff;
    private StaffClient client;
    private String admin;
    private String sam;

    @BeforeEach
    void start() throws Exception {
        staff = StaffDeployment.start(directory, clock, totp);
        server = staff.server;
        client = staff.client;
        admin = staff.admin;
        sam = staff.sam;
    }

    @AfterEach
    void stop() {
        staff.close();
    }

    /** What a device does: makes its key pair and asks for a certificate with a CSR. */
    private static KeyPair deviceKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String csr(KeyPair key, String commonName) throws Exception {
        var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + commonName), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(request);
        }
        return pem.toString();
    }

    /** Hands out a device from its CSR; the credential the device then holds (its own key, our certificate). */
    private IssuedCredential handOut(UUID carrierId, long deviceId) throws Exception {
        KeyPair key = deviceKey();
        StaffClient.Reply reply = client.post("/staff/v1/carriers/" + carrierId + "/devices", sam, JSON.createObjectNode()
                .put("deviceId", DeviceIds.format(deviceId)).put("csr", csr(key, DeviceIds.format(deviceId))));
        assertEquals(201, reply.status(), reply.error());
        return credential(reply.body().path("certificate").asText(), key.getPrivate());
    }

    private IssuedCredential credential(String certificatePem, PrivateKey key) throws Exception {
        X509Certificate certificate = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
        return new IssuedCredential(certificate, key, server.ca().certificate());
    }

    private TestDevice connect(long deviceId, IssuedCredential credential) throws Exception {
        return TestDevice.connect(server.server().address(), deviceId, credential, server.ca().certificate());
    }

    // --- carriers --------------------------------------------------------------------------------

    @Test
    void registerCarrier_is201_andTheRecordReadsBack_andTheCallIsInTheTrail() throws Exception {
        UUID carrierId = staff.register();

        StaffClient.Reply record = client.get("/staff/v1/carriers/" + carrierId, sam);
        assertEquals("Johanna Vermeulen", record.body().path("name").asText());
        assertEquals("ijsselland", record.body().path("region").asText());
        assertTrue(server.log().events().stream().anyMatch(e -> e instanceof Event.StaffAccess a
                && a.username().equals("sam") && a.action().equals("carrier.register") && a.outcome() == AccessOutcome.ALLOWED));
    }

    @Test
    void registerCarrier_namesEveryUnmetCriterionAndBadField_andRecordsNothing() throws Exception {
        ObjectNode body = carrierJson().put("region", "UTRECHT");
        body.remove("name");
        ((ObjectNode) body.get("eligibility")).put("realisticRisk", false).remove("livesInRegion");

        StaffClient.Reply reply = client.post("/staff/v1/carriers", sam, body);

        assertEquals(400, reply.status());
        assertTrue(reply.error().contains("region 'UTRECHT' is not served"), reply.error());
        assertTrue(reply.error().contains("\"name\""), reply.error());
        assertTrue(reply.error().contains("eligibility.livesInRegion"), reply.error());
        ObjectNode notEligible = carrierJson();
        ((ObjectNode) notEligible.get("eligibility")).put("realisticRisk", false).put("noContactWithAggressor", false);
        StaffClient.Reply unmet = client.post("/staff/v1/carriers", sam, notEligible);
        assertEquals(400, unmet.status());
        assertTrue(unmet.error().contains("realistic risk of meeting the aggressor; no contact with the ex-partner"),
                unmet.error());
        assertEquals(0, server.server().state().carriers().size());
    }

    @Test
    void editProfile_changesWhatThePoliceAreTold_butNotTheIntakesEligibility() throws Exception {
        UUID carrierId = staff.register();
        ObjectNode profile = carrierJson().put("name", "Johanna de Vries").put("policeNotes", "moved; dog in the house");
        profile.remove("region");
        profile.remove("eligibility");

        StaffClient.Reply reply = client.send("PUT", "/staff/v1/carriers/" + carrierId + "/profile", sam, profile);

        assertEquals(204, reply.status(), reply.error());
        var carrier = server.server().state().carriers().find(carrierId).orElseThrow();
        assertEquals("Johanna de Vries", carrier.profile().name());
        assertEquals("moved; dog in the house", carrier.profile().policeNotes());
        assertTrue(carrier.profile().eligibility().unmet().isEmpty());
    }

    // --- devices ---------------------------------------------------------------------------------

    @Test
    void handOutFromCsr_certifiesTheDevicesOwnKey_andItsPressIsAcked() throws Exception {
        UUID carrierId = staff.register();
        IssuedCredential credential = handOut(carrierId, PHONE);

        assertEquals(DeviceIds.format(PHONE), credential.certificate().getSubjectX500Principal().getName().substring(3));
        try (TestDevice device = connect(PHONE, credential)) {
            device.send(device.panic(1));
            assertFalse(device.nextAck().duplicate());
        }
        assertEquals(carrierId, server.server().state().carriers().ofDevice(PHONE).orElseThrow().carrierId());
    }

    @Test
    void handOutFromCsr_refusesAnotherDevicesName_aForgedSignature_andAnotherCurve() throws Exception {
        UUID carrierId = staff.register();
        String path = "/staff/v1/carriers/" + carrierId + "/devices";
        KeyPair key = deviceKey();

        StaffClient.Reply wrongName = client.post(path, sam, JSON.createObjectNode().put("deviceId", DeviceIds.format(PHONE))
                .put("csr", csr(key, DeviceIds.format(OTHER))));
        String forged = csr(key, DeviceIds.format(PHONE));
        int body = forged.indexOf('\n') + 40;
        forged = forged.substring(0, body) + (forged.charAt(body) == 'A' ? 'B' : 'A') + forged.substring(body + 1);
        StaffClient.Reply tampered = client.post(path, sam, JSON.createObjectNode().put("deviceId", DeviceIds.format(PHONE))
                .put("csr", forged));
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        StaffClient.Reply otherCurve = client.post(path, sam, JSON.createObjectNode().put("deviceId",
                DeviceIds.format(PHONE)).put("csr", csr(p384.generateKeyPair(), DeviceIds.format(PHONE))));
        StaffClient.Reply garbage = client.post(path, sam, JSON.createObjectNode().put("deviceId", DeviceIds.format(PHONE))
                .put("csr", "-----BEGIN CERTIFICATE REQUEST-----\nnot base64 at all\n-----END CERTIFICATE REQUEST-----\n"));

        assertEquals(400, wrongName.status());
        assertTrue(wrongName.error().contains("CN must be the device id " + DeviceIds.format(PHONE)), wrongName.error());
        assertEquals(400, tampered.status(), tampered.error());
        assertTrue(tampered.error().startsWith("csr: "), tampered.error());
        assertEquals(400, otherCurve.status());
        assertTrue(otherCurve.error().contains("P-256"), otherCurve.error());
        assertEquals(400, garbage.status());
        assertEquals("csr: not a readable PEM certificate request", garbage.error());
        assertTrue(server.server().state().devices().find(PHONE).isEmpty(), "nothing enrolled");
    }

    @Test
    void handOutAsPkcs12_givesAKeyStoreWhosePasswordIsShownOnce_andKeepsNoKey() throws Exception {
        UUID carrierId = staff.register();

        StaffClient.Reply reply = client.post("/staff/v1/carriers/" + carrierId + "/devices", sam, JSON.createObjectNode()
                .put("deviceId", DeviceIds.format(PHONE)).put("pkcs12", true));

        assertEquals(201, reply.status(), reply.error());
        char[] password = reply.body().path("password").asText().toCharArray();
        assertEquals(20, password.length);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new ByteArrayInputStream(Base64.getDecoder().decode(reply.body().path("pkcs12").asText())), password);
        String alias = DeviceIds.format(PHONE);
        PrivateKey key = (PrivateKey) store.getKey(alias, password);
        IssuedCredential credential = new IssuedCredential((X509Certificate) store.getCertificate(alias), key,
                server.ca().certificate());
        try (TestDevice device = connect(PHONE, credential)) {
            device.send(device.panic(1));
            assertFalse(device.nextAck().duplicate());
        }
        assertFalse(rawDataContains(key.getEncoded()), "the device key is nowhere in the data directory");
        assertFalse(rawDataContains(new String(password).getBytes(StandardCharsets.US_ASCII)), "nor its password");
    }

    @Test
    void revoke_closesTheOpenConnectionWithinOneSecond_whileAnotherDeviceKeepsBeingAcked() throws Exception {
        UUID carrierId = staff.register();
        IssuedCredential lost = handOut(carrierId, PHONE);
        IssuedCredential other = handOut(staff.register(), OTHER);
        AwareServerIdentity before = AwareServerIdentity.of(server);
        try (TestDevice taken = connect(PHONE, lost); TestDevice fine = connect(OTHER, other)) {
            taken.send(taken.heartbeat(1));
            taken.nextAck();
            fine.send(fine.panic(1));
            fine.nextAck();

            long sent = System.nanoTime();
            StaffClient.Reply revoked = client.post("/staff/v1/devices/" + DeviceIds.format(PHONE) + "/revoke", sam,
                    JSON.createObjectNode().put("reason", "taken by the aggressor"));
            long answered = System.nanoTime();
            assertEquals(204, revoked.status(), revoked.error());
            assertTrue(taken.awaitClosed(Duration.ofSeconds(1)), "closed within 1 s of the act");
            long closed = System.nanoTime();
            log.info("revocation: HTTP answer {} ms after the request, connection closed {} ms after the answer",
                    (answered - sent) / 1_000_000, (closed - answered) / 1_000_000);

            for (int counter = 2; counter <= 4; counter++) {
                fine.send(fine.heartbeat(counter));
                assertFalse(fine.nextAck().duplicate(), "another device's frames keep being ACKed");
            }
        }
        // Its certificate is dead now: a new connection gets no session (refused in the handshake, issue 11).
        TestDevice again = null;
        try {
            again = connect(PHONE, lost);
        } catch (Exception refusedInTheHandshake) {
            log.info("the revoked device's reconnection was refused in the handshake: {}", refusedInTheHandshake.toString());
        }
        if (again != null) {
            try (TestDevice refused = again) {
                refused.sendUnlessClosed(refused.panic(2));
                assertTrue(refused.awaitClosed(Duration.ofSeconds(5)), "the revoked device's new connection is closed");
                assertNull(refused.poll(), "and nothing is answered on it");
            }
        }
        assertEquals(before, AwareServerIdentity.of(server), "the server never stopped");
    }

    @Test
    void replace_handsOutTheNewDevice_andRefusesTheOldOneInTheSameAct() throws Exception {
        UUID carrierId = staff.register();
        IssuedCredential old = handOut(carrierId, PHONE);
        KeyPair key = deviceKey();
        try (TestDevice oldDevice = connect(PHONE, old)) {
            oldDevice.send(oldDevice.heartbeat(1));
            oldDevice.nextAck();

            StaffClient.Reply reply = client.post("/staff/v1/devices/" + DeviceIds.format(PHONE) + "/replace", sam,
                    JSON.createObjectNode().put("newDeviceId", DeviceIds.format(OTHER))
                            .put("csr", csr(key, DeviceIds.format(OTHER))).put("reason", "battery swollen"));

            assertEquals(201, reply.status(), reply.error());
            assertTrue(oldDevice.awaitClosed(Duration.ofSeconds(1)), "the old device's connection is closed");
            try (TestDevice fresh = connect(OTHER, credential(reply.body().path("certificate").asText(), key.getPrivate()))) {
                fresh.send(fresh.panic(1));
                assertFalse(fresh.nextAck().duplicate());
            }
        }
        assertTrue(server.server().state().devices().find(PHONE).orElseThrow().revoked());
        assertEquals(carrierId, server.server().state().carriers().ofDevice(OTHER).orElseThrow().carrierId());
    }

    @Test
    void endParticipation_revokesTheCarriersDevices_andNoDeviceCanBeHandedToThemAfter() throws Exception {
        UUID carrierId = staff.register();
        IssuedCredential credential = handOut(carrierId, PHONE);
        try (TestDevice device = connect(PHONE, credential)) {
            device.send(device.heartbeat(1));
            device.nextAck();

            StaffClient.Reply ended = client.post("/staff/v1/carriers/" + carrierId + "/end", sam,
                    JSON.createObjectNode().put("reason", "moved abroad"));

            assertEquals(204, ended.status(), ended.error());
            assertTrue(device.awaitClosed(Duration.ofSeconds(1)));
        }
        StaffClient.Reply handOut = client.post("/staff/v1/carriers/" + carrierId + "/devices", sam, JSON.createObjectNode()
                .put("deviceId", DeviceIds.format(OTHER)).put("pkcs12", true));
        assertEquals(409, handOut.status());
        assertTrue(handOut.error().contains("has ended"), handOut.error());
        assertTrue(server.log().events().contains(new Event.CarrierEnded(carrierId, "moved abroad")));
    }

    @Test
    void administrator_mayRevokeALostDevice_butNotHandOneOut() throws Exception {
        UUID carrierId = staff.register();
        handOut(carrierId, PHONE);

        assertEquals(403, client.post("/staff/v1/carriers/" + carrierId + "/devices", admin, JSON.createObjectNode()
                .put("deviceId", DeviceIds.format(OTHER)).put("pkcs12", true)).status());
        assertEquals(204, client.post("/staff/v1/devices/" + DeviceIds.format(PHONE) + "/revoke", admin,
                JSON.createObjectNode().put("reason", "reported lost at the weekend")).status());
    }

    // --- legal holds -----------------------------------------------------------------------------

    @Test
    void legalHold_placedAndReleasedLive_byAnAuditor_eachOnceAndNamed() throws Exception {
        UUID carrierId = staff.register();
        IssuedCredential credential = handOut(carrierId, PHONE);
        UUID alertId;
        try (TestDevice device = connect(PHONE, credential)) {
            device.send(device.panic(1));
            alertId = device.nextAck().eventId();
        }
        String audrey = staff.audrey();
        String path = "/staff/v1/alerts/" + alertId;
        ObjectNode reason = JSON.createObjectNode().put("reason", "case 2026-0412");

        assertEquals(204, client.post(path + "/hold", audrey, reason).status());
        StaffClient.Reply twice = client.post(path + "/hold", audrey, reason);
        assertEquals(409, twice.status());
        assertTrue(twice.error().contains("placed by audrey"), twice.error());
        assertEquals(204, client.post(path + "/release", audrey, reason).status());
        assertEquals(409, client.post(path + "/release", audrey, reason).status());
        assertEquals(404, client.post("/staff/v1/alerts/" + UUID.randomUUID() + "/hold", audrey, reason).status());
        assertEquals(403, client.post(path + "/hold", sam, reason).status());
        assertTrue(server.log().events().contains(new Event.LegalHoldPlaced(alertId, "audrey", "case 2026-0412")));
        assertTrue(server.log().events().contains(new Event.LegalHoldReleased(alertId, "audrey", "case 2026-0412")));
    }

    private boolean rawDataContains(byte[] needle) throws Exception {
        try (var files = Files.walk(server.data().root())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] haystack = Files.readAllBytes(file);
                outer:
                for (int i = 0; i + needle.length <= haystack.length; i++) {
                    for (int j = 0; j < needle.length; j++) {
                        if (haystack[i + j] != needle[j]) {
                            continue outer;
                        }
                    }
                    return true;
                }
            }
        }
        return false;
    }

    /** Same process, same server object, same device port: it never stopped. */
    private record AwareServerIdentity(long pid, Object server, int port) {
        static AwareServerIdentity of(TestServer server) {
            return new AwareServerIdentity(ProcessHandle.current().pid(), server.server(),
                    server.server().address().getPort());
        }
    }
}
