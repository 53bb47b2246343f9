package nl.aware.core.event;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.admin.CarrierRegistration;
import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.intake.Intake;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.state.ServerState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one read-and-decode loop over a log directory, on a real log written through the intake. */
class DecodedLogTest {
    @TempDir
    Path dir;
    private EventCodec codec;

    @BeforeEach
    void writeLog() throws Exception {
        codec = new EventCodec(DataKeyRing.create(dir.resolve("keys")));
        try (EventLog log = EventLog.open(EventLogOptions.defaults(dir.resolve("log")), new SimpleMeterRegistry(),
                record -> { })) {
            Intake intake = new Intake(log, codec, new ServerState(), Clock.systemUTC());
            intake.record(CarrierRegistration.of(Region.TWENTE, new CarrierProfile("Jolien de Vries", "", "", "ex-partner",
                    "", "", new CarrierProfile.Eligibility(true, true, true, true, true)))).join(); // sealed
            intake.record(new Event.DeviceRevoked(7, "reported lost")).join(); // clear text
        }
    }

    @Test
    void read_handsOverEachRecordWithItsEvent_inLogOrder() throws Exception {
        List<String> seen = new ArrayList<>();
        DecodedLog.Result result = DecodedLog.read(dir.resolve("log"), codec,
                (record, event) -> seen.add(record.sequence() + " " + event.getClass().getSimpleName()));
        assertEquals(List.of("1 CarrierRegistered", "2 DeviceRevoked"), seen);
        assertTrue(result.intact());
        assertNull(result.firstFailure());
    }

    @Test
    void read_withKeysThatDoNotOpenARecord_countsItAndNamesTheFirst_andGoesOn() throws Exception {
        EventCodec otherKeys = new EventCodec(DataKeyRing.create(dir.resolve("other-keys")));
        List<Long> seen = new ArrayList<>();
        DecodedLog.Result result = DecodedLog.read(dir.resolve("log"), otherKeys, (record, event) -> seen.add(record.sequence()));
        assertEquals(List.of(2L), seen, "the record it could not decode is never handed over");
        assertEquals(1, result.undecodable());
        assertEquals(1, result.firstFailure().sequence());
        assertTrue(result.verification().intact(), "the log itself is sound");
        assertFalse(result.intact());
    }
}
