package nl.aware.dispatch;

import nl.aware.core.event.DeviceNoticeKind;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.protocol.FrameType;
import nl.aware.dispatch.work.WorkKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scheduling rules of one region, over a real log and intake; the receiver's answers are scripted. */
class RegionDispatcherTest {
    private static final long CARRIER = 0x0000000000000c01L;
    private static final long OTHER = 0x0000000000000c02L;
    /** Two slots, one of them only for a PANIC; tiny backoff so retries are quick. */
    private static final DispatchLimits TIGHT = new DispatchLimits(2, 1, 1000, Duration.ofMillis(1),
            Duration.ofMillis(5), 3, Duration.ofSeconds(15));

    @TempDir
    Path dir;
    private DispatchTestBed bed;
    private final ScriptedCourier police = new ScriptedCourier();
    private final ScriptedCourier kadera = new ScriptedCourier();
    private RegionDispatcher dispatcher;

    @BeforeEach
    void setUp() throws Exception {
        bed = new DispatchTestBed(dir);
        bed.enroll(CARRIER);
        bed.enroll(OTHER);
    }

    @AfterEach
    void tearDown() {
        if (dispatcher != null) {
            dispatcher.close();
        }
        bed.close();
    }

    private void start(DispatchLimits limits) {
        dispatcher = bed.dispatcher(police, kadera, limits);
        bed.projection.start(dispatcher::submit);
    }

    @Test
    void panic_overtakesQueuedTestsWhileTheGeneralSlotIsBusy() throws Exception {
        start(TIGHT);
        bed.send(OTHER, FrameType.TEST);
        ScriptedCourier.Call slowTest = police.next(); // occupies the only general slot
        for (int i = 0; i < 20; i++) {
            bed.send(OTHER, FrameType.TEST);
        }
        UUID panic = bed.send(CARRIER, FrameType.PANIC);

        ScriptedCourier.Call next = police.next();
        assertEquals(panic, next.item().itemId(), "the PANIC goes out next, on the slot kept for it");
        assertEquals(WorkKind.NEW_ALERT, next.item().kind());
        slowTest.accept();
        next.accept();
        assertEquals(WorkKind.TEST_ALERT, police.next().item().kind());
    }

    @Test
    void queuedWork_leavesInPriorityOrderThenLogOrder() throws Exception {
        start(TIGHT);
        bed.send(OTHER, FrameType.TEST);
        ScriptedCourier.Call blocker = police.next();
        UUID test1 = bed.send(OTHER, FrameType.TEST);
        UUID test2 = bed.send(OTHER, FrameType.TEST);
        bed.send(CARRIER, FrameType.PANIC);
        police.next().accept(); // the alert, on the PANIC slot
        await().until(() -> bed.projection.acceptedReference(bed.state.openAlarms().of(CARRIER).orElseThrow().alertId())
                .isPresent());
        UUID location = bed.send(CARRIER, FrameType.LOCATION);
        blocker.accept();
        ScriptedCourier.Call first = police.next();
        assertEquals(location, first.item().itemId(), "an alert update before older tests");
        first.accept();
        ScriptedCourier.Call second = police.next();
        assertEquals(test1, second.item().itemId());
        second.accept();
        assertEquals(test2, police.next().item().itemId());
    }

    @Test
    void locationUpdate_waitsUntilThePoliceAcceptedItsAlert() throws Exception {
        start(TIGHT);
        UUID alert = bed.send(CARRIER, FrameType.PANIC);
        ScriptedCourier.Call alertCall = police.next();
        UUID location = bed.send(CARRIER, FrameType.LOCATION);
        assertNull(police.nextWithin(300), "no update before the alert is accepted");
        alertCall.accept();
        ScriptedCourier.Call update = police.next();
        assertEquals(location, update.item().itemId());
        assertEquals(WorkKind.LOCATION_UPDATE, update.item().kind());
        assertEquals(alert, update.item().alertId());
    }

