package nl.aware.core.event;

import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.log.LogRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeviceNoticeCodecTest {
    private static final long DEVICE = 0x00a1b2c3d4e5f601L;

    @TempDir
    static Path keys;
    private static EventCodec codec;

    @BeforeAll
    static void codec() throws Exception {
        codec = new EventCodec(DataKeyRing.create(keys.resolve("keys")));
    }

    private static LogRecord record(int type, byte[] payload) {
        return new LogRecord(7, 1_764_000_000_000L, type, payload, new byte[32]);
    }

    @ParameterizedTest
    @EnumSource(DeviceNoticeKind.class)
    void deviceNotice_roundTripsThroughTheCodec(DeviceNoticeKind kind) throws Exception {
        Event.DeviceNotice notice = new Event.DeviceNotice(DEVICE, kind, 14);

        Event decoded = codec.decode(record(EventCodec.typeOf(notice), codec.encode(notice)));

        assertEquals(notice, decoded);
    }

    @Test
    void deviceNotice_hasTypeCode10() {
        assertEquals(10, EventCodec.typeOf(new Event.DeviceNotice(DEVICE, DeviceNoticeKind.OFFLINE, 0xFF)));
    }

    @Test
    void deviceNotice_isEncodedAsDeviceIdKindCodeAndBattery() {
        byte[] body = codec.encode(new Event.DeviceNotice(DEVICE, DeviceNoticeKind.TAMPER, 0xFF));

        assertEquals("00a1b2c3d4e5f601" + "04" + "ff", HexFormat.of().formatHex(body));
    }

    @Test
    void deviceNoticeWithUnknownKind_isACorruptRecord() {
        byte[] body = HexFormat.of().parseHex("00a1b2c3d4e5f601" + "09" + "20");

        assertThrows(EventFormatException.class, () -> codec.decode(record(EventCodec.DEVICE_NOTICE, body)));
    }

    @Test
    void truncatedDeviceNotice_isACorruptRecord() {
        byte[] body = HexFormat.of().parseHex("00a1b2c3d4e5f601" + "01");

        assertThrows(EventFormatException.class, () -> codec.decode(record(EventCodec.DEVICE_NOTICE, body)));
    }
}
