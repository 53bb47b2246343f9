package nl.aware.gateway.staff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.aware.records.evidence.BundleVerifier;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.staff.AccessOutcome;
import nl.aware.core.testing.MutableClock;
import nl.aware.gateway.ConfigurationException;
import nl.aware.gateway.StaffBootstrap;
import nl.aware.gateway.cli.StaffClient;
import nl.aware.gateway.testing.DataFiles;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestAuthenticator;
import nl.aware.gateway.testing.TestServer;
import nl.aware.web.staff.StaffApiSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The staff API end to end: a real server with its log files, real TLS 1.3 with the deployment's own
 * CA, real sockets, the same HTTPS client the command line uses. Time is a test clock.
 */
class StaffApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_PASSWORD = "admin passphrase, long enough";
    private static final String STAFF_PASSWORD = "staff passphrase, long enough";
    private static final String AUDITOR_PASSWORD = "auditor passphrase, long enough";
    private static final String CARRIER_NAME = "Johanna Vermeulen-Oosterbroek";
    private static final String CARRIER_PHONE = "+31 6 4817 2290";
    private static final long DEVICE = 0x00a1b2c3d4e5f601L;
    private static final UUID NO_ALERT = UUID.fromString("00000000-0000-4000-8000-000000000001");

    @TempDir
    Path directory;
    /** Starts now: the server stamps presses with it, and certificates are checked against those times. */
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    private final TestAuthenticator totp = new TestAuthenticator(clock);
    private TestServer server;
    private StaffClient client;
    private String admin;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.create(directory);
        StaffBootstrap.createFirstAdministrator(server.data(), server.keys(), "root", ADMIN_PASSWORD.toCharArray(), clock);
        server.clock(clock).staffApi(StaffApiSettings.loopback(0)).start();
        client = new StaffClient(java.net.URI.create("https://localhost:" + server.server().staffApiAddress().getPort()),
                server.ca().certificate());
        admin = login("root", ADMIN_PASSWORD);
        createAccount("sam", "staff", STAFF_PASSWORD);
        createAccount("audrey", "auditor", AUDITOR_PASSWORD);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Password and second factor (enrolled at the first sign-in), as a person would. */
    private String login(String username, String password) throws Exception {
        return client.login(username, password.toCharArray(), totp.of(username));
    }

    private void createAccount(String username, String role, String password) throws Exception {
        StaffClient.Reply reply = client.post("/staff/v1/accounts", admin, JSON.createObjectNode()
                .put("username", username).put("role", role).put("password", password));
        assertEquals(201, reply.status(), reply.error());
    }

    private UUID registerCarrier() {
        UUID carrierId = server.server().registerCarrier(Region.IJSSELLAND, new CarrierProfile(CARRIER_NAME, CARRIER_PHONE,
                "photo-0017", "ex-partner followed her twice", "tall, red van", "two children",
                new CarrierProfile.Eligibility(true, true, true, true, true))).join();
        server.server().assign(DEVICE, carrierId).join();
        return carrierId;
    }

    private List<Event.StaffAccess> trail() {
        List<Event.StaffAccess> trail = new ArrayList<>();
        for (Event event : server.log().events()) {
            if (event instanceof Event.StaffAccess access) {
                trail.add(access);
            }
        }
        return trail;
    }

    private boolean inTrail(String username, String action, String subject, AccessOutcome outcome) {
        return trail().stream().anyMatch(a -> a.username().equals(username) && a.action().equals(action)
                && a.subject().equals(subject) && a.outcome() == outcome);
    }

    // --- role matrix ---------------------------------------------------------------------------

    private record Call(String method, String path, String action, JsonNode body) {
    }

    /** Every route but login/logout, with the roles docs/staff-api.md says may use it. */
    private List<Call> calls(UUID carrierId) {
        ObjectNode newAccount = JSON.createObjectNode().put("role", "staff").put("password", "a brand new passphrase");
        return List.of(
                new Call("GET", "/staff/v1/accounts", "account.list", null),
                new Call("POST", "/staff/v1/accounts", "account.create", newAccount),
                new Call("POST", "/staff/v1/accounts/nobody/disable", "account.disable", null),
                new Call("POST", "/staff/v1/accounts/nobody/password", "account.password",
                        JSON.createObjectNode().put("password", "another new passphrase")),
                new Call("POST", "/staff/v1/accounts/nobody/second-factor/reset", "account.second-factor-reset", null),
                new Call("GET", "/staff/v1/me", "session.me", null),
                new Call("GET", "/staff/v1/devices", "device.list", null),
                new Call("GET", "/staff/v1/devices/" + DeviceIds.format(DEVICE), "device.read", null),
                new Call("GET", "/staff/v1/carriers", "carrier.list", null),
                new Call("GET", "/staff/v1/carriers/" + carrierId, "carrier.read", null),
                new Call("GET", "/staff/v1/audit/access", "trail.read", null),
                new Call("GET", "/staff/v1/alerts", "alert.list", null),
                new Call("GET", "/staff/v1/alerts/" + NO_ALERT, "alert.read", null),
                new Call("GET", "/staff/v1/alerts/" + NO_ALERT + "/report", "report.read", null),
                new Call("POST", "/staff/v1/alerts/" + NO_ALERT + "/evidence", "evidence.export", null),
                new Call("POST", "/staff/v1/alerts/" + NO_ALERT + "/hold", "alert.hold", reason()),
                new Call("POST", "/staff/v1/alerts/" + NO_ALERT + "/release", "alert.release", reason()),
                new Call("POST", "/staff/v1/carriers", "carrier.register", JSON.createObjectNode().put("name", "x")),
                new Call("PUT", "/staff/v1/carriers/" + carrierId + "/profile", "carrier.profile",
                        JSON.createObjectNode().put("name", "Johanna V.")),
                new Call("POST", "/staff/v1/carriers/" + carrierId + "/devices", "device.handout",
                        JSON.createObjectNode().put("deviceId", "00a1b2c3d4e5f6ff").put("pkcs12", true)),
                new Call("POST", "/staff/v1/devices/" + DeviceIds.format(DEVICE) + "/revoke", "device.revoke", reason()),
                new Call("POST", "/staff/v1/devices/" + DeviceIds.format(DEVICE) + "/replace", "device.replace",
                        JSON.createObjectNode().put("newDeviceId", "00a1b2c3d4e5f6fe").put("pkcs12", true)),
                new Call("PUT", "/staff/v1/carriers/" + carrierId + "/recording-consent", "carrier.consent",
                        JSON.createObjectNode().put("recordsAfterPress", true)),
                new Call("POST", "/staff/v1/carriers/" + carrierId + "/end", "carrier.end", reason()));
    }

    private static ObjectNode reason() {
        return JSON.createObjectNode().put("reason", "role matrix test");
    }

    private static boolean allowed(String role, String action) {
        return switch (action) {
            case "account.list", "account.create", "account.disable", "account.password", "account.second-factor-reset" ->
                    role.equals("administrator");
            case "device.list", "device.read", "carrier.list", "session.me" -> true;
            case "carrier.read" -> role.equals("staff") || role.equals("auditor");
            case "trail.read", "evidence.export", "alert.hold", "alert.release" -> role.equals("auditor");
            case "carrier.register", "carrier.profile", "carrier.consent", "carrier.end", "device.handout", "device.replace" ->
                    role.equals("staff");
            case "device.revoke" -> role.equals("staff") || role.equals("administrator");
            case "alert.list", "alert.read", "report.read" -> role.equals("staff") || role.equals("auditor");
            default -> throw new AssertionError(action);
        };
    }

    @Test
    void roleMatrix_eachRoleGetsExactlyItsRoutes_andEveryRefusalIs403AndAudited() throws Exception {
        server.enroll(DEVICE);
        UUID carrierId = registerCarrier();
        String[][] people = {{"administrator", "root", ADMIN_PASSWORD}, {"staff", "sam", STAFF_PASSWORD},
                {"auditor", "audrey", AUDITOR_PASSWORD}};
        int refusals = 0;
        for (String[] person : people) {
            String role = person[0];
            String token = login(person[1], person[2]);
            for (Call call : calls(carrierId)) {
                JsonNode body = call.body() instanceof ObjectNode o ? o.deepCopy().put("username", "new-" + person[1]) : null;
                StaffClient.Reply reply = client.send(call.method(), call.path(), token, body);
                String what = role + " " + call.method() + " " + call.path() + ": " + reply.status() + " " + reply.body();
                if (allowed(role, call.action())) {
                    assertTrue(reply.status() != 403 && reply.status() != 401 && reply.status() < 500, what);
                } else {
                    assertEquals(403, reply.status(), what);
                    refusals++;
                    String subject = call.path().startsWith("/staff/v1/accounts/") ? "nobody"
                            : call.path().startsWith("/staff/v1/devices/") ? DeviceIds.format(DEVICE)
                            : call.path().startsWith("/staff/v1/carriers/") ? carrierId.toString()
                            : call.path().startsWith("/staff/v1/alerts/") ? NO_ALERT.toString() : "";
                    assertTrue(inTrail(person[1], call.action(), subject, AccessOutcome.FORBIDDEN), "audited: " + what);
                }
            }
        }
        assertEquals(refusals, trail().stream().filter(a -> a.outcome() == AccessOutcome.FORBIDDEN).count());
        assertEquals(9 + 12 + 14, refusals, "staff: 5 account routes, the trail, evidence and 2 hold routes; auditor: "
                + "5 account routes and 7 carrier and device acts; administrator: a carrier record, the trail, the 4 alert "
                + "routes, 2 hold routes and 6 carrier and device acts (it may revoke)");
    }

    @Test
    void requestWithoutToken_gets401AndIsAudited() throws Exception {
        StaffClient.Reply reply = client.get("/staff/v1/devices", null);

        assertEquals(401, reply.status());
        assertTrue(inTrail("", "device.list", "", AccessOutcome.UNAUTHENTICATED));
        assertEquals(401, client.get("/staff/v1/devices", "made-up-token").status());
    }

    // --- sessions ------------------------------------------------------------------------------

    @Test
    void idleToken_expiresAfter15Minutes_andGets401() throws Exception {
        String token = login("sam", STAFF_PASSWORD);
        clock.advance(Duration.ofMinutes(14));
        assertEquals(200, client.get("/staff/v1/devices", token).status(), "used within the idle time");
        clock.advance(Duration.ofMinutes(14));
        assertEquals(200, client.get("/staff/v1/devices", token).status(), "each use restarts the idle time");

        clock.advance(Duration.ofMinutes(15));

        assertEquals(401, client.get("/staff/v1/devices", token).status());
        assertTrue(inTrail("", "device.list", "", AccessOutcome.UNAUTHENTICATED));
    }

    @Test
    void busyToken_expiresAfter8Hours() throws Exception {
        String token = login("sam", STAFF_PASSWORD);
        for (int i = 0; i < 47; i++) {
            clock.advance(Duration.ofMinutes(10));
            assertEquals(200, client.get("/staff/v1/devices", token).status(), "at " + (i + 1) * 10 + " min");
        }
        clock.advance(Duration.ofMinutes(10));

        assertEquals(401, client.get("/staff/v1/devices", token).status(), "at 8 h");
    }

    @Test
    void logout_endsTheSessionAndIsAudited() throws Exception {
        String token = login("sam", STAFF_PASSWORD);

        assertEquals(204, client.post("/staff/v1/logout", token, null).status());

        assertEquals(401, client.get("/staff/v1/devices", token).status());
        assertTrue(inTrail("sam", "session.logout", "", AccessOutcome.ALLOWED));
    }

    @Test
    void restart_keepsAccountsButEndsSessions() throws Exception {
        String token = login("sam", STAFF_PASSWORD);

        server.restart();
        client = new StaffClient(java.net.URI.create("https://localhost:" + server.server().staffApiAddress().getPort()),
                server.ca().certificate());

        assertEquals(401, client.get("/staff/v1/devices", token).status(), "tokens live in memory only");
        assertEquals(200, client.get("/staff/v1/devices", login("sam", STAFF_PASSWORD)).status());
    }

    // --- logins ----------------------------------------------------------------------------------

    @Test
    void wrongPassword_isRefusedAndAudited() throws Exception {
        StaffClient.StaffClientException refused = assertThrows(StaffClient.StaffClientException.class,
                () -> login("sam", "not sam's passphrase at all"));

        assertEquals(401, refused.status());
        assertTrue(inTrail("sam", "session.login", "", AccessOutcome.WRONG_PASSWORD));
        assertTrue(inTrail("sam", "session.login", "", AccessOutcome.ALLOWED) == false);
    }

    @Test
    void loginToNoSuchAccount_isAuditedWithoutTheNameTried() throws Exception {
        String typedIntoTheNameField = "sams-secret-passphrase";

        assertEquals(401, assertThrows(StaffClient.StaffClientException.class,
                () -> login(typedIntoTheNameField, "whatever it was")).status());

        assertTrue(inTrail("", "session.login", "", AccessOutcome.UNKNOWN_ACCOUNT));
        assertFalse(rawDataContains(typedIntoTheNameField.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void successfulLogin_isAudited() throws Exception {
        login("audrey", AUDITOR_PASSWORD);

        assertTrue(inTrail("audrey", "session.login", "", AccessOutcome.ALLOWED));
    }

    @Test
    void repeatedWrongPasswords_areThrottled_evenForTheRightOne_untilTheWaitIsOver() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThrows(StaffClient.StaffClientException.class, () -> login("sam", "wrong wrong wrong wrong"));
        }
        StaffClient.StaffClientException throttled = assertThrows(StaffClient.StaffClientException.class,
                () -> login("sam", STAFF_PASSWORD));
        assertEquals(429, throttled.status());
        assertTrue(inTrail("sam", "session.login", "", AccessOutcome.THROTTLED));

        clock.advance(Duration.ofSeconds(2));

        login("sam", STAFF_PASSWORD);
    }

    // --- accounts --------------------------------------------------------------------------------

    @Test
    void newAccount_withACommonPassword_is400NamingWhy_andNotCreated() throws Exception {
        StaffClient.Reply reply = client.post("/staff/v1/accounts", admin, JSON.createObjectNode()
                .put("username", "kim").put("role", "staff").put("password", "1qaz2wsx3edc4rfv"));

        assertEquals(400, reply.status());
        assertEquals("this password is on a list of the 30,000 most common passwords; choose another", reply.error());
        assertTrue(server.server().state().staff().find("kim").isEmpty());
    }

    @Test
    void disablingAnAccount_endsItsSessionsAndRefusesItsLogins() throws Exception {
        String token = login("sam", STAFF_PASSWORD);

        assertEquals(204, client.post("/staff/v1/accounts/sam/disable", admin, null).status());

        assertEquals(401, client.get("/staff/v1/devices", token).status());
        assertEquals(401, assertThrows(StaffClient.StaffClientException.class,
                () -> login("sam", STAFF_PASSWORD)).status());
        assertTrue(inTrail("sam", "session.login", "", AccessOutcome.ACCOUNT_DISABLED));
        assertTrue(server.log().events().contains(new Event.StaffAccountDisabled("sam", "root", clock.millis())));
    }

    @Test
    void passwordReset_endsSessionsAndOnlyTheNewPasswordWorks() throws Exception {
        String token = login("sam", STAFF_PASSWORD);
        String fresh = "sam's fresh passphrase, handed over in person";

        assertEquals(204, client.post("/staff/v1/accounts/sam/password", admin,
                JSON.createObjectNode().put("password", fresh)).status());

        assertEquals(401, client.get("/staff/v1/devices", token).status());
        assertThrows(StaffClient.StaffClientException.class, () -> login("sam", STAFF_PASSWORD));
        login("sam", fresh);
    }

    @Test
    void ownPasswordChange_endsTheSessionsAndOnlyTheNewPasswordWorks() throws Exception {
        String token = login("sam", STAFF_PASSWORD);
        String fresh = "a passphrase only sam knows";

        assertEquals(204, client.post("/staff/v1/password", token, JSON.createObjectNode()
                .put("currentPassword", STAFF_PASSWORD).put("newPassword", fresh)).status());
        long changedAt = clock.millis(); // signing in again below moves the clock to a fresh TOTP step

        assertEquals(401, client.get("/staff/v1/devices", token).status());
        assertThrows(StaffClient.StaffClientException.class, () -> login("sam", STAFF_PASSWORD));
        login("sam", fresh);
        assertTrue(server.log().events().contains(new Event.StaffPasswordChanged("sam",
                server.server().state().staff().find("sam").orElseThrow().passwordHash(), "sam", changedAt)));
    }

    @Test
    void ownPasswordChange_withAWrongCurrentPassword_is403AndRecorded() throws Exception {
        String token = login("sam", STAFF_PASSWORD);

        StaffClient.Reply reply = client.post("/staff/v1/password", token, JSON.createObjectNode()
                .put("currentPassword", "a guess at sam's passphrase").put("newPassword", "a passphrase only sam knows"));

        assertEquals(403, reply.status());
        assertTrue(inTrail("sam", "account.password", "sam", AccessOutcome.WRONG_PASSWORD));
        assertEquals(200, client.get("/staff/v1/devices", token).status(), "the session goes on");
    }

    @Test
    void lastAdministrator_cannotBeDisabled() throws Exception {
        StaffClient.Reply reply = client.post("/staff/v1/accounts/root/disable", admin, null);

        assertEquals(409, reply.status());
        assertTrue(reply.error().contains("last enabled administrator"), reply.error());
    }

    @Test
    void weakPasswordOrBadName_isRefusedWithTheReason() throws Exception {
        StaffClient.Reply weak = client.post("/staff/v1/accounts", admin, JSON.createObjectNode()
                .put("username", "kim").put("role", "staff").put("password", "short"));
        StaffClient.Reply badName = client.post("/staff/v1/accounts", admin, JSON.createObjectNode()
                .put("username", "Kim Jansen").put("role", "staff").put("password", "long enough passphrase"));
        StaffClient.Reply badRole = client.post("/staff/v1/accounts", admin, JSON.createObjectNode()
                .put("username", "kim").put("role", "boss").put("password", "long enough passphrase"));

        assertEquals(400, weak.status());
        assertTrue(weak.error().contains("at least 15 characters"), weak.error());
        assertEquals(400, badName.status());
        assertTrue(badName.error().contains("lower-case"), badName.error());
        assertEquals(400, badRole.status());
        assertTrue(badRole.error().contains("unknown role 'boss'"), badRole.error());
    }

    @Test
    void bootstrap_isRefusedOnceAnAdministratorExists() {
        server.close();

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> StaffBootstrap.createFirstAdministrator(
                server.data(), server.keys(), "second", "another admin passphrase".toCharArray(), clock));
        assertTrue(e.getMessage().contains("an administrator exists already"), e.getMessage());
    }

    // --- personal data -------------------------------------------------------------------------

    @Test
    void readingACarrierRecord_recordsAnAccessEventNamingTheStaffMember() throws Exception {
        UUID carrierId = registerCarrier();
        String token = login("sam", STAFF_PASSWORD);

        StaffClient.Reply reply = client.get("/staff/v1/carriers/" + carrierId, token);

        assertEquals(200, reply.status(), reply.error());
        assertEquals(CARRIER_NAME, reply.body().path("name").asText());
        assertEquals(DeviceIds.format(DEVICE), reply.body().path("devices").path(0).asText());
        assertTrue(inTrail("sam", "carrier.read", carrierId.toString(), AccessOutcome.ALLOWED));
    }

    @Test
    void alertRoutes_serveListTimelineReportAndEvidence_andRecordEachRead() throws Exception {
        IssuedCredential credential = server.enroll(DEVICE, Region.IJSSELLAND);
        registerCarrier();
        UUID alertId;
        try (TestDevice device = TestDevice.connect(server.server().address(), DEVICE, credential,
                server.ca().certificate())) {
            device.send(device.panic(1));
            alertId = device.nextAck().eventId();
        }
        String sam = login("sam", STAFF_PASSWORD);

        StaffClient.Reply list = client.get("/staff/v1/alerts?device=" + DeviceIds.format(DEVICE) + "&type=real", sam);
        assertEquals(200, list.status(), list.error());
        assertEquals(alertId.toString(), list.body().path("alerts").path(0).path("alertId").asText(), list.body()::toString);
        assertEquals(400, client.get("/staff/v1/alerts?region=utrecht", sam).status(), "only the two regions");

        StaffClient.Reply timeline = client.get("/staff/v1/alerts/" + alertId, sam);
        assertEquals(200, timeline.status(), timeline.error());
        assertEquals(1, timeline.body().path("track").size(), timeline.body()::toString);

        StaffClient.Reply pdf = client.get("/staff/v1/alerts/" + alertId + "/report?lang=en&format=pdf", sam);
        assertEquals(200, pdf.status(), pdf.error());
        assertEquals("application/pdf", pdf.contentType());
        assertEquals("%PDF", new String(pdf.bytes(), 0, 4, StandardCharsets.US_ASCII));
        StaffClient.Reply html = client.get("/staff/v1/alerts/" + alertId + "/report?lang=nl&format=html", sam);
        assertTrue(new String(html.bytes(), StandardCharsets.UTF_8).contains(CARRIER_NAME), "the report names the carrier");

        assertEquals(403, client.post("/staff/v1/alerts/" + alertId + "/evidence", sam, null).status(),
                "evidence leaves the server through auditors only");
        String audrey = login("audrey", AUDITOR_PASSWORD);
        StaffClient.Reply zip = client.post("/staff/v1/alerts/" + alertId + "/evidence", audrey, null);
        assertEquals(200, zip.status(), zip.error());
        Path bundle = directory.resolve("evidence.zip");
        Files.write(bundle, zip.bytes());
        BundleVerifier.Result verified = BundleVerifier.verify(bundle);
        assertTrue(verified.ok(), verified::toString);

        assertTrue(inTrail("sam", "alert.list", "filter:device,type", AccessOutcome.ALLOWED));
        assertTrue(inTrail("sam", "alert.read", alertId.toString(), AccessOutcome.ALLOWED));
        assertTrue(inTrail("sam", "report.read", alertId.toString(), AccessOutcome.ALLOWED));
        assertTrue(inTrail("sam", "evidence.export", alertId.toString(), AccessOutcome.FORBIDDEN));
        assertTrue(inTrail("audrey", "evidence.export", alertId.toString(), AccessOutcome.ALLOWED));
    }

    @Test
    void carrierList_holdsNoPersonalField() throws Exception {
        UUID carrierId = registerCarrier();
        String token = login("sam", STAFF_PASSWORD);

        StaffClient.Reply reply = client.get("/staff/v1/carriers", token);

        assertEquals(200, reply.status());
        assertEquals(carrierId.toString(), reply.body().path("carriers").path(0).path("carrierId").asText());
        assertFalse(reply.body().toString().contains(CARRIER_NAME));
        assertFalse(reply.body().toString().contains(CARRIER_PHONE));
    }

    @Test
    void auditor_listsTheAccessTrail_filteredByUserAndSubject() throws Exception {
        UUID carrierId = registerCarrier();
        String sam = login("sam", STAFF_PASSWORD);
        client.get("/staff/v1/carriers/" + carrierId, sam);
        client.get("/staff/v1/audit/access", sam); // refused
        String audrey = login("audrey", AUDITOR_PASSWORD);

        StaffClient.Reply reply = client.get("/staff/v1/audit/access?user=sam&limit=10", audrey);

        assertEquals(200, reply.status(), reply.error());
        List<String> seen = new ArrayList<>();
        reply.body().path("entries").forEach(e -> seen.add(e.path("action").asText() + " " + e.path("outcome").asText()));
        assertEquals(List.of("trail.read forbidden", "carrier.read allowed", "session.login allowed", "account.enrol allowed",
                "session.password allowed"), seen, "newest first");
        StaffClient.Reply bySubject = client.get("/staff/v1/audit/access?subject=" + carrierId, audrey);
        assertEquals(1, bySubject.body().path("entries").size());
        assertTrue(inTrail("audrey", "trail.read", "filter:limit,user", AccessOutcome.ALLOWED), "reading the trail is recorded");
    }

    @Test
    void deviceStatus_showsEnrolmentRegionCarrierAndSupervision() throws Exception {
        IssuedCredential credential = server.enroll(DEVICE, Region.TWENTE);
        UUID carrierId = registerCarrier();
        String token = login("sam", STAFF_PASSWORD);

        JsonNode device = client.get("/staff/v1/devices/" + DeviceIds.format(DEVICE), token).body();

        assertEquals("enrolled", device.path("status").asText());
        assertEquals("twente", device.path("region").asText());
        assertEquals(carrierId.toString(), device.path("carrierId").asText());
        assertTrue(device.path("supervised").asBoolean(), device.toString());
        server.server().revoke(DEVICE, "lost").join();
        assertEquals("revoked", client.get("/staff/v1/devices/" + DeviceIds.format(DEVICE), token).body().path("status").asText());
        assertEquals(1, client.get("/staff/v1/devices?region=twente", token).body().path("devices").size());
        assertEquals(0, client.get("/staff/v1/devices?region=ijsselland", token).body().path("devices").size());
        assertTrue(credential.certificate() != null);
    }

    @Test
    void dataDirectory_holdsNoPasswordNameOrCoordinatesInPlainText() throws Exception {
        IssuedCredential credential = server.enroll(DEVICE);
        UUID carrierId = registerCarrier();
        byte[] coordinates;
        try (TestDevice device = server.connect(DEVICE, credential)) {
            var panic = device.panic(1);
            coordinates = java.util.Arrays.copyOfRange(panic.payload(), 0, 8); // latE7, lonE7
            device.send(panic);
            device.nextAck();
        }
        String token = login("sam", STAFF_PASSWORD);
        assertEquals(CARRIER_NAME, client.get("/staff/v1/carriers/" + carrierId, token).body().path("name").asText());
        server.close();

        for (String secret : List.of(ADMIN_PASSWORD, STAFF_PASSWORD, AUDITOR_PASSWORD, CARRIER_NAME, CARRIER_PHONE,
                "argon2id", token)) {
            assertFalse(rawDataContains(secret.getBytes(StandardCharsets.UTF_8)), secret + " in plain text");
        }
        assertFalse(rawDataContains(coordinates), "coordinates in plain text");
        assertTrue(server.log().verification().intact(), "staff events keep the hash chain intact");
        assertTrue(rawDataContains("carrier.read".getBytes(StandardCharsets.UTF_8)), "the grep itself finds what is there");
    }

    private boolean rawDataContains(byte[] needle) throws Exception {
        return DataFiles.contain(server.data().root(), needle);
    }
}
