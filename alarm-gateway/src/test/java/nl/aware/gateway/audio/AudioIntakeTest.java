package nl.aware.gateway.audio;

import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.AudioRefusal;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.AudioChunk;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.NackReason;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AUDIO on real sockets, real TLS 1.3 and a real log: kept when its stream is open, NACK 8 otherwise. */
class AudioIntakeTest {
    private static final long DEVICE = 0x00000000a0d10001L;
    private static final CarrierProfile.Eligibility ELIGIBLE = new CarrierProfile.Eligibility(true, true, true, true, true);

    @TempDir
    Path dir;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Enrols the device and hands it to a carrier who did or did not agree to recording after a press. */
    private IssuedCredential carrierDevice(boolean consent) {
        IssuedCredential credential = server.enroll(DEVICE);
        UUID carrier = server.server().registerCarrier(Region.IJSSELLAND, new CarrierProfile("Test Carrier", "",
                "", "", "", "", ELIGIBLE, consent)).join();
        server.server().assign(DEVICE, carrier).join();
        return credential;
    }

    static AudioChunk chunk(long streamId, long seq, boolean last) {
        byte[] packet = new byte[60];
        packet[0] = 0x48; // TOC: SILK wide-band 20 ms mono; the server keeps the bytes, it does not decode them
        packet[1] = (byte) seq;
        return AudioChunk.opus(streamId, seq, last, 40, List.of(packet, packet));
    }

    private List<Event.FrameAccepted> keptAudio() {
        return server.log().accepted().stream().filter(a -> a.frame().type() == FrameType.AUDIO).toList();
    }

