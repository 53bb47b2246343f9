package nl.aware.records.checkpoint;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.event.DeviceNoticeKind;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.log.EventLog;
import nl.aware.core.log.EventLogOptions;
import nl.aware.core.log.LogRecord;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code aware log verify} on real segment files written by {@link EventLog}, with checkpoints signed by a
 * server certificate of a real CA; then each edit a forger could make, byte by byte.
 * The log: 30 device notices, a checkpoint after every 10th (records 11, 22, 33), and 3 more notices.
 */
class CheckpointVerifierTest {
    static CertificateAuthority ca;
    static IssuedCredential server;

    @TempDir
    Path dir;
    Path logDir;

    @BeforeAll
    static void pki() {
        ca = CertificateAuthority.create("Test CA", Duration.ofDays(3650));
        server = ca.issueServer("test gateway", List.of("localhost"), List.of(), Duration.ofDays(30));
    }

    @BeforeEach
    void writeLog() {
        logDir = dir.resolve("log");
        writeLog(logDir, server);
    }

    static void writeLog(Path logDir, IssuedCredential signer) {
        EventCodec codec = new EventCodec(null);
        try (EventLog log = EventLog.open(EventLogOptions.defaults(logDir), new SimpleMeterRegistry(), r -> { })) {
            LogRecord last = null;
            for (int i = 1; i <= 33; i++) {
                Event notice = new Event.DeviceNotice(0xa0 + i, DeviceNoticeKind.values()[i % DeviceNoticeKind.values().length], i);
                last = log.append(EventCodec.typeOf(notice), codec.encode(notice)).join();
                if (i % 10 == 0) {
                    Event.Checkpoint c = Checkpoints.sign(signer.privateKey(), signer.certificate(), last.sequence(),
                            last.hash(), System.currentTimeMillis());
                    log.append(EventCodec.CHECKPOINT, codec.encode(c)).join();
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private CheckpointVerifier.Report verify() throws Exception {
        return CheckpointVerifier.verify(logDir, ca.certificate());
    }

    @Test
    void untouchedLog_verifiesAndReportsTheLastCheckpoint() throws Exception {
        CheckpointVerifier.Report report = verify();
        assertTrue(report.intact(), () -> String.valueOf(report.problem()));
        assertEquals(36, report.chain().lastSequence());
        assertEquals(3, report.checkpoints());
        assertEquals(33, report.checkpointRecord());
        assertEquals(32, report.lastCheckpoint().sequence());
        assertEquals(3, report.uncheckpointedRecords(), "the notices after the last checkpoint");
    }

    @Test
    void flippedByteInTheMiddle_namesThatRecord() throws Exception {
        SegmentEdit segment = new SegmentEdit(SegmentEdit.onlySegment(logDir));
        byte[] file = Files.readAllBytes(segment.file);
        long at = segment.offsetOf(SegmentEdit.index(17)) + 8 + 50; // in record 17's payload
        file[(int) at] ^= 0x01;
        Files.write(segment.file, file);

        CheckpointVerifier.Report report = verify();
        assertFalse(report.intact());
        assertEquals(17, report.problem().sequence());
        assertEquals(segment.offsetOf(SegmentEdit.index(17)), report.problem().offset());
    }

    @Test
    void deletedRecord_namesTheFirstMissing() throws Exception {
        SegmentEdit segment = new SegmentEdit(SegmentEdit.onlySegment(logDir));
        segment.bodies.remove(SegmentEdit.index(14));
        segment.write();

        CheckpointVerifier.Report report = verify();
        assertFalse(report.intact());
        assertEquals(14, report.problem().sequence());
        assertTrue(report.problem().description().contains("sequence"), report.problem().description());
    }

    @Test
    void swappedRecords_nameTheFirstOutOfPlace() throws Exception {
        SegmentEdit segment = new SegmentEdit(SegmentEdit.onlySegment(logDir));
        Collections.swap(segment.bodies, SegmentEdit.index(20), SegmentEdit.index(21));
        segment.write();

        CheckpointVerifier.Report report = verify();
        assertFalse(report.intact());
        assertEquals(20, report.problem().sequence());
    }

    @Test
    void editHiddenByARecomputedChain_isCaughtByTheNextCheckpoint() throws Exception {
        SegmentEdit segment = new SegmentEdit(SegmentEdit.onlySegment(logDir));
        byte[] body = segment.bodies.get(SegmentEdit.index(15));
        body[body.length - 1] ^= 0x01; // record 15's battery level
        segment.rechainFrom(SegmentEdit.index(16));
        segment.write();
        assertTrue(nl.aware.core.log.LogVerifier.verify(logDir).intact(), "the chain alone no longer sees it");

        CheckpointVerifier.Report report = verify();
        assertFalse(report.intact());
        assertEquals(22, report.problem().sequence(), "the checkpoint that signed record 21");
        assertTrue(report.problem().description().contains("records 11..21 were rewritten"),
                report.problem().description());
        assertEquals(1, report.checkpoints(), "the checkpoint before the edit still holds");
        assertEquals(10, report.lastCheckpoint().sequence());
    }

    @Test
    void checkpointOfAnotherCa_isRejected() throws Exception {
        Path other = dir.resolve("other");
        CertificateAuthority rogue = CertificateAuthority.create("Rogue CA", Duration.ofDays(3650));
        writeLog(other, rogue.issueServer("rogue gateway", List.of("localhost"), List.of(), Duration.ofDays(30)));

        CheckpointVerifier.Report report = CheckpointVerifier.verify(other, ca.certificate());
        assertFalse(report.intact());
        assertEquals(11, report.problem().sequence());
        assertTrue(report.problem().description().contains("not issued by the trusted CA"), report.problem().description());
        assertNull(report.lastCheckpoint());
    }

    @Test
    void alteredCheckpointTimeWithRecomputedChain_failsItsSignature() throws Exception {
        SegmentEdit segment = new SegmentEdit(SegmentEdit.onlySegment(logDir));
        byte[] body = segment.bodies.get(SegmentEdit.index(33));
        body[SegmentEdit.PREV_HASH_AT + 32 + 8 + 32 + 7] ^= 0x01; // the checkpoint's time, last byte
        segment.rechainFrom(SegmentEdit.index(34));
        segment.write();

        CheckpointVerifier.Report report = verify();
        assertFalse(report.intact());
        assertEquals(33, report.problem().sequence());
        assertTrue(report.problem().description().contains("signature does not verify"), report.problem().description());
        assertNotNull(report.lastCheckpoint());
    }
}
