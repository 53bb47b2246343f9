package nl.aware.simulator.controlroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.ReportChannel;
import nl.aware.core.event.Region;
import nl.aware.core.event.VerificationOutcome;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.Location;
import nl.aware.core.staff.AccessOutcome;
import nl.aware.dispatch.Receivers;
import nl.aware.dispatch.police.CarrierDirectory;
import nl.aware.gateway.StaffBootstrap;
import nl.aware.gateway.cli.StaffClient;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestAuthenticator;
import nl.aware.gateway.testing.TestServer;
import nl.aware.web.staff.StaffApiSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control-room API on a real server: real devices press over mutual TLS, operators sign in to the staff
 * server's HTTPS port, the live stream is read off a real socket, the police API receivers are simulated.
 */
class ControlRoomApiTest {
    private final TestAuthenticator totp = new TestAuthenticator(java.time.Clock.systemUTC());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "operator passphrase, long enough";
    private static final String ADMIN_PASSWORD = "admin passphrase, long enough";
    private static final long ALICE = 0x00000000000a11ceL;
    private static final long BOB = 0x0000000000000b0bL;
    private static final Location STATIONSPLEIN = new Location(525_046_000, 60_920_000, 12, 3, Location.SOURCE_GNSS, 64);

    @TempDir
    Path dir;
    private TestServer server;
    private SimulatedPolice police;
    private StaffClient client;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<EventStreamClient> streams = new ArrayList<>();
    private final Map<Long, Long> counters = new java.util.HashMap<>();

    @AfterEach
    void tearDown() {
        streams.forEach(EventStreamClient::close);
        if (server != null) {
            server.close();
        }
        if (police != null) {
            police.close();
        }
    }

    private void start(Map<Region, Receivers> receivers, Duration escalateAfter) throws Exception {
        server = TestServer.create(dir).meters(meters);
        StaffBootstrap.createFirstAdministrator(server.data(), server.keys(), "root", ADMIN_PASSWORD.toCharArray(),
                Clock.systemUTC());
        police = SimulatedPolice.start(server.ca(), 0, ArrivalListener.NONE);
        server.staffApi(StaffApiSettings.loopback(0)).start(police.dispatchConfig(escalateAfter, receivers),
                CarrierDirectory.none());
        client = new StaffClient(base(), server.ca().certificate());
        String admin = client.login("root", ADMIN_PASSWORD.toCharArray(), totp.of("root"));
        createOperator(admin, "op-anna", "ijsselland");
        createOperator(admin, "op-bram", "ijsselland");
        createOperator(admin, "op-tess", "twente");
        assertEquals(201, client.post("/staff/v1/accounts", admin, JSON.createObjectNode().put("username", "sam")
                .put("role", "staff").put("password", PASSWORD)).status());
    }

    private void start() throws Exception {
        start(Map.of(), Duration.ofSeconds(15));
    }

    private URI base() {
        return URI.create("https://localhost:" + server.server().staffApiAddress().getPort());
    }

