package nl.aware.dispatch;

import nl.aware.core.protocol.FrameType;
import nl.aware.dispatch.work.DispatchItem;
import nl.aware.dispatch.work.WorkKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Work that was durable but not delivered is owed after a restart, PANIC first, with the same ids. */
class DispatchRecoveryTest {
    private static final long CARRIER = 0x0000000000000d01L;
    private static final long OTHER = 0x0000000000000d02L;

    @TempDir
    Path dir;

    @Test
    void undeliveredWork_isOwedAfterRestartPanicFirst() throws Exception {
        UUID test;
        UUID panic;
        try (DispatchTestBed before = new DispatchTestBed(dir)) {
            before.enroll(CARRIER);
            before.enroll(OTHER);
            test = before.send(OTHER, FrameType.TEST);
            panic = before.send(CARRIER, FrameType.PANIC);
        }
        List<DispatchItem> owed = new ArrayList<>();
        try (DispatchTestBed after = new DispatchTestBed(dir)) {
            after.projection.start(owed::add);
        }
        assertEquals(List.of(panic, test), owed.stream().map(DispatchItem::itemId).toList());
        assertEquals(WorkKind.NEW_ALERT, owed.get(0).kind());
    }

    @Test
    void deliveredWork_isNotOwedAfterRestart() throws Exception {
        UUID panic;
        try (DispatchTestBed before = new DispatchTestBed(dir)) {
            before.enroll(CARRIER);
            ScriptedCourier police = new ScriptedCourier();
            police.acceptEverything();
            RegionDispatcher dispatcher = before.dispatcher(police, new ScriptedCourier(), DispatchLimits.defaults());
            before.projection.start(dispatcher::submit);
            panic = before.send(CARRIER, FrameType.PANIC);
            await().until(() -> before.projection.acceptedReference(panic).isPresent());
            dispatcher.close();
        }
        List<DispatchItem> owed = new ArrayList<>();
        try (DispatchTestBed after = new DispatchTestBed(dir)) {
            after.projection.start(owed::add);
            assertTrue(owed.isEmpty());
            assertTrue(after.projection.acceptedReference(panic).isPresent(), "acceptance survives the restart");
        }
    }
}
