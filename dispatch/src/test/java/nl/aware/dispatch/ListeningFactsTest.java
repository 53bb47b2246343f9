package nl.aware.dispatch;

import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.ReportChannel;
import nl.aware.core.event.VerificationOutcome;
import nl.aware.core.intake.IntakeOutcome;
import nl.aware.core.protocol.DeviceCommand;
import nl.aware.core.protocol.FrameType;
import nl.aware.dispatch.work.DispatchItem;
import nl.aware.dispatch.work.ListeningFacts;
import nl.aware.dispatch.work.WorkKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** What the lifecycle updates of an alert say about listening and recorded sound, from a real log. */
class ListeningFactsTest {
    private static final long DEVICE = 0x00000000000a11cfL;
    private static final long LISTEN = 5_000;

    @TempDir
    Path dir;
    private DispatchTestBed bed;
    private UUID alert;

    @BeforeEach
    void setUp() throws Exception {
        bed = new DispatchTestBed(dir);
        bed.enroll(DEVICE);
        alert = bed.send(DEVICE, FrameType.PANIC);
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    private ListeningFacts step(AlertStatus status, VerificationOutcome outcome) {
        long sequence = bed.intake.record(new Event.AlertStatusReported(alert, status, "", "op", ReportChannel.CONSOLE,
                outcome, "")).join().sequence();
        DispatchItem update = bed.projection.owedAt(sequence).orElseThrow();
        assertEquals(WorkKind.LIFECYCLE_UPDATE, update.kind());
        return update.listening();
    }

    private void listenAndRecord() {
        bed.intake.record(new Event.CommandSent(DEVICE, LISTEN, DeviceCommand.LISTEN, 30, "op", alert,
                System.currentTimeMillis())).join();
        assertInstanceOf(IntakeOutcome.Accepted.class, bed.sendAudio(DEVICE, LISTEN, 0));
    }

    @Test
    void beforeAnySound_theUpdateSaysNotVerifiedByListeningAndNoRecording() {
        assertEquals(new ListeningFacts(false, false), step(AlertStatus.ACKNOWLEDGED, null));
    }

    @Test
    void keptAudioOfTheAlert_makesTheNextUpdateSayARecordingExists() {
        step(AlertStatus.ACKNOWLEDGED, null);
        listenAndRecord();
        assertEquals(new ListeningFacts(false, true), step(AlertStatus.VERIFIED, VerificationOutcome.NO_CONTACT));
    }

    @Test
    void confirmedByListening_isSaidOnTheVerifiedStepAndEveryLaterOne() {
        step(AlertStatus.ACKNOWLEDGED, null);
        listenAndRecord();
        assertEquals(new ListeningFacts(true, true),
                step(AlertStatus.VERIFIED, VerificationOutcome.CONFIRMED_BY_LISTENING));
        assertEquals(new ListeningFacts(true, true), step(AlertStatus.UNIT_DISPATCHED, null));
    }
}