    private void createOperator(String admin, String username, String region) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("username", username).put("role", "operator")
                .put("password", PASSWORD);
        body.putArray("regions").add(region);
        StaffClient.Reply reply = client.post("/staff/v1/accounts", admin, body);
        assertEquals(201, reply.status(), reply.error());
    }

    private String login(String username) throws Exception {
        return client.login(username, PASSWORD.toCharArray(), totp.of(username));
    }

    private EventStreamClient stream(String token, String query, String lastEventId) throws Exception {
        EventStreamClient stream = new EventStreamClient(base().resolve("/control/v1/stream" + query),
                server.ca().certificate(), token, lastEventId);
        streams.add(stream);
        await().atMost(Duration.ofSeconds(10)).until(() -> !stream.named("heartbeat").isEmpty());
        return stream;
    }

    private UUID send(long deviceId, IssuedCredential credential, FrameType type) throws Exception {
        long counter = counters.merge(deviceId, 1L, Long::sum);
        try (TestDevice device = server.connect(deviceId, credential)) {
            device.send(device.frame(type, deviceId, counter, TestDevice.location(STATIONSPLEIN)));
            return device.nextAck().eventId();
        }
    }

    private StaffClient.Reply act(String token, UUID alert, String action, JsonNode body) throws Exception {
        return client.post("/control/v1/alerts/" + alert + "/" + action, token, body);
    }

    private static boolean hasState(EventStreamClient stream, UUID alert, String state) {
        return stream.named("alert").stream().anyMatch(e -> e.data().path("alertId").asText().equals(alert.toString())
                && e.data().path("state").asText().equals(state));
    }

    @Test
    void pressAppearsInTheQueueOfTheRegionsOperators_andNeverForAnOperatorOfTheOtherRegion() throws Exception {
        start();
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        String anna = login("op-anna");
        String tess = login("op-tess");

        UUID alert = send(ALICE, alice, FrameType.PANIC);

        JsonNode queue = client.get("/control/v1/queue", anna).body();
        assertEquals(1, queue.path("alerts").size());
        JsonNode row = queue.path("alerts").get(0);
        assertEquals(alert.toString(), row.path("alertId").asText());
        assertEquals("new", row.path("state").asText());
        assertEquals(1, row.path("presses").asInt());
        assertEquals(64, row.path("battery").asInt());
        assertFalse(row.path("test").asBoolean());
        assertFalse(row.has("latitude"), "the queue names no location");
        assertEquals(0, client.get("/control/v1/queue", tess).body().path("alerts").size());
        assertEquals(404, client.get("/control/v1/alerts/" + alert, tess).status());
        assertEquals(404, act(tess, alert, "acknowledge", JSON.createObjectNode()).status());
        assertTrue(server.log().events().stream().noneMatch(Event.AlertStatusReported.class::isInstance));
    }

    @Test
    void streamShowsThePress_andAnAcknowledgementReachesTheOtherOperatorWithinOneSecond_neverTheOtherRegion()
            throws Exception {
        start();
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        String anna = login("op-anna");
        EventStreamClient annaStream = stream(anna, "", null);
        EventStreamClient bramStream = stream(login("op-bram"), "", null);
        EventStreamClient tessStream = stream(login("op-tess"), "", null);

        UUID alert = send(ALICE, alice, FrameType.PANIC);
        await().atMost(Duration.ofSeconds(5)).until(() -> hasState(annaStream, alert, "new") && hasState(bramStream, alert, "new"));

        StaffClient.Reply acknowledged = act(anna, alert, "acknowledge", JSON.createObjectNode());
        long answered = System.nanoTime();

        assertEquals(200, acknowledged.status(), acknowledged.error());
        await().atMost(Duration.ofSeconds(1)).until(() -> hasState(bramStream, alert, "acknowledged"));
        EventStreamClient.Sse seen = bramStream.named("alert").stream()
                .filter(e -> e.data().path("state").asText().equals("acknowledged")).findFirst().orElseThrow();
        assertTrue(seen.atNanos() - answered < 1_000_000_000L);
        assertEquals("op-anna", seen.data().path("stateBy").asText());
        assertTrue(tessStream.named("alert").isEmpty(), "twente's operator never sees an ijsselland alert");
        assertTrue(server.log().events().stream().anyMatch(e -> e instanceof Event.AlertStatusReported r
                && r.alertId().equals(alert) && r.status() == AlertStatus.ACKNOWLEDGED && r.reporter().equals("op-anna")
                && r.channel() == ReportChannel.CONSOLE));
    }

    @Test
    void twoOperatorsAcknowledgingAtOnce_oneIsRecorded_theOtherGets409NamingTheState() throws Exception {
        start();
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        String anna = login("op-anna");
        String bram = login("op-bram");
        UUID alert = send(ALICE, alice, FrameType.PANIC);
        CountDownLatch go = new CountDownLatch(1);

        List<CompletableFuture<StaffClient.Reply>> replies = new ArrayList<>();
        for (String token : List.of(anna, bram)) {
            replies.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                    return act(token, alert, "acknowledge", JSON.createObjectNode());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        go.countDown();
        List<StaffClient.Reply> answers = replies.stream().map(CompletableFuture::join).toList();

        assertEquals(List.of(200, 409), answers.stream().map(StaffClient.Reply::status).sorted().toList());
        StaffClient.Reply refused = answers.stream().filter(r -> r.status() == 409).findFirst().orElseThrow();
        assertEquals("acknowledged", refused.body().path("currentState").asText());
        assertEquals(1, server.log().events().stream().filter(Event.AlertStatusReported.class::isInstance).count());
    }

    @Test
    void verification_isRecordedWithOutcomeAndNote_andReachesThePoliceSystemAsALifecycleUpdate() throws Exception {
        start();
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        String anna = login("op-anna");
        UUID alert = send(ALICE, alice, FrameType.PANIC);
        assertEquals(200, act(anna, alert, "acknowledge", null).status());

        StaffClient.Reply verified = act(anna, alert, "verify", JSON.createObjectNode()
                .put("outcome", "confirmed_by_listening").put("note", "threats heard"));

        assertEquals(200, verified.status(), verified.error());
        assertEquals("confirmed_by_listening", verified.body().path("outcome").asText());
        await().atMost(Duration.ofSeconds(10)).until(() -> police.room(Region.IJSSELLAND).updates(alert.toString()).stream()
                .anyMatch(u -> u.path("kind").asText().equals("lifecycle")
                        && u.at("/lifecycle/status").asText().equals("verified")));
        JsonNode update = police.room(Region.IJSSELLAND).updates(alert.toString()).stream()
                .filter(u -> u.at("/lifecycle/status").asText().equals("verified")).findFirst().orElseThrow();
        assertEquals("confirmed_by_listening", update.at("/lifecycle/outcome").asText());
        assertEquals("threats heard", update.at("/lifecycle/note").asText());
        assertEquals("op-anna", update.at("/lifecycle/operator").asText());
        assertTrue(server.log().events().stream().anyMatch(e -> e instanceof Event.AlertStatusReported r
                && r.status() == AlertStatus.VERIFIED && r.outcome() == VerificationOutcome.CONFIRMED_BY_LISTENING));
    }

    @Test
    void verificationWithoutOutcome_is400NamingTheField_andNothingIsRecorded() throws Exception {
        start();
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        String anna = login("op-anna");
        UUID alert = send(ALICE, alice, FrameType.PANIC);

        StaffClient.Reply refused = act(anna, alert, "verify", JSON.createObjectNode().put("note", "heard nothing"));

        assertEquals(400, refused.status());
        assertTrue(refused.error().contains("outcome"), refused.error());
        assertTrue(server.log().events().stream().noneMatch(Event.AlertStatusReported.class::isInstance));
    }

    @Test
    void acknowledgeAfterOnScene_is409NamingTheCurrentState_andNothingIsRecorded() throws Exception {
        start();
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        String anna = login("op-anna");
        UUID alert = send(ALICE, alice, FrameType.PANIC);
        assertEquals(200, act(anna, alert, "on-scene", null).status());

        StaffClient.Reply refused = act(anna, alert, "acknowledge", null);

        assertEquals(409, refused.status());
        assertEquals("on_scene", refused.body().path("currentState").asText());
        assertEquals(1, server.log().events().stream().filter(Event.AlertStatusReported.class::isInstance).count());
    }

    @Test
    void reconnectWithLastEventId_getsEveryChangeMissedMeanwhile_withoutAReset() throws Exception {
        start();
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        IssuedCredential other = server.enroll(BOB, Region.IJSSELLAND);
        String anna = login("op-anna");
        EventStreamClient first = stream(anna, "", null);
        UUID alert = send(ALICE, alice, FrameType.PANIC);
        await().atMost(Duration.ofSeconds(5)).until(() -> hasState(first, alert, "new"));
        String resumeFrom = first.lastId();
        first.close();

        send(ALICE, alice, FrameType.PANIC); // repeated press while the console is away
        UUID second = send(BOB, other, FrameType.PANIC);
        assertEquals(200, act(login("op-bram"), alert, "acknowledge", null).status());
        EventStreamClient resumed = stream(anna, "", resumeFrom);

        await().atMost(Duration.ofSeconds(5)).until(() -> hasState(resumed, alert, "acknowledged")
                && hasState(resumed, second, "new"));
        assertTrue(resumed.named("reset").isEmpty(), "resumed, not reset");
        assertTrue(resumed.named("alert").stream().anyMatch(e -> e.data().path("presses").asInt() == 2),
                "the repeated press is among the changes replayed");
        long previous = Long.parseLong(resumeFrom);
        for (EventStreamClient.Sse event : resumed.named("alert")) {
            assertTrue(Long.parseLong(event.id()) > previous, "in log order, nothing twice");
            previous = Long.parseLong(event.id());
        }
        EventStreamClient byQuery = stream(anna, "?after=" + resumeFrom, null);
        await().atMost(Duration.ofSeconds(5)).until(() -> byQuery.named("alert").size() == resumed.named("alert").size());
    }

    @Test
    void freshConsole_getsTheWholeQueueAsAReset_thenHeartbeatsEveryTwoSeconds() throws Exception {
        start();
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        UUID alert = send(ALICE, alice, FrameType.PANIC);

        EventStreamClient console = stream(login("op-anna"), "", null);

        JsonNode reset = console.named("reset").get(0).data();
        assertEquals(alert.toString(), reset.path("alerts").get(0).path("alertId").asText());
        await().atMost(Duration.ofSeconds(10)).until(() -> console.named("heartbeat").size() >= 3);
        List<EventStreamClient.Sse> beats = console.named("heartbeat");
        Duration gap = Duration.ofNanos(beats.get(2).atNanos() - beats.get(1).atNanos());
        assertTrue(gap.toMillis() > 1000 && gap.toMillis() < 4000, "about 2 s apart: " + gap);
    }

    @Test
    void alertDetail_hasProfileAndTrack_andItsReadIsRecordedBeforeItIsServed() throws Exception {
        start();
        IssuedCredential alice = server.enroll(ALICE, Region.IJSSELLAND);
        UUID carrier = server.server().registerCarrier(Region.IJSSELLAND, new CarrierProfile("Johanna Vermeulen",
                "+31 6 4817 2290", "photo-0017", "ex-partner followed her twice", "tall, red van", "two children",
                new CarrierProfile.Eligibility(true, true, true, true, true))).join();
        server.server().assign(ALICE, carrier).join();
        String anna = login("op-anna");
        UUID alert = send(ALICE, alice, FrameType.PANIC);
        send(ALICE, alice, FrameType.LOCATION);

        StaffClient.Reply detail = client.get("/control/v1/alerts/" + alert, anna);

        assertEquals(200, detail.status(), detail.error());
        assertEquals("Johanna Vermeulen", detail.body().at("/carrier/name").asText());
        assertEquals("tall, red van", detail.body().at("/carrier/aggressor").asText());
        assertFalse(detail.body().toString().contains("+31 6"), "the police profile carries no phone number");
        assertEquals(2, detail.body().path("track").size());
        assertEquals(12, detail.body().at("/track/0/accuracyM").asInt());
        assertTrue(detail.body().at("/track/0/ageS").asInt() >= 3);
        assertEquals("press", detail.body().at("/timeline/0/kind").asText());
        assertTrue(server.log().events().stream().anyMatch(e -> e instanceof Event.StaffAccess a
                && a.username().equals("op-anna") && a.action().equals("control.alert.read")
                && a.subject().equals(alert.toString()) && a.outcome() == AccessOutcome.ALLOWED));
        assertEquals(200, client.get("/control/v1/alerts/" + alert.toString().toUpperCase(), anna).status(),
                "upper-case hex is the same id, as everywhere in the staff API (StaffIds)");
        StaffClient.Reply malformed = client.get("/control/v1/alerts/1-1-1-1-1", anna);
        assertEquals(400, malformed.status());
        assertTrue(malformed.error().contains("alertId"), malformed.error());
    }

    @Test
    void staffOfKadera_mayNotUseTheControlRoom_andOperatorsMayNotReadKaderasRecords() throws Exception {
        start();
        String sam = client.login("sam", PASSWORD.toCharArray(), totp.of("sam"));
        String anna = login("op-anna");

        assertEquals(403, client.get("/control/v1/queue", sam).status());
        assertEquals(403, client.get("/staff/v1/carriers", anna).status());
        assertEquals(403, client.get("/staff/v1/alerts", anna).status());
    }

    @Test
    void operatorAccountWithoutRegions_isRefused_andOtherRolesTakeNoRegions() throws Exception {
        start();
        String admin = client.login("root", ADMIN_PASSWORD.toCharArray(), totp.of("root"));

        StaffClient.Reply noRegions = client.post("/staff/v1/accounts", admin, JSON.createObjectNode()
                .put("username", "op-none").put("role", "operator").put("password", PASSWORD));
        ObjectNode staffWithRegion = JSON.createObjectNode().put("username", "sam2").put("role", "staff")
                .put("password", PASSWORD);
        staffWithRegion.putArray("regions").add("twente");
        StaffClient.Reply staff = client.post("/staff/v1/accounts", admin, staffWithRegion);

        assertEquals(400, noRegions.status());
        assertTrue(noRegions.error().contains("regions"), noRegions.error());
        assertEquals(400, staff.status());
        JsonNode anna = null;
        for (JsonNode account : client.get("/staff/v1/accounts", admin).body().path("accounts")) {
            if (account.path("username").asText().equals("op-anna")) {
                anna = account;
            }
        }
        assertEquals("[\"ijsselland\"]", String.valueOf(anna.path("regions")));
    }

    @Test
    void consoleOnlyRegion_withAnOperatorSignedIn_isReady_andTheirAcknowledgementStopsTheEscalation() throws Exception {
        start(Map.of(Region.TWENTE, Receivers.CONSOLE), Duration.ofSeconds(3));
        IssuedCredential bob = server.enroll(BOB, Region.TWENTE);
        String tess = login("op-tess");
        EventStreamClient console = stream(tess, "", null);
        assertEquals(1.0, meters.get("aware.console.operators").tag("region", "twente").gauge().value());
        assertTrue(server.server().healthChecks().stream().filter(c -> c.name().equals("console-twente"))
                .findFirst().orElseThrow().check().up());

        UUID alert = send(BOB, bob, FrameType.PANIC);
        await().atMost(Duration.ofSeconds(2)).until(() -> hasState(console, alert, "new"));
        assertEquals(200, act(tess, alert, "acknowledge", null).status());

        assertFalse(police.kadera().awaitEscalations(1, Duration.ofSeconds(5)), "acknowledged on the console in time");
        console.close();
        await().atMost(Duration.ofSeconds(5)).until(() ->
                meters.get("aware.console.operators").tag("region", "twente").gauge().value() == 0.0);
    }

    @Test
    void consolePage_isServedWithAStrictContentSecurityPolicy_andNoOtherFile() throws Exception {
        start();
        IssuedCredential browser = server.ca().issueClient("browser", Duration.ofDays(1));
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .sslContext(nl.aware.dispatch.police.MutualTls.context(browser.privateKey(),
                        new java.security.cert.X509Certificate[] {browser.certificate()}, server.ca().certificate()))
                .sslParameters(nl.aware.dispatch.police.MutualTls.tls13Only()).build();

        java.net.http.HttpResponse<String> page = http.send(java.net.http.HttpRequest.newBuilder(base().resolve("/control/"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        java.net.http.HttpResponse<String> other = http.send(java.net.http.HttpRequest.newBuilder(
                base().resolve("/control/..%2Fpom.xml")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());

        assertEquals(200, page.statusCode());
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'")
                && !policy.contains("unsafe-inline"), policy);
        assertFalse(page.body().contains("<script>") || page.body().contains("style="), "no inline script or style");
        assertEquals(404, other.statusCode());
    }

    @Test
    void serverShutdown_endsTheStreamCleanly() throws Exception {
        start();
        EventStreamClient console = stream(login("op-anna"), "", null);

        server.close();
        server = null;

        await().atMost(Duration.ofSeconds(5)).until(() -> console.ended);
        assertTrue(console.endedCleanly, "the stream's last chunk arrived: not a broken connection");
    }
}
