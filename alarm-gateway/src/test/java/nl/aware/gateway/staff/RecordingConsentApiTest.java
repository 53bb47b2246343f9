package nl.aware.gateway.staff;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.aware.core.event.Event;
import nl.aware.core.staff.AccessOutcome;
import nl.aware.core.testing.MutableClock;
import nl.aware.gateway.cli.StaffClient;
import nl.aware.gateway.testing.TestAuthenticator;
import nl.aware.gateway.testing.StaffDeployment;
import nl.aware.gateway.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

import static nl.aware.gateway.testing.StaffDeployment.carrierJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The carrier's consent to recording after a press (issue 14), shown and changed through the staff API on a real
 * server: real TLS 1.3, real log files. Roles as for the other carrier edits (docs/staff-api.md).
 */
class RecordingConsentApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    private StaffClient.Reply setConsent(UUID carrierId, String session, Object value) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        if (value instanceof Boolean b) {
            body.put("recordsAfterPress", b);
        } else if (value != null) {
            body.put("recordsAfterPress", value.toString());
        }
        return client.send("PUT", "/staff/v1/carriers/" + carrierId + "/recording-consent", session, body);
    }

    @Test
    void carrierRegisteredWithoutTheField_readsAsNoConsent() throws Exception {
        UUID carrierId = staff.register();

        StaffClient.Reply record = client.get("/staff/v1/carriers/" + carrierId, sam);

        assertEquals(200, record.status(), record.error());
        assertFalse(record.body().path("recordsAfterPress").asBoolean(true));
    }

    @Test
    void carrierRegisteredWithConsent_readsAsYes() throws Exception {
        StaffClient.Reply reply = client.post("/staff/v1/carriers", sam, carrierJson().put("recordsAfterPress", true));
        assertEquals(201, reply.status(), reply.error());
        UUID carrierId = UUID.fromString(reply.body().path("carrierId").asText());

        assertTrue(client.get("/staff/v1/carriers/" + carrierId, sam).body().path("recordsAfterPress").asBoolean());
    }

    @Test
    void caseWorkerGivesConsent_isOneRecordInTheLog_andTheCallIsInTheTrail() throws Exception {
        UUID carrierId = staff.register();

        StaffClient.Reply reply = setConsent(carrierId, sam, true);

        assertEquals(204, reply.status(), reply.error());
        assertTrue(client.get("/staff/v1/carriers/" + carrierId, sam).body().path("recordsAfterPress").asBoolean());
        assertEquals(1, server.log().events().stream().filter(e -> e instanceof Event.RecordingConsentSet set
                && set.carrierId().equals(carrierId) && set.recordsAfterPress()).count());
        assertTrue(server.log().events().stream().anyMatch(e -> e instanceof Event.StaffAccess a
                && a.username().equals("sam") && a.action().equals("carrier.consent")
                && a.outcome() == AccessOutcome.ALLOWED));
    }

    @Test
    void consentWithdrawn_readsAsNoAgain() throws Exception {
        UUID carrierId = staff.register();
        assertEquals(204, setConsent(carrierId, sam, true).status());

        assertEquals(204, setConsent(carrierId, sam, false).status());

        assertFalse(server.server().state().carriers().find(carrierId).orElseThrow().profile().recordsAfterPress());
    }

    @Test
    void consentThatIsNotABoolean_is400NamingTheField_andRecordsNothing() throws Exception {
        UUID carrierId = staff.register();

        for (Object bad : new Object[] {"yes", null}) {
            StaffClient.Reply reply = setConsent(carrierId, sam, bad);
            assertEquals(400, reply.status());
            assertTrue(reply.error().contains("\"recordsAfterPress\" (true or false)"), reply.error());
        }
        assertTrue(server.log().events().stream().noneMatch(Event.RecordingConsentSet.class::isInstance));
    }

    @Test
    void consentOfAnUnknownCarrier_is404() throws Exception {
        assertEquals(404, setConsent(UUID.randomUUID(), sam, true).status());
    }

    @Test
    void administratorAndAuditor_mayNotChangeTheConsent() throws Exception {
        UUID carrierId = staff.register();
        String audrey = staff.audrey();

        assertEquals(403, setConsent(carrierId, admin, true).status());
        assertEquals(403, setConsent(carrierId, audrey, true).status());
        assertFalse(server.server().state().carriers().find(carrierId).orElseThrow().profile().recordsAfterPress());
    }

    @Test
    void profileEdit_keepsTheConsent() throws Exception {
        UUID carrierId = staff.register();
        assertEquals(204, setConsent(carrierId, sam, true).status());
        ObjectNode profile = carrierJson().put("name", "Johanna de Vries");
        profile.remove("region");
        profile.remove("eligibility");

        assertEquals(204, client.send("PUT", "/staff/v1/carriers/" + carrierId + "/profile", sam, profile).status());

        assertTrue(server.server().state().carriers().find(carrierId).orElseThrow().profile().recordsAfterPress());
    }
}
