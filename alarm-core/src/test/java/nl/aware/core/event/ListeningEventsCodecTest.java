package nl.aware.core.event;

import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.log.LogRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The live-listening records (codes 44 and 45) through the log codec. */
class ListeningEventsCodecTest {
    private static final UUID LISTENING = UUID.fromString("9b1f6c1e-3a2d-4e5f-8a7b-1c2d3e4f5a6b");
    private static final UUID ALERT = UUID.fromString("3f2c8a61-5b7e-4d0a-9c1e-8f6b2d4a7e10");
    private static final long DEVICE = 0x00a1b2c3d4e5f601L;

    @TempDir
    static Path dir;
    private static EventCodec codec;

    @BeforeAll
    static void codec() throws Exception {
        codec = new EventCodec(DataKeyRing.create(dir.resolve("keys")));
    }

    private static LogRecord record(Event event) {
        return new LogRecord(7, 1_764_000_000_000L, EventCodec.typeOf(event), codec.encode(event), new byte[32]);
    }

    @Test
    void listeningStarted_roundTripsUnderCode44() throws Exception {
        Event.ListeningStarted started = new Event.ListeningStarted(LISTENING, ALERT, DEVICE, "op-anna", true,
                1_764_000_000_123L);
        assertEquals(44, EventCodec.typeOf(started));
        assertEquals(started, codec.decode(record(started)));
    }

    @Test
    void listeningEnded_roundTripsUnderCode45WithEveryReason() throws Exception {
        for (ListeningEnd reason : ListeningEnd.values()) {
            Event.ListeningEnded ended = new Event.ListeningEnded(LISTENING, ALERT, DEVICE, "op-anna", reason,
                    1_764_000_000_456L);
            assertEquals(45, EventCodec.typeOf(ended));
            assertEquals(ended, codec.decode(record(ended)), reason.label());
        }
    }

    @Test
    void listeningEnded_withAnUnknownReasonCode_isACorruptRecordNotACrash() {
        LogRecord good = record(new Event.ListeningEnded(LISTENING, ALERT, DEVICE, "op", ListeningEnd.STOPPED, 1));
        byte[] payload = good.payload();
        payload[payload.length - 9] = 99; // the reason byte sits before the 8-byte time
        EventFormatException e = assertThrows(EventFormatException.class, () -> codec.decode(
                new LogRecord(7, good.timestampMs(), good.type(), payload, new byte[32])));
        assertEquals(true, e.getMessage().contains("unknown listening end 99"), e.getMessage());
    }
}
