package nl.aware.core.event;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.log.LogRecord;
import nl.aware.core.protocol.DeviceCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The listen-in records (codes 40..43) and the carrier's consent to recording, through the log codec. */
class AudioAndCommandEventsCodecTest {
    private static final long DEVICE = 0x00a1b2c3d4e5f601L;
    private static final UUID ALERT = UUID.fromString("3f2c8a61-5b7e-4d0a-9c1e-8f6b2d4a7e10");
    private static final CarrierProfile.Eligibility ELIGIBLE = new CarrierProfile.Eligibility(true, true, true, true, true);

    @TempDir
    static Path dir;
    private static DataKeyRing keys;
    private static EventCodec codec;

    @BeforeAll
    static void codec() throws Exception {
        keys = DataKeyRing.create(dir.resolve("keys"));
        codec = new EventCodec(keys);
    }

    private static Event roundTrip(Event event) throws EventFormatException {
        return codec.decode(new LogRecord(7, 1_764_000_000_000L, EventCodec.typeOf(event), codec.encode(event),
                new byte[32]));
    }

    @Test
    void audioRefused_roundTrips() throws Exception {
        Event.AudioRefused refused = new Event.AudioRefused(DEVICE, 17, 4242, AudioRefusal.NO_CONSENT, 1_764_000_000_123L);
        assertEquals(refused, roundTrip(refused));
    }

    @Test
    void audioGap_roundTripsWithUnsigned32BitSeqs() throws Exception {
        Event.AudioGap gap = new Event.AudioGap(DEVICE, 1, 2, 0xFFFF_FFFEL, 1_764_000_000_123L);
        assertEquals(gap, roundTrip(gap));
    }

    @Test
    void commandSent_roundTripsWithAndWithoutAnAlert() throws Exception {
        Event.CommandSent listen = new Event.CommandSent(DEVICE, 1_764_000_000_000_201L, DeviceCommand.LISTEN, 60,
                "operator-ijsselland", ALERT, 1_764_000_000_500L);
        Event.CommandSent locate = new Event.CommandSent(DEVICE, 9, DeviceCommand.LOCATE, 0, "server", null, 5);
        assertEquals(listen, roundTrip(listen));
        assertEquals(locate, roundTrip(locate));
    }

    @Test
    void commandUnanswered_roundTrips() throws Exception {
        Event.CommandUnanswered unanswered = new Event.CommandUnanswered(DEVICE, 9, 10_005);
        assertEquals(unanswered, roundTrip(unanswered));
    }

    @Test
    void newRecords_useCodes40To43AndClashWithNoOtherCode() throws Exception {
        List<Integer> codes = List.of(
                EventCodec.typeOf(new Event.AudioRefused(DEVICE, 1, 1, AudioRefusal.UNKNOWN_STREAM, 1)),
                EventCodec.typeOf(new Event.AudioGap(DEVICE, 1, 1, 1, 1)),
                EventCodec.typeOf(new Event.CommandSent(DEVICE, 1, DeviceCommand.STOP, 0, "x", null, 1)),
                EventCodec.typeOf(new Event.CommandUnanswered(DEVICE, 1, 1)));
        assertEquals(List.of(40, 41, 42, 43), codes);
        Set<Integer> all = new HashSet<>();
        for (var field : EventCodec.class.getFields()) {
            if (field.getType() == int.class) {
                assertTrue(all.add(field.getInt(null)), "record type code " + field.getName() + " is used twice");
            }
        }
    }

    @Test
    void commandSentOfAnUnknownCommandCode_isACorruptRecord() {
        byte[] body = codec.encode(new Event.CommandSent(DEVICE, 9, DeviceCommand.LOCATE, 0, "server", null, 5));
        body[16] = 9; // the command code
        assertThrows(EventFormatException.class, () -> codec.decode(new LogRecord(7, 1, EventCodec.COMMAND_SENT, body,
                new byte[32])));
    }

    @Test
    void carrierConsentToRecording_roundTripsSealed() throws Exception {
        UUID carrier = UUID.randomUUID();
        for (boolean consent : new boolean[] {true, false}) {
            Event.CarrierRegistered registered = new Event.CarrierRegistered(carrier, Region.TWENTE,
                    new CarrierProfile("Name", "", "", "", "", "", ELIGIBLE, consent));
            Event.CarrierRegistered decoded = (Event.CarrierRegistered) roundTrip(registered);
            assertEquals(consent, decoded.profile().recordsAfterPress());
        }
    }

    @Test
    void carrierRegisteredBeforeListenIn_readsAsNoConsentToRecording() throws Exception {
        UUID carrier = UUID.randomUUID();
        ByteBuf profile = Unpooled.buffer(); // the sealed profile as written before issue 14: no consent byte
        for (String field : new String[] {"Name", "06", "", "", "", ""}) {
            byte[] text = field.getBytes(StandardCharsets.UTF_8);
            profile.writeShort(text.length).writeBytes(text);
        }
        profile.writeByte(31);
        byte[] sealed = keys.seal(ByteBufUtil.getBytes(profile), ByteBufUtil.getBytes(Unpooled.buffer(16)
                .writeLong(carrier.getMostSignificantBits()).writeLong(carrier.getLeastSignificantBits())));
        ByteBuf body = Unpooled.buffer().writeLong(carrier.getMostSignificantBits())
                .writeLong(carrier.getLeastSignificantBits()).writeByte(Region.TWENTE.code())
                .writeShort(sealed.length).writeBytes(sealed);
        Event.CarrierRegistered decoded = (Event.CarrierRegistered) codec.decode(new LogRecord(7, 1,
                EventCodec.CARRIER_REGISTERED, ByteBufUtil.getBytes(body), new byte[32]));
        assertEquals("Name", decoded.profile().name());
        assertEquals(ELIGIBLE, decoded.profile().eligibility());
        assertFalse(decoded.profile().recordsAfterPress());
    }
}
