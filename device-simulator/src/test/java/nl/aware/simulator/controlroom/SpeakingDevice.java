package nl.aware.simulator.controlroom;

import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.AudioChunk;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import nl.aware.simulator.device.SpeechClip;

import java.util.List;
import java.util.UUID;

/**
 * A device over mutual TLS 1.3 whose carrier agreed to recording after a press: it presses, and then sends the
 * sound of its press stream (stream id 1, the PANIC's counter) frame by frame when the test says, each frame up
 * to 20 Opus packets of the simulator's real speech (400 ms), as many as fit, as {@code SimulatedDevice} does.
 * Test helper: {@link #send} and {@link #nextAck} may run on different threads, each on one only.
 */
final class SpeakingDevice implements AutoCloseable {
    static final long STREAM = 1;
    private static final SpeechClip SPEECH = SpeechClip.load();

    private final TestDevice device;
    private final UUID alertId;
    private long counter = 1;
    private long seq;
    private long nextPacket;

    private SpeakingDevice(TestDevice device, UUID alertId) {
        this.device = device;
        this.alertId = alertId;
    }

    /** Enrols the device in IJsselland for a consenting carrier, connects, presses and waits for the ACK. */
    static SpeakingDevice pressed(TestServer server, long deviceId) throws Exception {
        IssuedCredential credential = server.enroll(deviceId, Region.IJSSELLAND);
        UUID carrier = server.server().registerCarrier(Region.IJSSELLAND, new CarrierProfile("Test Carrier", "", "",
                "", "", "", new CarrierProfile.Eligibility(true, true, true, true, true), true)).join();
        server.server().assign(deviceId, carrier).join();
        TestDevice device = server.connect(deviceId, credential);
        try {
            device.send(device.panic(1));
            return new SpeakingDevice(device, device.nextAck().eventId()); // the first press's event names the alert
        } catch (Exception | AssertionError e) {
            device.close();
            throw e;
        }
    }

    UUID alertId() {
        return alertId;
    }

    /** The next frame of the press stream, signed; its counter follows the PANIC's. */
    DeviceFrame nextFrame() {
        List<byte[]> packets = SPEECH.frame(nextPacket);
        nextPacket += packets.size();
        AudioChunk chunk = AudioChunk.opus(STREAM, seq++, false, packets.size() * SpeechClip.PACKET_MS, packets);
        return device.frame(FrameType.AUDIO, device.deviceId(), ++counter, chunk.payload());
    }

    void send(DeviceFrame frame) {
        device.send(frame);
    }

    /** The server's next answer, which must be an ACK (an AssertionError otherwise, or after 10 s of nothing). */
    ServerFrame.Ack nextAck() throws InterruptedException {
        return device.nextAck();
    }

    long deviceId() {
        return device.deviceId();
    }

    @Override
    public void close() {
        device.close();
    }
}
