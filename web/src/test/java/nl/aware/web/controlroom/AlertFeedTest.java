package nl.aware.web.controlroom;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import nl.aware.core.event.AlertStatus;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.log.LogRecord;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.Location;
import nl.aware.core.state.ServerState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The feed's queue order and its resume rule, on the real state projections and real signed frames. */
class AlertFeedTest {
    private static final CertificateAuthority CA = CertificateAuthority.create("Feed test CA", Duration.ofDays(2));
    private static final long IJSSELLAND_DEVICE = 0x11L;
    private static final long TWENTE_DEVICE = 0x22L;
    private static final Set<Region> BOTH = Set.of(Region.IJSSELLAND, Region.TWENTE);

    private final ServerState state = new ServerState();
    private final List<AlertFeed.Change> pushed = new ArrayList<>();
    private AlertFeed feed;
    private long sequence;
    private final java.util.Map<Long, FrameSigner> signers = new java.util.HashMap<>();
    private final java.util.Map<Long, Long> counters = new java.util.HashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        feed = new AlertFeed(state.devices(), state.openAlarms(), pushed::add, 4);
        state.register(feed);
        enroll(IJSSELLAND_DEVICE, Region.IJSSELLAND);
        enroll(TWENTE_DEVICE, Region.TWENTE);
    }

    private void enroll(long deviceId, Region region) throws Exception {
        IssuedCredential credential = CA.issueDevice(deviceId, Duration.ofDays(1));
        signers.put(deviceId, new FrameSigner(credential.privateKey()));
        apply(new Event.DeviceEnrolled(deviceId, region, credential.certificate().getEncoded()));
    }

    private long apply(Event event) {
        sequence++;
        state.apply(new LogRecord(sequence, System.currentTimeMillis(), 0, new byte[0], new byte[32]), event);
        return sequence;
    }

    private UUID press(long deviceId, FrameType type) {
        var buffer = Unpooled.buffer(Location.BYTES);
        new Location(525_000_000, 60_000_000, 10, 1, Location.SOURCE_GNSS, 70).write(buffer);
        long counter = counters.merge(deviceId, 1L, Long::sum);
        DeviceFrame frame = DeviceFrame.create(type, deviceId, counter, System.currentTimeMillis(),
                ByteBufUtil.getBytes(buffer), signers.get(deviceId));
        UUID eventId = UUID.randomUUID();
        apply(new Event.FrameAccepted(eventId, System.currentTimeMillis(), frame));
        return eventId;
    }

    @Test
    void queue_putsRealAlertsBeforeTests_unacknowledgedFirst_thenNewestFirst() {
        UUID older = press(IJSSELLAND_DEVICE, FrameType.PANIC);
        UUID test = press(TWENTE_DEVICE, FrameType.TEST);
        UUID newer = press(TWENTE_DEVICE, FrameType.PANIC);
        apply(new Event.AlertStatusReported(newer, AlertStatus.ACKNOWLEDGED, "", "room"));

        List<UUID> order = feed.queue(BOTH).stream().map(AlertFeed.Row::alertId).toList();

        assertEquals(List.of(older, newer, test), order);
    }

    @Test
    void resumeWithinTheRing_givesTheMissedChangesOfTheRegionOnly_inOrder() {
        UUID first = press(IJSSELLAND_DEVICE, FrameType.PANIC);
        long seen = sequence;
        press(TWENTE_DEVICE, FrameType.PANIC);
        press(IJSSELLAND_DEVICE, FrameType.PANIC); // repeated press

        AlertFeed.Resume resume = feed.resume(seen, Set.of(Region.IJSSELLAND), () -> { });

        assertFalse(resume.reset());
        assertEquals(1, resume.missed().size());
        assertEquals(first, resume.missed().get(0).row().alertId());
        assertEquals(2, resume.missed().get(0).row().presses());
    }

    @Test
    void resumeFromBeforeWhatTheRingStillHolds_isAReset() {
        press(IJSSELLAND_DEVICE, FrameType.PANIC);
        long seen = sequence;
        for (int i = 0; i < 5; i++) {
            press(IJSSELLAND_DEVICE, FrameType.LOCATION);
        }

        AlertFeed.Resume resume = feed.resume(seen, BOTH, () -> { });

        assertTrue(resume.reset(), "more changes than the ring holds were missed");
        assertEquals(1, resume.queue().size());
    }

    @Test
    void resumeFromASequenceAheadOfTheLog_isAReset() {
        press(IJSSELLAND_DEVICE, FrameType.PANIC);

        assertTrue(feed.resume(sequence + 100, BOTH, () -> { }).reset());
        assertTrue(feed.resume(-1, BOTH, () -> { }).reset());
    }

    @Test
    void closedAlert_leavesTheQueue_andALateEarlierStepChangesNothing() {
        UUID alert = press(IJSSELLAND_DEVICE, FrameType.PANIC);
        apply(new Event.AlertStatusReported(alert, AlertStatus.CLOSED, "", "room"));
        int changes = pushed.size();

        apply(new Event.AlertStatusReported(alert, AlertStatus.ACKNOWLEDGED, "", "room"));

        assertTrue(feed.queue(BOTH).isEmpty());
        assertEquals(changes, pushed.size(), "no change pushed for a step backwards");
        assertEquals(AlertStatus.CLOSED, feed.row(alert).orElseThrow().status());
    }
}
