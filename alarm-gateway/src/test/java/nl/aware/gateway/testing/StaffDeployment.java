package nl.aware.gateway.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.aware.core.testing.MutableClock;
import nl.aware.gateway.StaffBootstrap;
import nl.aware.gateway.cli.StaffClient;
import nl.aware.web.staff.StaffApiSettings;

import java.nio.file.Path;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A running server with its staff API and three people signed in the real way (password and TOTP): the first
 * administrator {@code root}, the case worker {@code sam} and the auditor {@code audrey} (whose session is
 * opened on demand, {@link #audrey()}). The set-up the staff API tests share.
 */
public final class StaffDeployment implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String ADMIN_PASSWORD = "admin passphrase, long enough";
    public static final String STAFF_PASSWORD = "staff passphrase, long enough";
    public static final String AUDITOR_PASSWORD = "auditor passphrase, long enough";

    public final TestServer server;
    public final StaffClient client;
    /** Session tokens of root (administrator) and sam (case worker). */
    public final String admin;
    public final String sam;
    private final TestAuthenticator totp;

    private StaffDeployment(TestServer server, StaffClient client, String admin, String sam, TestAuthenticator totp) {
        this.server = server;
        this.client = client;
        this.admin = admin;
        this.sam = sam;
        this.totp = totp;
    }

    /** Bootstraps root, starts the server on {@code clock} with the staff API, creates and signs in sam and audrey. */
    public static StaffDeployment start(Path directory, MutableClock clock, TestAuthenticator totp) throws Exception {
        TestServer server = TestServer.create(directory);
        StaffBootstrap.createFirstAdministrator(server.data(), server.keys(), "root", ADMIN_PASSWORD.toCharArray(), clock);
        server.clock(clock).staffApi(StaffApiSettings.loopback(0)).start();
        StaffClient client = new StaffClient(java.net.URI.create("https://localhost:"
                + server.server().staffApiAddress().getPort()), server.ca().certificate());
        String admin = client.login("root", ADMIN_PASSWORD.toCharArray(), totp.of("root"));
        for (String[] person : new String[][] {{"sam", "staff", STAFF_PASSWORD}, {"audrey", "auditor", AUDITOR_PASSWORD}}) {
            StaffClient.Reply reply = client.post("/staff/v1/accounts", admin, JSON.createObjectNode()
                    .put("username", person[0]).put("role", person[1]).put("password", person[2]));
            assertEquals(201, reply.status(), reply.error());
        }
        String sam = client.login("sam", STAFF_PASSWORD.toCharArray(), totp.of("sam"));
        return new StaffDeployment(server, client, admin, sam, totp);
    }

    /** A session of the auditor audrey. */
    public String audrey() throws Exception {
        return client.login("audrey", AUDITOR_PASSWORD.toCharArray(), totp.of("audrey"));
    }

    /** A carrier's registration as the staff console sends it: a fictional person, eligible, in IJsselland. */
    public static ObjectNode carrierJson() {
        ObjectNode body = JSON.createObjectNode().put("region", "IJSSELLAND").put("name", "Johanna Vermeulen")
                .put("phone", "+31 6 4817 2290").put("photoReference", "photo-0017").put("threat", "followed her")
                .put("aggressor", "tall, red van").put("policeNotes", "two children");
        body.putObject("eligibility").put("registeredAfterIntake", true).put("livesInRegion", true)
                .put("agreesToFileReport", true).put("realisticRisk", true).put("noContactWithAggressor", true);
        return body;
    }

    /** Registers {@link #carrierJson()} as sam; the new carrier's id. */
    public UUID register() throws Exception {
        StaffClient.Reply reply = client.post("/staff/v1/carriers", sam, carrierJson());
        assertEquals(201, reply.status(), reply.error());
        return UUID.fromString(reply.body().path("carrierId").asText());
    }

    @Override
    public void close() {
        server.close();
    }
}
