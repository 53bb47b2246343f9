package nl.aware.gateway;

import nl.aware.gateway.netty.GatewayConfig;
import nl.aware.gateway.netty.GatewayMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A connection that sends faster than the log makes frames durable stops being read, and loses nothing. */
class BackPressureTest {
    private static final long DEVICE = 0x0000000000bac0feL;

    @TempDir
    Path dir;

    @Test
    void pipelinedFramesBeyondTheInFlightLimit_pauseReadingAndAreAllAckedInOrder() throws Exception {
        GatewayConfig defaults = GatewayConfig.defaults();
        GatewayConfig oneInFlight = new GatewayConfig(defaults.bindAddress(), 0, defaults.handshakeTimeout(),
                defaults.idleTimeout(), defaults.maxConnections(), 1, defaults.ioThreads());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (TestServer server = TestServer.create(dir).gateway(oneInFlight).meters(meters).start()) {
            IssuedCredential credential = server.enroll(DEVICE);
            try (TestDevice device = server.connect(DEVICE, credential)) {
                byte[] burst = new byte[0];
                for (int counter = 1; counter <= 200; counter++) { // one write: the frames arrive together
                    byte[] frame = device.heartbeat(counter).wireBytes();
                    byte[] joined = java.util.Arrays.copyOf(burst, burst.length + frame.length);
                    System.arraycopy(frame, 0, joined, burst.length, frame.length);
                    burst = joined;
                }
                device.sendRaw(burst);
                for (int counter = 1; counter <= 200; counter++) {
                    ServerFrame.Ack ack = device.nextAck();
                    assertEquals(counter, ack.counter(), "ACKs come in frame order");
                    assertFalse(ack.duplicate());
                }
            }
            double pauses = meters.get(GatewayMetrics.READ_PAUSES).counter().count();
            assertTrue(pauses >= 1, "the connection stopped reading while its frame awaited the log");
            assertEquals(200, server.log().accepted().size());
        }
    }
}
