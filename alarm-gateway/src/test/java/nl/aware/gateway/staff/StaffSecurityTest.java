package nl.aware.gateway.staff;

import com.fasterxml.jackson.databind.ObjectMapper;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.staff.AccessOutcome;
import nl.aware.gateway.StaffBootstrap;
import nl.aware.gateway.cli.AwareCommand;
import nl.aware.gateway.cli.StaffClient;
import nl.aware.gateway.testing.DataFiles;
import nl.aware.gateway.testing.TestAuthenticator;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import nl.aware.http.TrustedProxy;
import nl.aware.web.staff.StaffApiSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The staff side as an outside attacker and a curious insider try it (issue 12, "Security of the staff
 * side"): a real server, real TLS 1.3 with the deployment's CA, real sockets, the log files on disk.
 */
class StaffSecurityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_PASSWORD = "admin passphrase, long enough";
    private static final String STAFF_PASSWORD = "staff passphrase, long enough";
    private static final String AUDITOR_PASSWORD = "auditor passphrase, long enough";
    private static final long DEVICE = 0x00a1b2c3d4e5f601L;

    @TempDir
    Path directory;
    private TestServer server;
    private final TestAuthenticator totp = new TestAuthenticator(java.time.Clock.systemUTC());
    private StaffClient client;
    private HttpClient raw;
    private SSLContext tls;
    private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
    private final List<SSLSocket> sockets = new ArrayList<>();

    private void start(StaffApiSettings settings) throws Exception {
        server = TestServer.create(directory);
        StaffBootstrap.createFirstAdministrator(server.data(), server.keys(), "root", ADMIN_PASSWORD.toCharArray(),
                java.time.Clock.systemUTC());
        server.staffApi(settings).start();
        client = new StaffClient(base(), server.ca().certificate());
        String admin = client.login("root", ADMIN_PASSWORD.toCharArray(), totp.of("root"));
        for (String[] account : new String[][] {{"sam", "staff", STAFF_PASSWORD}, {"audrey", "auditor", AUDITOR_PASSWORD}}) {
            assertEquals(201, client.post("/staff/v1/accounts", admin, JSON.createObjectNode().put("username", account[0])
                    .put("role", account[1]).put("password", account[2])).status());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", server.ca().certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        tls = SSLContext.getInstance("TLSv1.3");
        tls.init(null, factory.getTrustManagers(), null);
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.3"});
        raw = HttpClient.newBuilder().sslContext(tls).sslParameters(parameters).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void stop() throws IOException {
        trickler.shutdownNow();
        for (SSLSocket socket : sockets) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private URI base() {
        return URI.create("https://localhost:" + server.server().staffApiAddress().getPort());
    }

    private HttpResponse<String> get(String path, String token, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        return raw.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> login(String username, String password, String forwardedFor) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base().resolve("/staff/v1/login")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("username", username)
                        .put("password", password).toString()));
        if (forwardedFor != null) {
            request.header(TrustedProxy.X_FORWARDED_FOR, forwardedFor);
        }
        return raw.send(request.build(), HttpResponse.BodyHandlers.ofString());
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

    private UUID registerCarrier() {
        UUID carrierId = server.server().registerCarrier(Region.IJSSELLAND, new CarrierProfile("Ineke de Vries",
                "+31 6 1234 5678", "photo-0001", "threats", "grey car", "", new CarrierProfile.Eligibility(true, true,
                true, true, true))).join();
        server.server().assign(DEVICE, carrierId).join();
        return carrierId;
    }

    private boolean dataContains(String text) throws IOException {
        return DataFiles.contain(server.data().root(), text.getBytes(StandardCharsets.UTF_8));
    }

    // --- ids ---------------------------------------------------------------------------------------

    @Test
    void upperCaseCarrierId_isServed_andFiledLowerCase_soAwareStaffAuditBySubjectFindsIt() throws Exception {
        start(StaffApiSettings.loopback(0));
        server.enroll(DEVICE);
        UUID carrierId = registerCarrier();
        String sam = client.login("sam", STAFF_PASSWORD.toCharArray(), totp.of("sam"));

        StaffClient.Reply reply = client.get("/staff/v1/carriers/" + carrierId.toString().toUpperCase(java.util.Locale.ROOT), sam);

        assertEquals(200, reply.status(), reply.error());
        assertTrue(trail().stream().anyMatch(a -> a.action().equals("carrier.read") && a.username().equals("sam")
                && a.subject().equals(carrierId.toString()) && a.outcome() == AccessOutcome.ALLOWED), trail()::toString);
        client.login("audrey", AUDITOR_PASSWORD.toCharArray(), totp.of("audrey")); // enrols her second factor
        StringWriter out = new StringWriter();
        CommandLine aware = AwareCommand.commandLine();
        aware.setOut(new PrintWriter(out, true));
        aware.setErr(new PrintWriter(new StringWriter(), true));
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream((AUDITOR_PASSWORD + "\n" + totp.codeNow("audrey") + "\n")
                .getBytes(StandardCharsets.UTF_8)));
        try {
            assertEquals(0, aware.execute("staff", "audit", "--subject", carrierId.toString(), "--server", base().toString(),
                    "--ca", server.caCertificateFile().toString(), "--user", "audrey", "--password-stdin", "--totp-stdin"));
        } finally {
            System.setIn(stdin);
        }
        assertTrue(out.toString().contains("carrier.read") && out.toString().contains("sam"), out::toString);
    }

    @Test
    void idsNotInCanonicalForm_areRefusedWith400_andNotFiled() throws Exception {
        start(StaffApiSettings.loopback(0));
        String sam = client.login("sam", STAFF_PASSWORD.toCharArray(), totp.of("sam"));

        assertEquals(400, client.get("/staff/v1/carriers/1-1-1-1-1", sam).status());
        assertEquals(400, client.get("/staff/v1/alerts/1-1-1-1-1", sam).status());
        assertEquals(400, client.get("/staff/v1/alerts/1-1-1-1-1/report", sam).status());
        assertEquals(400, client.get("/staff/v1/devices/a1b2c3d4e5f601", sam).status(), "14 digits");
        assertEquals(400, client.get("/staff/v1/alerts?carrier=1-1-1-1-1", sam).status());

        assertFalse(trail().stream().anyMatch(a -> a.action().endsWith(".read")), "a malformed path id is refused first");
        assertFalse(trail().stream().anyMatch(a -> a.subject().contains("1-1-1-1-1")), "nothing typed was filed");
    }

    // --- only an alert id is an alert id -----------------------------------------------------------------

    @Test
    void eventIdOfARepeatedPress_isNoAlert_onTimelineReportAndEvidence() throws Exception {
        start(StaffApiSettings.loopback(0));
        IssuedCredential credential = server.enroll(DEVICE, Region.IJSSELLAND);
        registerCarrier();
        UUID alertId;
        UUID repeatId;
        try (TestDevice device = server.connect(DEVICE, credential)) {
            device.send(device.panic(1));
            alertId = device.nextAck().eventId();
            device.send(device.panic(2));
            repeatId = device.nextAck().eventId();
        }
        String sam = client.login("sam", STAFF_PASSWORD.toCharArray(), totp.of("sam"));
        String audrey = client.login("audrey", AUDITOR_PASSWORD.toCharArray(), totp.of("audrey"));

        assertEquals(200, client.get("/staff/v1/alerts/" + alertId, sam).status(), "the alert itself is served");
        assertEquals(1, client.get("/staff/v1/alerts/" + alertId, sam).body().path("repeatedPresses").size(),
                "with its repeated press");
        StaffClient.Reply timeline = client.get("/staff/v1/alerts/" + repeatId, sam);
        assertEquals(404, timeline.status(), timeline.body()::toString);
        assertTrue(timeline.error().contains("an alert id is the event id of the press that opened the alert"),
                timeline.error());
        assertEquals(404, client.get("/staff/v1/alerts/" + repeatId + "/report?format=pdf", sam).status());
        assertEquals(404, client.post("/staff/v1/alerts/" + repeatId + "/evidence", audrey, null).status());
    }

    // --- nothing typed into the permanent log -----------------------------------------------------------

    @Test
    void passwordTypedIntoTheQueryOfAnUnauthenticatedRequest_neverReachesTheLogFiles() throws Exception {
        start(StaffApiSettings.loopback(0));
        String typed = "Hunter2-typed-into-the-address-bar";

        assertEquals(401, client.get("/staff/v1/alerts?password=" + typed, null).status());
        assertEquals(401, client.get("/staff/v1/audit/access?subject=" + typed, null).status());
        server.close();

        assertFalse(dataContains(typed));
        assertTrue(dataContains("alert.list"), "the refusal itself is on the record");
    }

    @Test
    void filterValuesOfAnAllowedList_areNotFiled_onlyTheFieldNames() throws Exception {
        start(StaffApiSettings.loopback(0));
        String sam = client.login("sam", STAFF_PASSWORD.toCharArray(), totp.of("sam"));

        assertEquals(200, client.get("/staff/v1/alerts?region=twente&note=Hunter2-in-a-filter", sam).status());
        server.close();

        assertFalse(dataContains("Hunter2-in-a-filter"));
        assertTrue(trail().stream().anyMatch(a -> a.action().equals("alert.list") && a.subject().equals("filter:other,region")),
                trail()::toString);
    }

    // --- headers and error texts -------------------------------------------------------------------------

    @Test
    void everyAnswer_carriesTheSecurityHeaders_jsonErrorsAndHtmlAlike() throws Exception {
        start(StaffApiSettings.loopback(0));
        IssuedCredential credential = server.enroll(DEVICE, Region.IJSSELLAND);
        registerCarrier();
        UUID alertId;
        try (TestDevice device = server.connect(DEVICE, credential)) {
            device.send(device.panic(1));
            alertId = device.nextAck().eventId();
        }
        String sam = client.login("sam", STAFF_PASSWORD.toCharArray(), totp.of("sam"));

        List<HttpResponse<String>> answers = List.of(
                get("/staff/v1/devices", sam, Map.of()),
                get("/staff/v1/alerts/" + alertId + "/report?format=html", sam, Map.of()),
                get("/staff/v1/devices", null, Map.of()),
                get("/staff/v1/nothing-here", null, Map.of()),
                get("/staff/v1/carriers/1-1-1-1-1", sam, Map.of()));

        assertEquals(List.of(200, 200, 401, 404, 400), answers.stream().map(HttpResponse::statusCode).toList());
        assertTrue(answers.get(1).headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        for (HttpResponse<String> answer : answers) {
            var h = answer.headers();
            String what = answer.uri() + " " + answer.statusCode();
            assertEquals("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: "
                    + "https://service.pdok.nl; "
                    + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
                    h.firstValue("Content-Security-Policy").orElse(null), what);
            assertEquals("max-age=31536000; includeSubDomains", h.firstValue("Strict-Transport-Security").orElse(null), what);
            assertEquals("no-referrer", h.firstValue("Referrer-Policy").orElse(null), what);
            assertEquals("nosniff", h.firstValue("X-Content-Type-Options").orElse(null), what);
            assertEquals("same-origin", h.firstValue("Cross-Origin-Opener-Policy").orElse(null), what);
            assertEquals("no-store", h.firstValue("Cache-Control").orElse(null), what);
        }
    }

    @Test
    void errorAnswers_nameNoFileAndCarryNoExceptionText() throws Exception {
        start(StaffApiSettings.loopback(0));
        IssuedCredential credential = server.enroll(DEVICE, Region.IJSSELLAND);
        registerCarrier();
        UUID testAlarm;
        try (TestDevice device = server.connect(DEVICE, credential)) {
            device.send(device.frame(FrameType.TEST, DEVICE, 1, TestDevice.location(TestDevice.ZWOLLE)));
            testAlarm = device.nextAck().eventId();
        }
        String audrey = client.login("audrey", AUDITOR_PASSWORD.toCharArray(), totp.of("audrey"));
        String root = server.data().root().toString();

        List<StaffClient.Reply> errors = List.of(
                client.get("/staff/v1/alerts/" + UUID.randomUUID(), audrey),
                client.post("/staff/v1/alerts/" + testAlarm + "/evidence", audrey, null),
                client.get("/staff/v1/alerts?from=yesterday", audrey),
                client.post("/staff/v1/accounts", audrey, null));

        for (StaffClient.Reply error : errors) {
            String text = error.error();
            assertTrue(error.status() >= 400, text);
            assertFalse(text.contains(root) || text.contains("/log") || text.contains("Exception")
                    || text.contains("at [Source"), error.status() + " " + text);
        }
        assertEquals(409, errors.get(1).status());
    }

    // --- connection cap and request deadline --------------------------------------------------------------

    @Test
    void threeHundredTricklingConnections_theExcessIsRefused_andAllAreClosedWithinSeconds() throws Exception {
        start(StaffApiSettings.loopback(0).withMaxConnections(256).withRequestDeadline(Duration.ofSeconds(5)));
        int refused = 0;
        for (int i = 0; i < 300; i++) {
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("localhost",
                    server.server().staffApiAddress().getPort());
            socket.setSoTimeout(60_000);
            sockets.add(socket);
            try {
                socket.startHandshake();
            } catch (IOException e) {
                refused++;
                socket.close();
            }
        }
        List<SSLSocket> accepted = sockets.stream().filter(s -> !s.isClosed()).toList();
        // The set-up's two HTTP clients may each still hold a keep-alive connection: 254..256 slots were free.
        assertTrue(refused >= 44 && refused <= 46, refused + " refused; the excess over the cap of 256 is refused at accept");
        assertEquals(300 - refused, accepted.size());
        long firstByte = System.nanoTime();
        for (SSLSocket socket : accepted) {
            socket.getOutputStream().write("GET /staff/v1/devices HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        trickler.scheduleAtFixedRate(() -> accepted.forEach(socket -> {
            try {
                socket.getOutputStream().write("X-Trickle: one more line\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException closed) {
                // this one is closed by the server already: what the test waits for
            }
        }), 1, 1, TimeUnit.SECONDS);

        int closed = 0;
        for (SSLSocket socket : accepted) {
            if (closedByServer(socket.getInputStream())) {
                closed++;
            }
        }

        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstByte);
        long seconds = millis / 1000;
        LoggerFactory.getLogger(StaffSecurityTest.class).info("300 trickling connections: {} refused at accept, {} closed "
                + "by the deadline, the last {} ms after the first byte", refused, closed, millis);
        assertEquals(accepted.size(), closed);
        assertTrue(seconds < 30, "all " + closed + " closed " + seconds + " s after their first byte (deadline 5 s)");
        assertEquals(200, client.get("/staff/v1/devices", client.login("sam", STAFF_PASSWORD.toCharArray(), totp.of("sam"))).status(),
                "and the port serves again");
    }

    private static boolean closedByServer(InputStream in) {
        try {
            while (in.read() >= 0) {
                // an answer would be a failure of the deadline; keep reading to the close
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    // --- trusted proxy -----------------------------------------------------------------------------------

    @Test
    void trustedProxy_itsForwardedAddressIsFiled_andThrottledOnItsOwn() throws Exception {
        start(StaffApiSettings.loopback(0).withTrustedProxy(TrustedProxy.parse("127.0.0.1")));
        for (int i = 0; i < 5; i++) {
            assertEquals(401, login("ghost" + i, "no such account here", "198.51.100.23").statusCode());
        }

        assertEquals(429, login("sam", STAFF_PASSWORD, "198.51.100.23").statusCode(), "the guessing address waits");
        assertEquals(200, login("sam", STAFF_PASSWORD, "203.0.113.9").statusCode(), "another address does not");

        assertTrue(trail().stream().anyMatch(a -> a.source().equals("198.51.100.23")
                && a.outcome() == AccessOutcome.UNKNOWN_ACCOUNT));
        assertTrue(trail().stream().anyMatch(a -> a.source().equals("203.0.113.9") && a.username().equals("sam")
                && a.outcome() == AccessOutcome.ALLOWED));
    }

    @Test
    void forwardedHeader_withoutAConfiguredProxy_isIgnored() throws Exception {
        start(StaffApiSettings.loopback(0));

        assertEquals(200, login("sam", STAFF_PASSWORD, "198.51.100.23").statusCode());

        assertTrue(trail().stream().anyMatch(a -> a.username().equals("sam") && a.outcome() == AccessOutcome.ALLOWED
                && a.source().equals("127.0.0.1")), trail()::toString);
        assertFalse(trail().stream().anyMatch(a -> a.source().equals("198.51.100.23")));
    }
}
