package nl.aware.simulator.device;

import nl.aware.core.event.Event;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameType;
import nl.aware.gateway.testing.LogContents;
import nl.aware.gateway.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A simulated device against a real server: real sockets, TLS 1.3 with client certificates, a log on disk. */
class SimulatedDeviceTest {
    private static final long DEVICE = 0x00000000000a11ceL;
    /** No heartbeats or location updates during a test: only the frames the test causes. */
    private static final DeviceSettings QUIET = DeviceSettings.defaults()
            .withHeartbeatInterval(Duration.ofHours(1))
            .withTracking(Duration.ofSeconds(15), Duration.ZERO);

    @TempDir
    Path dir;
    private TestServer server;
    private DeviceFleet fleet;

    @BeforeEach
    void startServer() throws Exception {
        server = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        if (fleet != null) {
            fleet.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private SimulatedDevice device(DeviceSettings settings) throws Exception {
        IssuedCredential credential = server.enroll(DEVICE);
        fleet = new DeviceFleet("127.0.0.1", server.server().address().getPort(), server.ca().certificate(), settings, 1);
        return fleet.add(DEVICE, credential, City.ZWOLLE);
    }

    private List<Event.FrameAccepted> panicsInLog() {
        fleet.close();
        server.close(); // AwareServer.close is not idempotent: @AfterEach must not close it again
        LogContents log = server.log();
        server = null;
        return log.accepted().stream()
                .filter(e -> e.frame().type() == FrameType.PANIC).toList();
    }

    @Test
    void press_isAckedAndThePanicIsInTheLog() throws Exception {
        SimulatedDevice device = device(QUIET);
        fleet.start();
        device.press();

        await().atMost(Duration.ofSeconds(10)).until(() -> fleet.stats().panicAcks() == 1);
        FleetStats.AckedPanic acked = fleet.stats().ackedPanics().get(0);
        assertEquals(1, fleet.stats().latency().getTotalCount());

        List<Event.FrameAccepted> panics = panicsInLog();
        assertEquals(1, panics.size());
        assertEquals(acked.eventId(), panics.get(0).eventId());
        assertEquals(DEVICE, panics.get(0).frame().deviceId());
        assertEquals(acked.counter(), panics.get(0).frame().counter());
    }

    @Test
    void unackedFrame_isRetransmittedWithTheSameBytesAndAckedAsDuplicate() throws Exception {
        SimulatedDevice device = device(QUIET.withAckTimeout(Duration.ofMillis(300)));
        List<DeviceFrame> written = new CopyOnWriteArrayList<>();
        device.onWrite(written::add);
        device.ignoreNextAcks(1); // the first ACK is "lost": the device must send the PANIC again
        fleet.start();
        device.press();

        await().atMost(Duration.ofSeconds(10)).until(() -> fleet.stats().panicAcks() == 1);
        assertEquals(2, written.size());
        assertTrue(written.get(0).sameBytesAs(written.get(1)));
        assertEquals(1, fleet.stats().retransmissions());
        assertEquals(1, fleet.stats().duplicatesAcked(), "the server answered the retransmission with ACK status 1");

        assertEquals(1, panicsInLog().size());
    }

    @Test
    void unackedFrame_isRetransmittedUnchangedOverANewConnection() throws Exception {
        SimulatedDevice device = device(QUIET.withAckTimeout(Duration.ofSeconds(30))); // only the reconnect resends
        List<DeviceFrame> written = new CopyOnWriteArrayList<>();
        device.onWrite(written::add);
        device.ignoreNextAcks(1);
        fleet.start();
        device.press();
        await().atMost(Duration.ofSeconds(10)).until(() -> fleet.stats().acks() == 0 && written.size() == 1
                && server.server().eventLog().lastSequence() >= 2); // enrolment + the PANIC are durable

        device.dropConnection();

        await().atMost(Duration.ofSeconds(10)).until(() -> fleet.stats().panicAcks() == 1);
        assertEquals(2, written.size());
        assertTrue(written.get(0).sameBytesAs(written.get(1)));
        assertEquals(1, fleet.stats().duplicatesAcked());
        assertEquals(1, panicsInLog().size());
    }
}
