package nl.aware.core.state;

import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.AudioRefusal;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.protocol.AudioChunk;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which audio streams are open, and where their holes are: the rules behind NACK 8 and the gap records. */
class AudioStreamsTest {
    private static final long DEVICE = 7;
    private static final UUID ALERT = UUID.randomUUID();
    private final CarrierRegistry carriers = new CarrierRegistry();
    private final AudioStreams streams = new AudioStreams(carriers);

    private void consentingCarrier() {
        UUID carrier = UUID.randomUUID();
        carriers.apply(new Event.CarrierRegistered(carrier, Region.TWENTE, new CarrierProfile("N", "", "", "", "", "",
                new CarrierProfile.Eligibility(true, true, true, true, true), true)));
        carriers.apply(new Event.DeviceAssigned(DEVICE, carrier));
    }

    private static AudioChunk chunk(long stream, long seq, boolean last) {
        return new AudioChunk(stream, seq, AudioChunk.CODEC_G711_ULAW, last ? AudioChunk.FLAG_LAST : 0, 1, new byte[8]);
    }

    private static List<String> holes(List<long[]> holes) {
        return holes.stream().map(h -> h[0] + ".." + h[1]).toList();
    }

    @Test
    void streamOfAPress_isOpenForAConsentingCarrierUntilTheAlertCloses() {
        consentingCarrier();
        streams.pressed(DEVICE, 11, ALERT);
        assertEquals(Optional.empty(), streams.refusal(DEVICE, 11));
        streams.alertClosed(ALERT);
        assertEquals(Optional.of(AudioRefusal.UNKNOWN_STREAM), streams.refusal(DEVICE, 11));
    }

    @Test
    void closingAnAlert_endsThePressStreamsOfThatAlertOnly() {
        consentingCarrier();
        UUID other = UUID.randomUUID();
        streams.pressed(DEVICE, 11, ALERT);
        streams.pressed(DEVICE, 12, ALERT); // a repeated press: its own stream
        streams.pressed(DEVICE, 13, other);
        streams.listening(DEVICE, 500, ALERT);
        streams.alertClosed(ALERT);
        assertEquals(Optional.of(AudioRefusal.UNKNOWN_STREAM), streams.refusal(DEVICE, 11));
        assertEquals(Optional.of(AudioRefusal.UNKNOWN_STREAM), streams.refusal(DEVICE, 12));
        assertEquals(Optional.empty(), streams.refusal(DEVICE, 13), "another alert's press stream");
        assertEquals(Optional.empty(), streams.refusal(DEVICE, 500), "a LISTEN ends with STOP, not with the alert");
        assertEquals(2, streams.openCount());
    }

    @Test
    void listenStream_needsNoConsentAndEndsWithStop() {
        streams.listening(DEVICE, 500, null);
        assertEquals(Optional.empty(), streams.refusal(DEVICE, 500));
        streams.stopListening(DEVICE);
        assertEquals(Optional.of(AudioRefusal.UNKNOWN_STREAM), streams.refusal(DEVICE, 500));
    }

    @Test
    void listenTheDeviceRefused_endsItsStream() {
        streams.listening(DEVICE, 500, null);
        streams.listenRefused(DEVICE, 500);
        assertEquals(Optional.of(AudioRefusal.UNKNOWN_STREAM), streams.refusal(DEVICE, 500));
    }

    @Test
    void aLateSeq_fillsItsHoleBeforeTheStreamEnds() {
        streams.listening(DEVICE, 500, null);
        for (long seq : new long[] {0, 4, 2, 9}) {
            streams.kept(DEVICE, chunk(500, seq, false));
        }
        streams.kept(DEVICE, chunk(500, 10, true));
        assertEquals(List.of("1..1", "3..3", "5..8"), holes(streams.endedHoles(DEVICE, 500)));
        streams.gapRecorded(DEVICE, 500);
        assertTrue(streams.endedHoles(DEVICE, 500).isEmpty());
    }

    @Test
    void aHugeSeqJump_isOneHoleNotMillionsOfEntries() {
        streams.listening(DEVICE, 500, null);
        streams.kept(DEVICE, chunk(500, 0, false));
        streams.kept(DEVICE, chunk(500, 0xFFFF_FFFFL, true));
        assertEquals(List.of("1..4294967294"), holes(streams.endedHoles(DEVICE, 500)));
    }
}
