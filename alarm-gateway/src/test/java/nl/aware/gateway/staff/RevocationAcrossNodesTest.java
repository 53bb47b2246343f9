package nl.aware.gateway.staff;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.staff.PasswordHasher;
import nl.aware.core.staff.StaffRole;
import nl.aware.core.testing.MutableClock;
import nl.aware.dispatch.police.CarrierDirectory;
import nl.aware.gateway.AwareServer;
import nl.aware.gateway.ServerSetup;
import nl.aware.gateway.cli.StaffClient;
import nl.aware.gateway.netty.GatewayConfig;
import nl.aware.gateway.testing.TestAuthenticator;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import nl.aware.monitoring.supervision.SupervisionSettings;
import nl.aware.records.checkpoint.CheckpointPolicy;
import nl.aware.redis.RedisStoreOptions;
import nl.aware.redis.testing.RedisServer;
import nl.aware.web.staff.StaffApiSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes on one shared log in a real redis-server: a device revoked through node A's staff API is
 * cut off on node B, which holds its connection (DESIGN promise 7: "at once on every node").
 */
class RevocationAcrossNodesTest {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RevocationAcrossNodesTest.class);
    private static final String PASSWORD = "sam passphrase, long enough";
    private static final long DEVICE = 0x00f0000000000001L;

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    private RedisServer redis;
    private TestServer nodeA;
    private AwareServer nodeB;

    @BeforeEach
    void twoNodes() throws Exception {
        redis = RedisServer.start(dir.resolve("redis"));
        nodeA = TestServer.create(dir.resolve("deployment"));
        RedisStoreOptions shared = RedisStoreOptions.of(redis.uri());
        nodeA.clock(clock).staffApi(StaffApiSettings.loopback(0)).startOnRedis(shared);
        nodeB = AwareServer.start(new ServerSetup(nodeA.data(), nodeA.keys(),
                GatewayConfig.defaults().withPort("127.0.0.1", 0), null, CarrierDirectory.none(),
                SupervisionSettings.DEFAULTS, CheckpointPolicy.DEFAULTS, null, null, shared),
                new SimpleMeterRegistry(), clock);
    }

    @AfterEach
    void stop() {
        if (nodeB != null) {
            nodeB.close();
        }
        nodeA.close();
        redis.close();
    }

    @Test
    void deviceRevokedThroughNodeA_isCutOffOnNodeB_withinOneSecond() throws Exception {
        UUID carrierId = nodeA.server().registerCarrier(Region.TWENTE, new CarrierProfile("Jolien de Vries", "", "", "",
                "", "", new CarrierProfile.Eligibility(true, true, true, true, true))).join();
        IssuedCredential credential = nodeA.enroll(DEVICE, Region.TWENTE);
        nodeA.server().assign(DEVICE, carrierId).join();
        // A case worker's account, straight into the shared log (`aware staff bootstrap` writes the embedded log only).
        nodeA.server().store().append(new Event.StaffAccountCreated("sam", StaffRole.STAFF,
                new PasswordHasher().hash(PASSWORD.toCharArray()), "test", clock.millis())).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> nodeB.state().devices().find(DEVICE).isPresent());
        StaffClient client = new StaffClient(java.net.URI.create("https://localhost:"
                + nodeA.server().staffApiAddress().getPort()), nodeA.ca().certificate());
        String sam = client.login("sam", PASSWORD.toCharArray(), new TestAuthenticator(clock).of("sam"));

        try (TestDevice onB = TestDevice.connect(nodeB.address(), DEVICE, credential, nodeA.ca().certificate())) {
            onB.send(onB.heartbeat(1));
            assertFalse(onB.nextAck().duplicate(), "node B serves the device");

            long sent = System.nanoTime();
            StaffClient.Reply revoked = client.post("/staff/v1/devices/" + DeviceIds.format(DEVICE) + "/revoke", sam,
                    new ObjectMapper().createObjectNode().put("reason", "taken"));
            long answered = System.nanoTime();

            assertEquals(204, revoked.status(), revoked.error());
            assertTrue(onB.awaitClosed(Duration.ofSeconds(1)), "node B closed it within 1 s of node A's answer");
            log.info("revoked on node A: answered after {} ms; node B's connection closed {} ms after the request",
                    (answered - sent) / 1_000_000, (System.nanoTime() - sent) / 1_000_000);
        }
        assertTrue(nodeB.state().devices().find(DEVICE).orElseThrow().revoked());
    }
}
