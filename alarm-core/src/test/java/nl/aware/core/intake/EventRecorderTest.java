package nl.aware.core.intake;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.log.LogClosedException;
import nl.aware.core.log.LogRecord;
import nl.aware.core.state.ServerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one helper for records nobody waits for: a failure is logged loudly, with the real cause. */
class EventRecorderTest {
    @TempDir
    Path dir;
    private final Logger caller = (Logger) LoggerFactory.getLogger("nl.aware.test.EventRecorderTest");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private EventLog log;
    private Intake intake;

    @BeforeEach
    void openLog() throws Exception {
        logged.start();
        caller.addAppender(logged);
        log = EventLog.open(EventLogOptions.defaults(dir.resolve("log")), new SimpleMeterRegistry(), record -> { });
        intake = new Intake(log, new EventCodec(DataKeyRing.create(dir.resolve("keys"))), new ServerState(),
                Clock.systemUTC());
    }

    @AfterEach
    void closeLog() {
        caller.detachAppender(logged);
        log.close();
    }

    @Test
    void recordOrReport_logsNothing_whenTheRecordIsDurable() {
        LogRecord record = intake.recordOrReport(new Event.DeviceRevoked(1, "lost"), caller, "revocation of 1").join();
        assertEquals(1, record.sequence());
        assertEquals(List.of(), logged.list);
    }

    @Test
    void recordOrReport_logsAnErrorNamingTheRecordAndTheCause_whenTheLogIsClosed() {
        log.close();
        CompletableFuture<LogRecord> recorded = intake.recordOrReport(new Event.DeviceRevoked(1, "lost"), caller,
                "revocation of device 1");
        CompletionException failure = assertThrows(CompletionException.class, recorded::join);
        assertInstanceOf(LogClosedException.class, failure.getCause(), "the caller still sees the failure");
        assertEquals(1, logged.list.size(), logged.list.toString());
        ILoggingEvent line = logged.list.get(0);
        assertEquals(Level.ERROR, line.getLevel());
        assertTrue(line.getFormattedMessage().startsWith("revocation of device 1 not recorded: "
                + LogClosedException.class.getName()), line.getFormattedMessage());
    }

    @Test
    void recordOrReport_turnsARecorderThatThrowsIntoAFailedFutureAndAnError() {
        EventRecorder broken = event -> {
            throw new IllegalStateException("not open yet");
        };
        CompletableFuture<LogRecord> recorded = broken.recordOrReport(new Event.DeviceRevoked(1, "lost"), caller,
                "revocation of device 1");
        assertTrue(recorded.isCompletedExceptionally());
        assertEquals("revocation of device 1 not recorded: java.lang.IllegalStateException: not open yet",
                logged.list.get(0).getFormattedMessage());
    }
}