    private <T extends Event> List<T> events(Class<T> kind) {
        return server.log().events().stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    @Test
    void audioAfterThePressOfAConsentingCarrier_isAckedAndKeptIntactAcrossARestart() throws Exception {
        IssuedCredential credential = carrierDevice(true);
        List<AudioChunk> sent = new ArrayList<>();
        try (TestDevice device = server.connect(DEVICE, credential)) {
            device.send(device.panic(1));
            device.nextAck();
            for (int seq = 0; seq < 20; seq++) {
                AudioChunk chunk = chunk(1, seq, seq == 19);
                sent.add(chunk);
                device.send(device.frame(FrameType.AUDIO, DEVICE, 2 + seq, chunk.payload()));
                ServerFrame.Ack ack = device.nextAck();
                assertEquals(2 + seq, ack.counter());
                assertFalse(ack.duplicate());
            }
        }
        server.restart();
        assertEquals(sent, keptAudio().stream().map(a -> a.frame().audio()).toList());
        assertTrue(events(Event.AudioGap.class).isEmpty(), "no seq is missing");
    }

    @Test
    void audioOfAnUnknownStream_isNack8KeepsTheConnectionAndIsNotKept() throws Exception {
        IssuedCredential credential = carrierDevice(true);
        try (TestDevice device = server.connect(DEVICE, credential)) {
            device.send(device.frame(FrameType.AUDIO, DEVICE, 1, chunk(4242, 0, false).payload()));
            ServerFrame.Nack nack = assertInstanceOf(ServerFrame.Nack.class, device.next());
            assertEquals(NackReason.NOT_EXPECTED, nack.reason());
            assertEquals(1, nack.counter());
            device.send(device.heartbeat(2));
            assertEquals(2, device.nextAck().counter(), "the connection stays open after NACK 8");
        }
        server.restart();
        assertTrue(keptAudio().isEmpty(), "nothing of the refused stream is kept");
        List<Event.AudioRefused> refused = events(Event.AudioRefused.class);
        assertEquals(1, refused.size());
        assertEquals(AudioRefusal.UNKNOWN_STREAM, refused.get(0).reason());
        assertEquals(4242, refused.get(0).streamId());
        assertEquals(DEVICE, refused.get(0).deviceId());
    }

    @Test
    void audioAfterThePressOfACarrierWhoDidNotConsent_isRefusedAndAudited() throws Exception {
        IssuedCredential credential = carrierDevice(false);
        try (TestDevice device = server.connect(DEVICE, credential)) {
            device.send(device.panic(1));
            device.nextAck();
            device.send(device.frame(FrameType.AUDIO, DEVICE, 2, chunk(1, 0, false).payload()));
            assertEquals(NackReason.NOT_EXPECTED, assertInstanceOf(ServerFrame.Nack.class, device.next()).reason());
        }
        server.restart();
        assertTrue(keptAudio().isEmpty());
        assertEquals(List.of(AudioRefusal.NO_CONSENT),
                events(Event.AudioRefused.class).stream().map(Event.AudioRefused::reason).toList());
    }

    @Test
    void audioOfADeviceWithoutCarrier_afterAPress_isRefusedForWantOfConsent() throws Exception {
        IssuedCredential credential = server.enroll(DEVICE);
        try (TestDevice device = server.connect(DEVICE, credential)) {
            device.send(device.panic(1));
            device.nextAck();
            device.send(device.frame(FrameType.AUDIO, DEVICE, 2, chunk(1, 0, false).payload()));
            assertEquals(NackReason.NOT_EXPECTED, assertInstanceOf(ServerFrame.Nack.class, device.next()).reason());
        }
    }

    @Test
    void missingSeqs_areRecordedAsAGapWhenTheStreamEnds() throws Exception {
        IssuedCredential credential = carrierDevice(true);
        try (TestDevice device = server.connect(DEVICE, credential)) {
            device.send(device.panic(1));
            device.nextAck();
            long counter = 2;
            for (long seq : new long[] {0, 1, 4, 5, 7}) {
                device.send(device.frame(FrameType.AUDIO, DEVICE, counter++, chunk(1, seq, seq == 7).payload()));
                device.nextAck();
            }
        }
        server.restart();
        List<Event.AudioGap> gaps = events(Event.AudioGap.class);
        assertEquals(List.of("2..3", "6..6"), gaps.stream().map(g -> g.fromSeq() + ".." + g.toSeq()).toList());
        assertTrue(gaps.stream().allMatch(g -> g.streamId() == 1 && g.deviceId() == DEVICE));
    }

    @Test
    void audioAfterItsStreamEnded_isNotExpected() throws Exception {
        IssuedCredential credential = carrierDevice(true);
        try (TestDevice device = server.connect(DEVICE, credential)) {
            device.send(device.panic(1));
            device.nextAck();
            device.send(device.frame(FrameType.AUDIO, DEVICE, 2, chunk(1, 0, true).payload()));
            device.nextAck();
            device.send(device.frame(FrameType.AUDIO, DEVICE, 3, chunk(1, 1, false).payload()));
            assertEquals(NackReason.NOT_EXPECTED, assertInstanceOf(ServerFrame.Nack.class, device.next()).reason());
        }
    }

    @Test
    void retransmittedLastAudioFrame_isAckedAgainWithTheSameEventIdAfterItsStreamEnded() throws Exception {
        IssuedCredential credential = carrierDevice(true);
        try (TestDevice device = server.connect(DEVICE, credential)) {
            device.send(device.panic(1));
            device.nextAck();
            var last = device.frame(FrameType.AUDIO, DEVICE, 2, chunk(1, 0, true).payload());
            device.send(last);
            ServerFrame.Ack first = device.nextAck();
            device.send(last);
            ServerFrame.Ack again = device.nextAck();
            assertTrue(again.duplicate());
            assertEquals(first.eventId(), again.eventId());
        }
        server.restart();
        assertEquals(1, keptAudio().size());
    }

    @Test
    void replayedCounterOfAnEndedStream_isNack2AndAudited_notNack8() throws Exception {
        IssuedCredential credential = carrierDevice(true);
        try (TestDevice device = server.connect(DEVICE, credential)) {
            device.send(device.panic(1));
            device.nextAck();
            device.send(device.frame(FrameType.AUDIO, DEVICE, 2, chunk(1, 0, true).payload()));
            device.nextAck();
            // counter 2 again with other bytes: a replay, whatever became of its stream
            device.send(device.frame(FrameType.AUDIO, DEVICE, 2, chunk(1, 1, true).payload()));
            assertEquals(NackReason.REPLAYED_COUNTER, assertInstanceOf(ServerFrame.Nack.class, device.next()).reason());
        }
        server.restart();
        assertEquals(1, keptAudio().size());
        assertTrue(events(Event.AudioRefused.class).isEmpty(), "a replay is no refusal of audio");
        assertEquals(List.of(NackReason.REPLAYED_COUNTER), events(Event.SecurityViolation.class).stream()
                .map(Event.SecurityViolation::reason).toList());
    }
}
