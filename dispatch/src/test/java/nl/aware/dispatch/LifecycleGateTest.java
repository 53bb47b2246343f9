package nl.aware.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.ReportChannel;
import nl.aware.core.event.VerificationOutcome;
import nl.aware.core.protocol.FrameType;
import nl.aware.dispatch.lifecycle.LifecycleGate;
import nl.aware.dispatch.police.PoliceMessages;
import nl.aware.dispatch.work.DispatchItem;
import nl.aware.dispatch.work.WorkKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lifecycle gate on a real log: one winner, never backwards, refusals record nothing. */
class LifecycleGateTest {
    private static final long DEVICE = 0x00000000000a11ceL;

    @TempDir
    Path dir;
    private DispatchTestBed bed;
    private LifecycleGate gate;
    private UUID alert;

    @BeforeEach
    void setUp() throws Exception {
        bed = new DispatchTestBed(dir);
        gate = new LifecycleGate(bed.projection, bed.intake::record);
        bed.enroll(DEVICE);
        alert = bed.send(DEVICE, FrameType.PANIC);
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    private static Event.AlertStatusReported step(UUID alert, AlertStatus status, String operator) {
        return new Event.AlertStatusReported(alert, status, "", operator, ReportChannel.CONSOLE,
                status == AlertStatus.VERIFIED ? VerificationOutcome.CONFIRMED_BY_LISTENING : null, "");
    }

    private List<Event.AlertStatusReported> recordedSteps() throws Exception {
        return bed.events().stream().filter(Event.AlertStatusReported.class::isInstance)
                .map(Event.AlertStatusReported.class::cast).toList();
    }

    @Test
    void twoOperatorsAcknowledgingAtOnce_exactlyOneIsRecorded_theOtherIsToldItIsAlreadyAcknowledged() throws Exception {
        int operators = 8;
        ExecutorService pool = Executors.newFixedThreadPool(operators);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<LifecycleGate.Outcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < operators; i++) {
            String operator = "op-" + i;
            outcomes.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return gate.report(step(alert, AlertStatus.ACKNOWLEDGED, operator)).join();
            }, pool));
        }
        start.countDown();
        List<LifecycleGate.Outcome> results = outcomes.stream().map(CompletableFuture::join).toList();
        pool.shutdown();

        assertEquals(1, results.stream().filter(LifecycleGate.Outcome.Recorded.class::isInstance).count());
        assertEquals(operators - 1, results.stream().filter(o -> o instanceof LifecycleGate.Outcome.Already already
                && already.current() == AlertStatus.ACKNOWLEDGED).count());
        assertEquals(1, recordedSteps().size());
    }

    @Test
    void acknowledgedAfterOnScene_isRefusedNamingTheCurrentState_andNothingIsRecorded() throws Exception {
        assertInstanceOf(LifecycleGate.Outcome.Recorded.class, gate.report(step(alert, AlertStatus.ON_SCENE, "op-a")).join());

        LifecycleGate.Outcome outcome = gate.report(step(alert, AlertStatus.ACKNOWLEDGED, "op-b")).join();

        LifecycleGate.Outcome.Refused refused = assertInstanceOf(LifecycleGate.Outcome.Refused.class, outcome);
        assertEquals(AlertStatus.ON_SCENE, refused.current());
        assertEquals(1, recordedSteps().size());
    }

    @Test
    void racingDifferentSteps_recordOnlyForwardSteps() throws Exception {
        AlertStatus[] steps = {AlertStatus.CLOSED, AlertStatus.ACKNOWLEDGED, AlertStatus.ON_SCENE, AlertStatus.VERIFIED,
                AlertStatus.UNIT_DISPATCHED};
        ExecutorService pool = Executors.newFixedThreadPool(steps.length);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<LifecycleGate.Outcome>> outcomes = new ArrayList<>();
        for (AlertStatus status : steps) {
            outcomes.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return gate.report(step(alert, status, "op-" + status.label())).join();
            }, pool));
        }
        start.countDown();
        outcomes.forEach(CompletableFuture::join);
        pool.shutdown();

        List<AlertStatus> recorded = recordedSteps().stream().map(Event.AlertStatusReported::status).toList();
        for (int i = 1; i < recorded.size(); i++) {
            assertTrue(recorded.get(i).after(recorded.get(i - 1)), "went backwards: " + recorded);
        }
    }

    @Test
    void unknownAlert_isSaidSo_andNothingIsRecorded() throws Exception {
        LifecycleGate.Outcome outcome = gate.report(step(UUID.randomUUID(), AlertStatus.ACKNOWLEDGED, "op-a")).join();

        assertInstanceOf(LifecycleGate.Outcome.UnknownAlert.class, outcome);
        assertEquals(0, recordedSteps().size());
    }

    @Test
    void consoleVerification_becomesAnAlertUpdateForThePoliceSystem_withOutcomeNoteAndOperator() throws Exception {
        gate.report(new Event.AlertStatusReported(alert, AlertStatus.VERIFIED, "", "op-anna", ReportChannel.CONSOLE,
                VerificationOutcome.CONFIRMED_BY_LISTENING, "threats heard")).join();

        List<DispatchItem> updates = bed.projection.owed(item -> item.kind() == WorkKind.LIFECYCLE_UPDATE);
        assertEquals(1, updates.size());
        JsonNode body = PoliceMessages.json().readTree(PoliceMessages.update(updates.get(0)));
        assertEquals("lifecycle", body.get("kind").asText());
        assertEquals(alert.toString(), body.get("alertId").asText());
        assertEquals("verified", body.at("/lifecycle/status").asText());
        assertEquals("confirmed_by_listening", body.at("/lifecycle/outcome").asText());
        assertEquals("threats heard", body.at("/lifecycle/note").asText());
        assertEquals("op-anna", body.at("/lifecycle/operator").asText());
    }

    @Test
    void policeSystemsOwnReport_isNotSentBackToIt() throws Exception {
        gate.report(new Event.AlertStatusReported(alert, AlertStatus.ACKNOWLEDGED, "MK-1", "control-room")).join();

        assertEquals(0, bed.projection.owed(item -> item.kind() == WorkKind.LIFECYCLE_UPDATE).size());
    }

    @Test
    void lateRecordOfAnEarlierStep_doesNotTakeTheProjectionBack() {
        bed.intake.record(step(alert, AlertStatus.ON_SCENE, "op-a")).join();
        bed.intake.record(step(alert, AlertStatus.ACKNOWLEDGED, "op-b")).join(); // as a second node might

        assertEquals(AlertStatus.ON_SCENE, bed.projection.alert(alert).orElseThrow().status());
    }
}
