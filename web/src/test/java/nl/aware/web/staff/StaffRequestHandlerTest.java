package nl.aware.web.staff;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import nl.aware.core.event.Event;
import nl.aware.core.log.LogRecord;
import nl.aware.core.staff.AccessOutcome;
import nl.aware.core.staff.Permission;
import nl.aware.core.state.StaffDirectory;
import nl.aware.core.staff.StaffRole;
import nl.aware.core.testing.MutableClock;
import nl.aware.http.ResponseHeadersHandler;
import nl.aware.http.ServiceHandler;
import nl.aware.http.TrustedProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gate in a channel: routes, tokens, roles, and the audit record each decision leaves. */
class StaffRequestHandlerTest {
    private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private static final String CARRIER = "0b6f6c8e-3c55-4a8e-9a57-1f1c1f7b2a10";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T09:00:00Z"));
    private final StaffDirectory directory = new StaffDirectory();
    private final StaffSessions sessions = new StaffSessions(directory, clock, Duration.ofMinutes(15), Duration.ofHours(8));
    private final List<Event> recorded = new ArrayList<>();
    private CompletableFuture<LogRecord> recorderAnswer = CompletableFuture.completedFuture(null);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final StaffAudit audit = new StaffAudit(event -> {
        recorded.add(event);
        return recorderAnswer;
    }, Runnable::run, clock, meters);
    private final AtomicInteger recordsWhenCarrierReadRan = new AtomicInteger(-1);
    private final RouteTable table = RouteTable.builder()
            .add(Route.of(HttpMethod.GET, "/staff/v1/devices", "device.list", Permission.READ_DEVICES,
                    Route.Audit.NOT_RECORDED, r -> CompletableFuture.completedFuture(StaffResponse.noContent())))
            .add(Route.of(HttpMethod.GET, "/staff/v1/carriers/{carrierId}", "carrier.read",
                    Permission.READ_CARRIER_RECORD, Route.Audit.RECORDED, r -> {
                        recordsWhenCarrierReadRan.set(recorded.size());
                        return CompletableFuture.completedFuture(StaffResponse.ok(java.util.Map.of("ok", true)));
                    }))
            .add(Route.of(HttpMethod.GET, "/staff/v1/alerts", "alert.list", Permission.READ_ALERTS,
                    Route.Audit.RECORDED, r -> CompletableFuture.completedFuture(StaffResponse.noContent())))
            .add(Route.of(HttpMethod.GET, "/staff/v1/broken", "broken.read", Permission.READ_DEVICES,
                    Route.Audit.NOT_RECORDED, r -> {
                        throw new IllegalStateException("cannot be read from data/log/00000001.seg");
                    }))
            .build();
    private final EmbeddedChannel channel = new EmbeddedChannel(new ResponseHeadersHandler(nl.aware.web.console.ConsoleSettings.DEFAULTS.securityHeaders()),
            new ServiceHandler("staff API", new StaffRequestHandler(table, sessions, audit), TrustedProxy.none()));

    @AfterEach
    void noLeaks() {
        assertFalse(channel.finishAndReleaseAll());
    }

    private String login(String name, StaffRole role) {
        directory.apply(new LogRecord(1, 0, 20, new byte[0], new byte[32]),
                new Event.StaffAccountCreated(name, role, HASH, "root", 0));
        return sessions.open(directory.find(name).orElseThrow()).token();
    }

