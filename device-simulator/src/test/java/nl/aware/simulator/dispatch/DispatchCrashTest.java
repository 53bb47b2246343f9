package nl.aware.simulator.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.gateway.testing.DispatchFixture;
import nl.aware.gateway.testing.ServerProcess;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import nl.aware.simulator.controlroom.ArrivalListener;
import nl.aware.simulator.controlroom.SimulatedPolice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise 3 across a crash: the server process is killed with kill -9 while alerts are in flight to
 * the control rooms; after the restart the police have every acknowledged press once, and none twice.
 */
class DispatchCrashTest {
    private static final int DEVICES = 12;
    private static final int LOCATIONS = 3;

    @TempDir
    Path dir;

    @Test
    void killDashNineWhileAlertsAreInFlight_policeSeeNoDuplicateAndNoneMissing() throws Exception {
        TestServer setup = TestServer.create(dir).start();
        Map<Long, IssuedCredential> credentials = new ConcurrentHashMap<>();
        for (long i = 1; i <= DEVICES; i++) {
            long id = 0x0000000000ca0000L + i;
            credentials.put(id, setup.enroll(id, i % 2 == 0 ? Region.TWENTE : Region.IJSSELLAND));
        }
        setup.close();

        try (SimulatedPolice police = SimulatedPolice.start(setup.ca(), 0, ArrivalListener.NONE)) {
            for (Region region : Region.values()) {
                police.room(region).responseDelay(Duration.ofSeconds(2));
            }
            Path dispatch = new DispatchFixture()
                    .police(Region.IJSSELLAND, police.room(Region.IJSSELLAND).baseUrl().toString(), null)
                    .police(Region.TWENTE, police.room(Region.TWENTE).baseUrl().toString(), null)
                    .kadera(police.kadera().baseUrl().toString())
                    .write(dir.resolve("dispatch"), setup.ca());

            Map<UUID, UUID> ackedLocations = new ConcurrentHashMap<>(); // update id -> its press's alert
            List<UUID> ackedAlerts = new ArrayList<>();
            try (ServerProcess server = ServerProcess.start(setup, dispatch, dir)) {
                InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
                List<TestDevice> devices = new ArrayList<>();
                try {
                    for (var entry : credentials.entrySet()) {
                        devices.add(TestDevice.connect(address, entry.getKey(), entry.getValue(), setup.ca().certificate()));
                    }
                    for (TestDevice device : devices) {
                        device.send(device.panic(1));
                    }
                    for (TestDevice device : devices) {
                        UUID alert = device.nextAck().eventId();
                        ackedAlerts.add(alert);
                        for (int n = 0; n < LOCATIONS; n++) {
                            device.send(device.frame(FrameType.LOCATION, device.deviceId(), 2 + n,
                                    TestDevice.location(TestDevice.ZWOLLE)));
                            ServerFrame answer = device.next();
                            ackedLocations.put(((ServerFrame.Ack) answer).eventId(), alert);
                        }
                    }
                    // Kill while alerts are at the control rooms with their answers held back (2 s).
                    await().atMost(Duration.ofSeconds(20)).until(() -> police.alertCount() >= DEVICES / 2);
                    server.killDashNine();
                } finally {
                    devices.forEach(TestDevice::close);
                }
            }

            int beforeKill = police.alertCount();
            try (ServerProcess restarted = ServerProcess.start(setup, dispatch, dir)) {
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        ackedAlerts.stream().allMatch(alert -> roomFor(police, alert) != null)
                                && ackedLocations.entrySet().stream().allMatch(e -> hasUpdate(police, e.getValue(), e.getKey())));
                restarted.stop();
            }
            assertEquals(DEVICES, police.alertCount(), "one alert per acknowledged press");
            assertEquals(0, police.duplicates(), "no press reached the police twice");
            long replays = police.room(Region.IJSSELLAND).replays() + police.room(Region.TWENTE).replays();
            assertTrue(beforeKill >= DEVICES / 2 && replays >= beforeKill,
                    "alerts in flight at the kill (" + beforeKill + ") were sent again with their ids (" + replays + " replays)");
        }
    }

    private static Region roomFor(SimulatedPolice police, UUID alert) {
        for (Region region : Region.values()) {
            if (police.room(region).alerts().containsKey(alert.toString())) {
                return region;
            }
        }
        return null;
    }

    private static boolean hasUpdate(SimulatedPolice police, UUID alert, UUID update) {
        Region region = roomFor(police, alert);
        if (region == null) {
            return false;
        }
        for (JsonNode body : police.room(region).updates(alert.toString())) {
            if (body.path("updateId").asText().equals(update.toString())) {
                return true;
            }
        }
        return false;
    }
}
