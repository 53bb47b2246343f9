package nl.aware.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.UUID;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.event.Region;
import nl.aware.core.log.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The carrier's consent to recording after a press, changed after intake (record 46). */
class RecordingConsentTest {
    private static final UUID CARRIER = UUID.fromString("0b7e3c52-9a14-4f6d-8e21-5c3a7d9b1f40");
    private static final CarrierProfile PROFILE = new CarrierProfile("Test Carrier", "0600000000", "", "threat", "", "",
            new CarrierProfile.Eligibility(true, true, true, true, true));

    @TempDir
    Path dir;

    private LogRecord encoded(EventCodec codec, Event event) {
        return new LogRecord(9, 1_764_000_000_000L, EventCodec.typeOf(event), codec.encode(event), new byte[32]);
    }

    @Test
    void recordingConsentSet_roundTripsThroughTheCodecAsRecord46() throws Exception {
        EventCodec codec = new EventCodec(DataKeyRing.create(dir.resolve("keys")));
        for (boolean consent : new boolean[] {true, false}) {
            Event.RecordingConsentSet set = new Event.RecordingConsentSet(CARRIER, consent);
            assertEquals(46, EventCodec.typeOf(set));
            assertEquals(set, codec.decode(encoded(codec, set)));
        }
    }

    @Test
    void consentByteOtherThanZeroOrOne_isAFormatErrorNamingIt() throws Exception {
        EventCodec codec = new EventCodec(DataKeyRing.create(dir.resolve("keys")));
        byte[] payload = codec.encode(new Event.RecordingConsentSet(CARRIER, true));
        payload[16] = 2;

        EventFormatException e = assertThrows(EventFormatException.class, () -> codec.decode(
                new LogRecord(9, 0, EventCodec.RECORDING_CONSENT_SET, payload, new byte[32])));
        assertTrue(e.getMessage().contains("recording consent 2"), e.getMessage());
    }

    @Test
    void consentSet_changesOnlyTheConsentOfThatCarrier() {
        CarrierRegistry registry = new CarrierRegistry();
        registry.apply(new Event.CarrierRegistered(CARRIER, Region.TWENTE, PROFILE));

        registry.apply(new Event.RecordingConsentSet(CARRIER, true));

        CarrierProfile now = registry.find(CARRIER).orElseThrow().profile();
        assertTrue(now.recordsAfterPress());
        assertEquals(PROFILE.name(), now.name());
        assertEquals(PROFILE.eligibility(), now.eligibility());
    }

    @Test
    void profileEditedAfterConsentWasGiven_keepsTheConsent() {
        CarrierRegistry registry = new CarrierRegistry();
        registry.apply(new Event.CarrierRegistered(CARRIER, Region.TWENTE, PROFILE));
        registry.apply(new Event.RecordingConsentSet(CARRIER, true));

        registry.apply(new Event.CarrierProfileUpdated(CARRIER, new CarrierProfile("New Name", "", "", "", "", "",
                PROFILE.eligibility())));

        assertTrue(registry.find(CARRIER).orElseThrow().profile().recordsAfterPress());
    }

    @Test
    void consentWithdrawn_refusesTheNextAudioOfAnOpenPressStream() {
        ServerState state = new ServerState();
        state.carriers().apply(new Event.CarrierRegistered(CARRIER, Region.TWENTE, PROFILE.withRecordsAfterPress(true)));
        state.carriers().apply(new Event.DeviceAssigned(7, CARRIER));
        state.audioStreams().pressed(7, 100, UUID.randomUUID());
        assertFalse(state.audioStreams().refusal(7, 100).isPresent());

        state.carriers().apply(new Event.RecordingConsentSet(CARRIER, false));

        assertEquals(nl.aware.core.event.AudioRefusal.NO_CONSENT, state.audioStreams().refusal(7, 100).orElseThrow());
    }
}
