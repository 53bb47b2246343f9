package nl.aware.gateway.audio;

import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.AudioChunk;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.gateway.testing.DispatchFixture;
import nl.aware.gateway.testing.LogContents;
import nl.aware.gateway.testing.ServerProcess;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise 1 for sound, with a real process and a real kill -9: a PANIC, then 30 s of AUDIO (75 frames of 400 ms)
 * streamed as fast as ACKs come; the server is killed mid-stream. Every ACKed frame is in the log after the
 * restart, byte for byte, and the device finishes the stream on the restarted server (the alert is still open).
 */
class AudioCrashRecoveryTest {
    private static final long DEVICE = 0x00000000a0d1c0deL;
    private static final int FRAMES = 75;
    private static final int KILL_AFTER_AUDIO_ACKS = 25;

    @TempDir
    Path dir;

    private static AudioChunk chunk(long seq) {
        byte[] packet = new byte[400];
        packet[0] = 0x48;
        packet[1] = (byte) seq;
        packet[2] = (byte) (seq >> 8);
        return AudioChunk.opus(1, seq, seq == FRAMES - 1, 400, List.of(packet, packet));
    }

    @Test
    void killDashNineMidStream_losesNoAckedAudioFrame_andTheStreamGoesOnAfterRestart() throws Exception {
        TestServer deployment = TestServer.create(dir).start();
        IssuedCredential credential = deployment.enroll(DEVICE);
        UUID carrier = deployment.server().registerCarrier(Region.IJSSELLAND, new CarrierProfile("Test Carrier", "",
                "", "", "", "", new CarrierProfile.Eligibility(true, true, true, true, true), true)).join();
        deployment.server().assign(DEVICE, carrier).join();
        deployment.close();
        Path dispatch = new DispatchFixture().write(dir.resolve("dispatch"), deployment.ca());

        Map<Long, UUID> ackedBySeq = new ConcurrentHashMap<>();
        List<DeviceFrame> frames = new ArrayList<>();
        AtomicInteger nextToSend = new AtomicInteger();
        try (ServerProcess server = ServerProcess.start(deployment, dispatch, dir);
             TestDevice device = TestDevice.connect(server.address(), DEVICE, credential, deployment.ca().certificate())) {
            device.send(device.panic(1));
            device.nextAck();
            for (int seq = 0; seq < FRAMES; seq++) {
                frames.add(device.frame(FrameType.AUDIO, DEVICE, 2 + seq, chunk(seq).payload()));
            }
            Thread streamer = new Thread(() -> stream(device, frames, nextToSend, ackedBySeq), "audio-device");
            streamer.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> ackedBySeq.size() >= KILL_AFTER_AUDIO_ACKS);
            server.killDashNine();
            streamer.join(Duration.ofSeconds(30).toMillis());
        }
        int firstUnacked = nextToSend.get(); // sent when the server died, or not yet sent
        assertTrue(firstUnacked < FRAMES, "the kill came mid-stream");

        try (ServerProcess restarted = ServerProcess.start(deployment, dispatch, dir);
             TestDevice device = TestDevice.connect(restarted.address(), DEVICE, credential,
                     deployment.ca().certificate())) {
            for (int seq = firstUnacked; seq < FRAMES; seq++) {
                device.send(frames.get(seq)); // the unanswered frame again, byte for byte, then the rest
                ServerFrame.Ack ack = device.nextAck();
                ackedBySeq.put((long) seq, ack.eventId());
            }
            assertEquals(143, restarted.stop());
        }

        LogContents log = deployment.log();
        assertTrue(log.verification().intact(), () -> "log does not verify: " + log.verification().problem());
        Map<UUID, AudioChunk> kept = new HashMap<>();
        for (Event.FrameAccepted accepted : log.accepted()) {
            if (accepted.frame().type() == FrameType.AUDIO) {
                assertTrue(kept.put(accepted.eventId(), accepted.frame().audio()) == null, "an audio frame kept twice");
            }
        }
        assertEquals(FRAMES, ackedBySeq.size(), "every frame of the stream was ACKed, before or after the kill");
        ackedBySeq.forEach((seq, eventId) -> assertEquals(chunk(seq), kept.get(eventId), "ACKed frame " + seq));
        assertEquals(FRAMES, kept.size());
        assertTrue(log.events().stream().noneMatch(Event.AudioGap.class::isInstance), "no hole in the recording");
    }

    /** Sends frame after frame as each is ACKed, until the server dies. */
    private static void stream(TestDevice device, List<DeviceFrame> frames, AtomicInteger next,
                               Map<Long, UUID> acked) {
        try {
            while (next.get() < frames.size() && device.isOpen()) {
                device.send(frames.get(next.get()));
                ServerFrame answer = device.nextWithin(Duration.ofSeconds(5));
                if (!(answer instanceof ServerFrame.Ack ack)) {
                    return;
                }
                acked.put((long) next.getAndIncrement(), ack.eventId());
            }
        } catch (Exception | AssertionError serverGone) {
            // The kill closes the connection; what matters is what was ACKed before it.
        }
    }
}
