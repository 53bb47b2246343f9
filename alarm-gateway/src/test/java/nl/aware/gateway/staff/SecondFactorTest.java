package nl.aware.gateway.staff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.staff.AccessOutcome;
import nl.aware.core.staff.Base32;
import nl.aware.core.staff.Totp;
import nl.aware.core.testing.MutableClock;
import nl.aware.gateway.StaffBootstrap;
import nl.aware.gateway.cli.StaffClient;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sign-in with the second factor, the login contract the browser console is built against
 * (docs/staff-api.md "Second factor"), on a real server over TLS 1.3. Time is a test clock.
 */
class SecondFactorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_PASSWORD = "admin passphrase, long enough";
    private static final String STAFF_PASSWORD = "staff passphrase, long enough";
    private static final Map<String, String> AS_JSON = Map.of("Content-Type", "application/json");

    @TempDir
    Path directory;
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
        admin = client.login("root", ADMIN_PASSWORD.toCharArray(), totp.of("root"));
        assertEquals(201, client.post("/staff/v1/accounts", admin, JSON.createObjectNode().put("username", "sam")
                .put("role", "staff").put("password", STAFF_PASSWORD)).status());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private StaffClient.Reply password(String username, String password) throws Exception {
        return client.send("POST", "/staff/v1/login", AS_JSON, JSON.writeValueAsBytes(JSON.createObjectNode()
                .put("username", username).put("password", password)));
    }

    private StaffClient.Reply answer(String step, String challenge, String field, String code) throws Exception {
        return client.send("POST", "/staff/v1/login/" + step, AS_JSON, JSON.writeValueAsBytes(JSON.createObjectNode()
                .put("challenge", challenge).put(field, code)));
    }

    /** Sam's first sign-in through the raw contract; the enrolment answer. */
    private StaffClient.Reply enrolSam() throws Exception {
        StaffClient.Reply first = password("sam", STAFF_PASSWORD);
        String code = totp.of("sam").enrol(first.body().path("secret").asText(), ""); // sam's app takes the secret
        StaffClient.Reply enrolled = answer("enrol", first.body().path("challenge").asText(), "code", code);
        assertEquals(200, enrolled.status(), enrolled.error());
        return enrolled;
    }

    private boolean inTrail(String username, String action, AccessOutcome outcome) {
        return server.log().events().stream().anyMatch(e -> e instanceof Event.StaffAccess a && a.username().equals(username)
                && a.action().equals(action) && a.outcome() == outcome);
    }

    @Test
    void firstSignIn_offersEnrolment_withSecretUriAndQrCode() throws Exception {
        StaffClient.Reply reply = password("sam", STAFF_PASSWORD);

        assertEquals(200, reply.status(), reply.error());
        JsonNode body = reply.body();
        assertEquals("enrol", body.path("next").asText());
        assertEquals(32, body.path("secret").asText().length(), "160 bits in base 32");
        assertEquals("otpauth://totp/AWARE:sam?secret=" + body.path("secret").asText() + "&issuer=AWARE",
                body.path("otpauthUri").asText());
        assertTrue(body.path("qrSvg").asText().startsWith("<svg "), body.path("qrSvg").asText());
        assertFalse(body.path("challenge").asText().isEmpty());
        assertFalse(body.has("token"), "no session before the second factor");
    }

    @Test
    void enrolment_confirmedByTheFirstCode_opensTheSession_withTenRecoveryCodesAndTheCookie() throws Exception {
        StaffClient.Reply enrolled = enrolSam();

        JsonNode body = enrolled.body();
        String token = body.path("token").asText();
        assertEquals(List.of("username", "role", "expiresAt", "idleTimeoutSeconds", "recoveryCodes"),
                List.copyOf(iterable(body.fieldNames())).subList(1, 6));
        assertEquals(10, body.path("recoveryCodes").size());
        assertEquals("aware_session=" + token + "; Path=/; Secure; HttpOnly; SameSite=Strict",
                enrolled.headers().firstValue("Set-Cookie").orElse(""));
        assertEquals(200, client.get("/staff/v1/devices", token).status());
        assertTrue(server.log().events().stream().anyMatch(e -> e instanceof Event.StaffSecondFactorEnrolled f
                && f.username().equals("sam")));
    }

    @Test
    void enrolledAccount_isAskedForItsCode_andGetsInWithIt() throws Exception {
        enrolSam();
        clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));

        StaffClient.Reply first = password("sam", STAFF_PASSWORD);
        assertEquals("totp", first.body().path("next").asText());
        assertFalse(first.body().has("secret"), "the secret is shown once, at enrolment");
        StaffClient.Reply second = answer("totp", first.body().path("challenge").asText(), "code", totp.codeNow("sam"));

        assertEquals(200, second.status(), second.error());
        assertEquals("staff", second.body().path("role").asText());
        assertTrue(second.headers().firstValue("Set-Cookie").orElse("").startsWith("aware_session="));
    }

    @Test
    void aCode_isNeverAcceptedTwice_evenWithinItsStep_orAfterARestart() throws Exception {
        enrolSam();
        clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
        String code = totp.codeNow("sam");
        assertEquals(200, answer("totp", password("sam", STAFF_PASSWORD).body().path("challenge").asText(), "code", code)
                .status());

        StaffClient.Reply again = answer("totp", password("sam", STAFF_PASSWORD).body().path("challenge").asText(), "code",
                code);
        assertEquals(401, again.status());
        assertTrue(inTrail("sam", "session.login", AccessOutcome.WRONG_SECOND_FACTOR));

        server.restart();
        client = new StaffClient(java.net.URI.create("https://localhost:" + server.server().staffApiAddress().getPort()),
                server.ca().certificate());
        assertEquals(401, answer("totp", password("sam", STAFF_PASSWORD).body().path("challenge").asText(), "code", code)
                .status(), "the used step is in the log");
    }

    @Test
    void wrongCode_isRefused401_andAudited_andTheChallengeEndsAfterThreeWrongAnswers() throws Exception {
        enrolSam();
        String challenge = password("sam", STAFF_PASSWORD).body().path("challenge").asText();
        String wrong = totp.codeNow("sam").equals("000000") ? "111111" : "000000";

        for (int i = 0; i < 3; i++) {
            assertEquals(401, answer("totp", challenge, "code", wrong).status());
        }

        clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
        StaffClient.Reply spent = answer("totp", challenge, "code", totp.codeNow("sam"));
        assertEquals(401, spent.status());
        assertTrue(spent.error().contains("start again with your password"), spent.error());
    }

    @Test
    void challenge_expiresAfterFiveMinutes() throws Exception {
        enrolSam();
        String challenge = password("sam", STAFF_PASSWORD).body().path("challenge").asText();

        clock.advance(Duration.ofMinutes(5));

        assertEquals(401, answer("totp", challenge, "code", totp.codeNow("sam")).status());
    }

    @Test
    void recoveryCode_signsInOnce_andEachUseIsAnEvent() throws Exception {
        List<String> codes = JSON.convertValue(enrolSam().body().path("recoveryCodes"),
                JSON.getTypeFactory().constructCollectionType(List.class, String.class));

        StaffClient.Reply used = answer("recovery", password("sam", STAFF_PASSWORD).body().path("challenge").asText(),
                "recoveryCode", codes.get(4));
        assertEquals(200, used.status(), used.error());
        assertEquals(9, used.body().path("recoveryCodesLeft").asInt());

        StaffClient.Reply again = answer("recovery", password("sam", STAFF_PASSWORD).body().path("challenge").asText(),
                "recoveryCode", codes.get(4));
        assertEquals(401, again.status());
        assertTrue(server.log().events().contains(new Event.StaffRecoveryCodeUsed("sam", 4,
                ((Event.StaffRecoveryCodeUsed) server.log().events().stream()
                        .filter(e -> e instanceof Event.StaffRecoveryCodeUsed).findFirst().orElseThrow()).atMs())));
    }

    @Test
    void theSecretAndRecoveryCodes_areNeverOnDiskInTheClear() throws Exception {
        StaffClient.Reply enrolled = enrolSam();

        byte[] secret = totp.secret("sam");
        assertFalse(rawDataContains(secret), "the raw secret");
        assertFalse(rawDataContains(Base32.encode(secret).getBytes(StandardCharsets.US_ASCII)), "the secret in base 32");
        assertFalse(rawDataContains(enrolled.body().path("recoveryCodes").path(0).asText()
                .getBytes(StandardCharsets.US_ASCII)), "a recovery code");
    }

    @Test
    void me_answersWhoAndWhatTheRoleMayDo_withTheCookieAlone() throws Exception {
        String token = enrolSam().body().path("token").asText();

        StaffClient.Reply me = client.send("GET", "/staff/v1/me", Map.of("Cookie", "aware_session=" + token), null);

        assertEquals(200, me.status(), me.error());
        assertEquals("sam", me.body().path("username").asText());
        assertEquals("staff", me.body().path("role").asText());
        String permissions = me.body().path("permissions").toString();
        assertTrue(permissions.contains("\"READ_CARRIER_RECORD\""), permissions);
        assertFalse(permissions.contains("MANAGE_ACCOUNTS"), permissions);
        assertFalse(inTrail("sam", "session.me", AccessOutcome.ALLOWED), "not recorded: nothing personal");
    }

    @Test
    void logout_clearsTheCookie() throws Exception {
        String token = enrolSam().body().path("token").asText();

        StaffClient.Reply out = client.send("POST", "/staff/v1/logout", Map.of("Cookie", "aware_session=" + token), null);

        assertEquals(204, out.status(), out.error());
        assertTrue(out.headers().firstValue("Set-Cookie").orElse("").startsWith("aware_session=; "));
        assertTrue(out.headers().firstValue("Set-Cookie").orElse("").contains("Max-Age=0"));
        assertEquals(401, client.get("/staff/v1/me", token).status());
    }

    @Test
    void login_postedAsAForm_is415_andCountsNoFailure() throws Exception {
        for (int i = 0; i < 8; i++) {
            StaffClient.Reply form = client.send("POST", "/staff/v1/login",
                    Map.of("Content-Type", "application/x-www-form-urlencoded"),
                    "username=sam&password=guess".getBytes(StandardCharsets.US_ASCII));
            assertEquals(415, form.status());
        }
        assertEquals(415, client.send("POST", "/staff/v1/login", Map.of("Content-Type", "text/plain"),
                "{\"username\":\"sam\",\"password\":\"x\"}".getBytes(StandardCharsets.US_ASCII)).status());

        assertEquals(200, password("sam", STAFF_PASSWORD).status(), "a form from another site cannot lock sam out");
    }

    @Test
    void cookieSession_refusesAFormPost_butActsOnJson() throws Exception {
        String token = enrolSam().body().path("token").asText();
        String cookie = "aware_session=" + token;

        StaffClient.Reply form = client.send("POST", "/staff/v1/password",
                Map.of("Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded"),
                "currentPassword=x&newPassword=y".getBytes(StandardCharsets.US_ASCII));
        StaffClient.Reply emptyForm = client.send("POST", "/staff/v1/logout",
                Map.of("Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded"), new byte[0]);

        assertEquals(415, form.status());
        assertEquals(415, emptyForm.status());
        assertEquals(200, client.send("GET", "/staff/v1/me", Map.of("Cookie", cookie), null).status(), "still signed in");
        assertEquals(204, client.send("POST", "/staff/v1/logout", Map.of("Cookie", cookie), null).status(),
                "no body, no form: acts");
    }

    @Test
    void administratorsPasswordReset_doesNotLetTheAdministratorActAsThePerson() throws Exception {
        UUID carrierId = server.server().registerCarrier(Region.TWENTE, new CarrierProfile("Marloes Bakker", "", "", "",
                "", "", new CarrierProfile.Eligibility(true, true, true, true, true))).join();
        enrolSam();
        String chosenByTheAdministrator = "the administrator chose this one";
        assertEquals(204, client.post("/staff/v1/accounts/sam/password", admin,
                JSON.createObjectNode().put("password", chosenByTheAdministrator)).status());

        StaffClient.Reply first = password("sam", chosenByTheAdministrator);
        assertEquals("totp", first.body().path("next").asText(), "the reset keeps sam's own second factor");
        assertFalse(first.body().has("secret"));
        StaffClient.Reply guessed = answer("totp", first.body().path("challenge").asText(), "code", "123456");
        assertEquals(401, guessed.status());

        StaffClient.Reply secondFactorReset = client.post("/staff/v1/accounts/sam/second-factor/reset", admin, null);
        assertEquals(409, secondFactorReset.status(), "the one who reset the password may not also reset the factor");
        assertFalse(server.log().events().stream().anyMatch(e -> e instanceof Event.StaffAccess a
                && a.username().equals("sam") && a.action().equals("carrier.read")), "nothing read under sam's name");
        assertNotEquals(null, carrierId);
    }

    @Test
    void secondFactorReset_byAnotherAdministrator_letsThePersonEnrolAnew_withTheirOwnPassword() throws Exception {
        enrolSam();
        assertEquals(201, client.post("/staff/v1/accounts", admin, JSON.createObjectNode().put("username", "ada")
                .put("role", "administrator").put("password", "ada's own passphrase, long")).status());
        String ada = client.login("ada", "ada's own passphrase, long".toCharArray(), totp.of("ada"));

        assertEquals(204, client.post("/staff/v1/accounts/sam/second-factor/reset", ada, null).status());
        assertEquals(409, client.post("/staff/v1/accounts/sam/password", ada,
                JSON.createObjectNode().put("password", "ada would pick this one")).status(), "not both by one person");

        StaffClient.Reply first = password("sam", STAFF_PASSWORD);
        assertEquals("enrol", first.body().path("next").asText(), "sam enrols a new app with the password only sam knows");
        assertTrue(server.log().events().stream().anyMatch(e -> e instanceof Event.StaffSecondFactorReset r
                && r.username().equals("sam") && r.by().equals("ada")));
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

    private static <T> List<T> iterable(java.util.Iterator<T> iterator) {
        List<T> list = new java.util.ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }
}