    @Test
    void repeatedPress_isAnUpdateOfTheOpenAlertNotASecondAlert() throws Exception {
        start(TIGHT);
        police.acceptEverything();
        UUID first = bed.send(CARRIER, FrameType.PANIC);
        UUID second = bed.send(CARRIER, FrameType.PANIC);
        await().until(() -> police.history().size() == 2);
        var repeat = police.history().get(1).item();
        assertEquals(WorkKind.REPEATED_PRESS, repeat.kind());
        assertEquals(second, repeat.itemId());
        assertEquals(first, repeat.alertId());
        assertEquals(2, repeat.presses());
    }

    @Test
    void courierThrowingBeforeSending_doesNotStopTheRegionsSender() throws Exception {
        start(TIGHT);
        police.throwOnNext();
        UUID panic = bed.send(CARRIER, FrameType.PANIC);
        ScriptedCourier.Call retried = police.next();
        assertEquals(panic, retried.item().itemId());
        assertEquals(2, retried.attempt(), "the failed start counts as an attempt and is retried");
        retried.accept();
        UUID next = bed.send(OTHER, FrameType.PANIC);
        assertEquals(next, police.next().item().itemId(), "the sender still runs");
    }

    @Test
    void cancel_isInformationOnTheAlertAndNeverClosesIt() throws Exception {
        start(TIGHT);
        police.acceptEverything();
        UUID alert = bed.send(CARRIER, FrameType.PANIC);
        UUID cancel = bed.send(CARRIER, FrameType.CANCEL);
        UUID pressAgain = bed.send(CARRIER, FrameType.PANIC);
        await().until(() -> police.history().size() == 3);
        var cancelItem = police.history().stream().filter(c -> c.item().itemId().equals(cancel)).findFirst().orElseThrow().item();
        assertEquals(WorkKind.CANCEL_NOTICE, cancelItem.kind());
        assertEquals(alert, cancelItem.alertId());
        assertEquals(alert, bed.state.openAlarms().of(CARRIER).orElseThrow().alertId(), "still open after the cancel");
        var again = police.history().stream().filter(c -> c.item().itemId().equals(pressAgain)).findFirst().orElseThrow().item();
        assertEquals(WorkKind.REPEATED_PRESS, again.kind());
    }

    @Test
    void failedPanic_isRetriedWithTheSameIdAndEveryAttemptIsRecorded() throws Exception {
        start(TIGHT);
        UUID panic = bed.send(CARRIER, FrameType.PANIC);
        police.next().fail("HTTP 503");
        police.next().fail("connection refused");
        ScriptedCourier.Call third = police.next();
        assertEquals(panic, third.item().itemId());
        assertEquals(3, third.attempt());
        third.accept();
        await().until(() -> bed.events().stream().anyMatch(e -> e instanceof Event.Delivered d && d.itemId().equals(panic)));
        List<Event> events = bed.events();
        assertEquals(2, events.stream().filter(e -> e instanceof Event.DeliveryFailed f && f.itemId().equals(panic)).count());
        assertTrue(bed.projection.acceptedReference(panic).isPresent());
        assertEquals(0, bed.projection.owedCount());
    }

    @Test
    void panic_isNeverGivenUp_whileLowPriorityWorkIsShedAfterItsAttempts() throws Exception {
        start(TIGHT);
        UUID test = bed.send(OTHER, FrameType.TEST);
        for (int attempt = 1; attempt <= TIGHT.maxAttemptsSheddable(); attempt++) {
            police.next().fail("HTTP 500");
        }
        await().until(() -> bed.events().stream().anyMatch(e -> e instanceof Event.WorkShed s && s.itemId().equals(test)));
        UUID panic = bed.send(CARRIER, FrameType.PANIC);
        for (int attempt = 1; attempt <= TIGHT.maxAttemptsSheddable() + 2; attempt++) {
            ScriptedCourier.Call call = police.next();
            assertEquals(panic, call.item().itemId());
            call.fail("HTTP 500");
        }
        assertTrue(bed.events().stream().noneMatch(e -> e instanceof Event.WorkShed s && s.itemId().equals(panic)));
        assertTrue(bed.projection.owes(panic));
    }

