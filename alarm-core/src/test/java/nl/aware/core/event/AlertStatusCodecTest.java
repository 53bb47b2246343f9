package nl.aware.core.event;

import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.log.LogRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class AlertStatusCodecTest {
    private static final UUID ALERT = UUID.fromString("0b7e6a52-3c1d-4f7a-9d4e-2b8c6f1a0e11");

    @TempDir
    static Path keys;
    private static EventCodec codec;

    @BeforeAll
    static void codec() throws Exception {
        codec = new EventCodec(DataKeyRing.create(keys.resolve("keys")));
    }

    private static Event decode(Event event) throws EventFormatException {
        return codec.decode(new LogRecord(7, 1_764_000_000_000L, EventCodec.typeOf(event), codec.encode(event), new byte[32]));
    }

    @Test
    void consoleVerification_roundTripsWithOperatorOutcomeAndNote() throws Exception {
        Event.AlertStatusReported report = new Event.AlertStatusReported(ALERT, AlertStatus.VERIFIED, "", "op-anna",
                ReportChannel.CONSOLE, VerificationOutcome.CONFIRMED_BY_LISTENING, "shouting heard");

        assertEquals(report, decode(report));
    }

    @Test
    void recordWrittenBeforeTheConsole_readsAsAPoliceSystemReport() throws Exception {
        // alert id, status 3 (on_scene), text "MK-1", text "oost": the layout of the first version.
        byte[] old = HexFormat.of().parseHex(ALERT.toString().replace("-", "") + "03" + "0004" + hex("MK-1")
                + "0004" + hex("oost"));

        Event.AlertStatusReported decoded = (Event.AlertStatusReported) codec.decode(
                new LogRecord(7, 1L, EventCodec.ALERT_STATUS_REPORTED, old, new byte[32]));

        assertEquals(new Event.AlertStatusReported(ALERT, AlertStatus.ON_SCENE, "MK-1", "oost"), decoded);
        assertEquals(ReportChannel.POLICE_SYSTEM, decoded.channel());
        assertNull(decoded.outcome());
    }

    @Test
    void operatorsNote_isSealedNotStoredInClear() {
        byte[] body = codec.encode(new Event.AlertStatusReported(ALERT, AlertStatus.CLOSED, "", "op-anna",
                ReportChannel.CONSOLE, null, "Zwolle Stationsplein"));

        assertFalse(new String(body, StandardCharsets.ISO_8859_1).contains("Stationsplein"));
    }

    @Test
    void lifecycleRecordsKeepTheStatusCodeAtByte16_forEvidenceReaders() {
        byte[] body = codec.encode(new Event.AlertStatusReported(ALERT, AlertStatus.VERIFIED, "", "op-anna",
                ReportChannel.CONSOLE, VerificationOutcome.NO_CONTACT, ""));

        assertEquals(AlertStatus.VERIFIED.code(), body[16] & 0xFF);
    }

    @Test
    void operatorRegions_roundTripAsRecordType29() throws Exception {
        Event.OperatorRegionsSet set = new Event.OperatorRegionsSet("op-anna",
                java.util.Set.of(Region.TWENTE, Region.IJSSELLAND), "root", 1_764_000_000_000L);

        assertEquals(29, EventCodec.typeOf(set));
        assertEquals(set, decode(set));
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }
}
