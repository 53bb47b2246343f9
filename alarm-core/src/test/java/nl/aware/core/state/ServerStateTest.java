package nl.aware.core.state;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.intake.Intake;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.log.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServerStateTest {
    @TempDir
    Path dir;

    @Test
    void failingProjection_doesNotFailTheDurableAppend_andTheOthersStillSeeTheEvent() throws Exception {
        ServerState state = new ServerState();
        AtomicInteger seen = new AtomicInteger();
        state.register((record, event) -> {
            throw new IllegalStateException("a broken view");
        });
        state.register((record, event) -> seen.incrementAndGet());
        EventCodec codec = new EventCodec(DataKeyRing.create(dir.resolve("keys")));
        try (EventLog log = EventLog.open(EventLogOptions.defaults(dir.resolve("log")), new SimpleMeterRegistry(),
                record -> { })) {
            Intake intake = new Intake(log, codec, state, Clock.systemUTC());
            LogRecord record = intake.record(new Event.DeviceRevoked(1, "test")).join();
            assertEquals(1, record.sequence(), "the append completed normally");
        }
        assertEquals(1, seen.get());
    }
}