    @Test
    void backlogOverItsBound_shedsTheOldestLowestPriorityWork() throws Exception {
        start(new DispatchLimits(2, 1, 3, Duration.ofMillis(1), Duration.ofMillis(5), 3, Duration.ofSeconds(15)));
        bed.send(OTHER, FrameType.TEST);
        ScriptedCourier.Call blocker = police.next();
        UUID status1 = bed.notice(CARRIER, DeviceNoticeKind.LOW_BATTERY);
        UUID status2 = bed.notice(CARRIER, DeviceNoticeKind.OFFLINE);
        bed.send(OTHER, FrameType.TEST);
        bed.send(OTHER, FrameType.TEST);
        await().until(() -> bed.events().stream().filter(e -> e instanceof Event.WorkShed).count() == 1);
        assertTrue(bed.events().stream().anyMatch(e -> e instanceof Event.WorkShed s && s.itemId().equals(status1)));
        assertTrue(bed.projection.owes(status2));
        blocker.accept();
    }

    @Test
    void deviceNotice_goesToKaderaNotThePolice() throws Exception {
        start(TIGHT);
        UUID status = bed.notice(CARRIER, DeviceNoticeKind.OFFLINE);
        ScriptedCourier.Call notice = kadera.next();
        assertEquals(status, notice.item().itemId());
        assertNull(police.nextWithin(200));
    }

    @Test
    void heartbeatAndLocationWithoutAnOpenAlert_makeNoDispatchWork() throws Exception {
        start(TIGHT);
        bed.send(CARRIER, FrameType.HEARTBEAT);
        bed.send(CARRIER, FrameType.LOCATION);
        bed.send(CARRIER, FrameType.CANCEL);
        bed.send(CARRIER, FrameType.STATUS); // supervision turns status frames into notices, once per change
        assertNull(police.nextWithin(300));
        assertNull(kadera.nextWithin(100));
        assertEquals(0, bed.projection.owedCount());
    }

    @Test
    void workSubmittedBeforeStart_waits_andLeavesOnTheRegionsLoopOnceStarted() throws Exception {
        dispatcher = bed.unstartedDispatcher(police, kadera, TIGHT);
        bed.projection.start(dispatcher::submit);
        UUID panic = bed.send(CARRIER, FrameType.PANIC);
        assertNull(police.nextWithin(300), "nothing is sent before start()");

        dispatcher.start();
        ScriptedCourier.Call call = police.next();
        assertEquals(panic, call.item().itemId(), "the PANIC queued before start goes out once started");
        assertTrue(call.onRegionLoop(), "requests start on the region's event loop");
        call.accept();
    }

    @Test
    void manyPanicsAtOnce_startOnTheRegionsLoop_eachOnce_neverMoreThanTheSlots() throws Exception {
        DispatchLimits wide = new DispatchLimits(4, 1, 1000, Duration.ofMillis(1), Duration.ofMillis(5), 3,
                Duration.ofSeconds(15));
        start(wide);
        List<UUID> panics = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            panics.add(bed.send(i % 2 == 0 ? CARRIER : OTHER, FrameType.PANIC));
        }
        List<UUID> sent = new java.util.ArrayList<>();
        while (sent.size() < 10) {
            List<ScriptedCourier.Call> open = new java.util.ArrayList<>();
            for (ScriptedCourier.Call call; (call = police.nextWithin(300)) != null; ) {
                open.add(call);
            }
            assertTrue(!open.isEmpty() && open.size() <= 4, "between 1 and 4 requests in flight, was " + open.size());
            for (ScriptedCourier.Call call : open) {
                assertTrue(call.onRegionLoop(), "requests start on the region's event loop");
                sent.add(call.item().itemId());
                call.accept();
            }
        }
        assertEquals(panics.size(), new java.util.HashSet<>(sent).size(), "every PANIC sent once");
    }
}