    private FullHttpResponse send(String path, String token) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path, Unpooled.EMPTY_BUFFER);
        if (token != null) {
            request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
        }
        channel.writeInbound(request);
        channel.runPendingTasks();
        return channel.readOutbound();
    }

    private static int status(FullHttpResponse response) {
        try {
            return response.status().code();
        } finally {
            response.release();
        }
    }

    @Test
    void noToken_is401WithAChallenge_andRecordedAnonymously() {
        FullHttpResponse response = send("/staff/v1/carriers/" + CARRIER, null);

        assertEquals("Bearer realm=\"aware-staff\"", response.headers().get(HttpHeaderNames.WWW_AUTHENTICATE));
        assertEquals("no-store", response.headers().get(HttpHeaderNames.CACHE_CONTROL));
        assertTrue(response.headers().get("Content-Security-Policy").contains("frame-ancestors 'none'"));
        assertEquals(401, status(response));
        assertEquals(List.of(new Event.StaffAccess(clock.millis(), "", "embedded", "carrier.read", CARRIER,
                AccessOutcome.UNAUTHENTICATED)), recorded);
        assertEquals(-1, recordsWhenCarrierReadRan.get(), "the route did not run");
    }

    @Test
    void wrongRole_is403_andRecordedWithTheStaffMember() {
        String token = login("ada", StaffRole.ADMINISTRATOR);

        assertEquals(403, status(send("/staff/v1/carriers/" + CARRIER, token)));

        assertEquals(List.of(new Event.StaffAccess(clock.millis(), "ada", "embedded", "carrier.read", CARRIER,
                AccessOutcome.FORBIDDEN)), recorded);
        assertEquals(-1, recordsWhenCarrierReadRan.get());
    }

    @Test
    void recordedRoute_runsOnlyAfterItsAccessIsRecorded() {
        String token = login("sam", StaffRole.STAFF);

        assertEquals(200, status(send("/staff/v1/carriers/" + CARRIER, token)));

        assertEquals(List.of(new Event.StaffAccess(clock.millis(), "sam", "embedded", "carrier.read", CARRIER,
                AccessOutcome.ALLOWED)), recorded);
        assertEquals(1, recordsWhenCarrierReadRan.get());
    }

    @Test
    void recordedRoute_isNotServedWhenTheRecordFails() {
        String token = login("sam", StaffRole.STAFF);
        recorderAnswer = CompletableFuture.failedFuture(new java.io.IOException("disk full"));

        FullHttpResponse response = send("/staff/v1/carriers/" + CARRIER, token);

        assertTrue(response.content().toString(StandardCharsets.UTF_8).contains("could not be recorded"));
        assertEquals(503, status(response));
        assertEquals(-1, recordsWhenCarrierReadRan.get());
    }

    @Test
    void unrecordedRoute_leavesNoRecord() {
        String token = login("sam", StaffRole.STAFF);

        assertEquals(204, status(send("/staff/v1/devices", token)));

        assertTrue(recorded.isEmpty());
    }

    @Test
    void unknownPath_is404_withoutARecord() {
        assertEquals(404, status(send("/staff/v1/nothing", null)));
        assertTrue(recorded.isEmpty());
    }

    @Test
    void anonymousFlood_isRecordedUpToTheBudget_andCountedBeyond() {
        for (int i = 0; i < StaffAudit.ANONYMOUS_PER_SECOND + 10; i++) {
            assertEquals(401, status(send("/staff/v1/devices", null)));
        }

        assertEquals(StaffAudit.ANONYMOUS_PER_SECOND, recorded.size());
        assertEquals(10.0, meters.get(StaffAudit.UNRECORDED).counter().count());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(401, status(send("/staff/v1/devices", null)));
        assertEquals(StaffAudit.ANONYMOUS_PER_SECOND + 1, recorded.size(), "a new second, a new budget");
    }

    // --- what a caller types never reaches the trail unless it is a canonical id --------------------

    @Test
    void upperCaseCarrierId_isServed_andFiledInItsCanonicalLowerCase() {
        String token = login("sam", StaffRole.STAFF);

        assertEquals(200, status(send("/staff/v1/carriers/" + CARRIER.toUpperCase(java.util.Locale.ROOT), token)));

        assertEquals(List.of(new Event.StaffAccess(clock.millis(), "sam", "embedded", "carrier.read", CARRIER,
                AccessOutcome.ALLOWED)), recorded);
    }

    @Test
    void uuidNotInCanonicalForm_is400_withoutARecordOrARun() {
        String token = login("sam", StaffRole.STAFF);

        for (String typed : List.of("1-1-1-1-1", "{" + CARRIER + "}", CARRIER.replace("-", ""), CARRIER + "0")) {
            FullHttpResponse response = send("/staff/v1/carriers/" + typed, token);
            assertEquals("{\"error\":\"carrierId is a UUID of 36 characters, e.g. 0b6f6c8e-3c55-4a8e-9a57-1f1c1f7b2a10\"}",
                    response.content().toString(StandardCharsets.UTF_8), typed);
            assertEquals(400, status(response), typed);
        }
        assertTrue(recorded.isEmpty());
        assertEquals(-1, recordsWhenCarrierReadRan.get());
    }

    @Test
    void unauthenticatedRequest_neverFilesItsQuery() {
        assertEquals(401, status(send("/staff/v1/alerts?password=hunter2-typed-into-a-url&device=00a1b2c3d4e5f601", null)));

        assertEquals(List.of(new Event.StaffAccess(clock.millis(), "", "embedded", "alert.list", "",
                AccessOutcome.UNAUTHENTICATED)), recorded);
    }

    @Test
    void filteredList_filesTheNamesOfItsFilterFields_neverTheirValues() {
        String token = login("sam", StaffRole.STAFF);

        assertEquals(204, status(send("/staff/v1/alerts?type=real&device=00A1B2C3D4E5F601&note=hunter2", token)));

        assertEquals(List.of(new Event.StaffAccess(clock.millis(), "sam", "embedded", "alert.list",
                "filter:device,other,type", AccessOutcome.ALLOWED)), recorded);
    }

    @Test
    void failingRoute_answers500WithAFixedSentence_neverTheExceptionText() {
        String token = login("sam", StaffRole.STAFF);

        FullHttpResponse response = send("/staff/v1/broken", token);

        assertEquals("{\"error\":\"internal error (details in the server log)\"}",
                response.content().toString(StandardCharsets.UTF_8));
        assertEquals(500, status(response));
    }
}
