package nl.aware.records.checkpoint;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.event.DeviceNoticeKind;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.intake.EventRecorder;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.log.LogRecord;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checkpoint written at shutdown covers the log's head even when a record lands between signing and writing
 * it (the log's lanes let a device frame overtake a queued checkpoint): a real log, a real CA, the verifier.
 */
class CheckpointWriterShutdownTest {
    private static final CertificateAuthority CA = CertificateAuthority.create("Test CA", Duration.ofDays(60));
    private static final IssuedCredential SERVER = CA.issueServer("test gateway", List.of("localhost"), List.of(),
            Duration.ofDays(30));

    @TempDir
    Path dir;

    @Test
    void aRecordOvertakingTheShutdownCheckpoint_isCoveredByAnotherOne() throws Exception {
        Path logDir = dir.resolve("log");
        EventCodec codec = new EventCodec(null);
        CheckpointWriter writer = new CheckpointWriter(new CheckpointPolicy(1_000, Duration.ofHours(1)),
                SERVER.privateKey(), SERVER.certificate(), Clock.systemUTC());
        try (EventLog log = EventLog.open(EventLogOptions.defaults(logDir), new SimpleMeterRegistry(), r -> { })) {
            AtomicBoolean overtaken = new AtomicBoolean();
            EventRecorder recorder = new EventRecorder() {
                @Override
                public CompletableFuture<LogRecord> record(Event event) {
                    if (event instanceof Event.Checkpoint && overtaken.compareAndSet(false, true)) {
                        append(log, codec, writer, notice(99)); // lands after the head the checkpoint signs
                    }
                    return CompletableFuture.completedFuture(append(log, codec, writer, event));
                }
            };
            writer.start(recorder);
            for (int i = 1; i <= 5; i++) {
                append(log, codec, writer, notice(i));
            }

            writer.close();
        }

        CheckpointVerifier.Report report = CheckpointVerifier.verify(logDir, CA.certificate());
        assertTrue(report.intact(), () -> String.valueOf(report.problem()));
        assertEquals(8, report.chain().lastSequence(), "5 notices, the overtaking notice, the first checkpoint, another");
        assertEquals(8, report.checkpointRecord(), "the log ends with a checkpoint");
        assertEquals(7, report.lastCheckpoint().sequence(), "which signs the record before it");
        assertEquals(0, report.uncheckpointedRecords());
    }

    private static Event notice(int i) {
        return new Event.DeviceNotice(0xa0 + i, DeviceNoticeKind.values()[i % DeviceNoticeKind.values().length], i);
    }

    /** Appends durably and applies to the writer, as the store does. */
    private static LogRecord append(EventLog log, EventCodec codec, CheckpointWriter writer, Event event) {
        LogRecord record = log.append(EventCodec.typeOf(event), codec.encode(event)).join();
        writer.apply(record, event);
        return record;
    }
}
