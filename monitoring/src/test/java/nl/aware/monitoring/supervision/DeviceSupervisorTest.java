package nl.aware.monitoring.supervision;

import nl.aware.core.event.DeviceNoticeKind;
import nl.aware.core.event.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static nl.aware.core.event.DeviceNoticeKind.BACK_ONLINE;
import static nl.aware.core.event.DeviceNoticeKind.OFFLINE;
import static nl.aware.monitoring.supervision.SupervisionBed.ALLOWANCE_NANOS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Device supervision over a real event log, with signed frames through the real intake. Heartbeat
 * interval 150 ms, 2 missed heartbeats: OFFLINE after 300 ms of silence.
 */
class DeviceSupervisorTest {
    private static final long SILENT = 0x00000000000000a1L;
    private static final long ALIVE = 0x00000000000000b2L;
    private static final Duration WITHIN = Duration.ofSeconds(3);
    /** Two allowances (and many checks): long enough for any repeated notice to have shown. */
    private static final Duration SETTLE = Duration.ofMillis(2 * ALLOWANCE_NANOS / 1_000_000);

    @TempDir
    Path dir;
    private final SupervisionBed.Devices devices = new SupervisionBed.Devices();
    private final List<SupervisionBed> beds = new ArrayList<>();

    @AfterEach
    void closeAll() {
        beds.forEach(SupervisionBed::close);
    }

    private SupervisionBed open() throws Exception {
        SupervisionBed bed = new SupervisionBed(dir, devices);
        beds.add(bed);
        return bed;
    }

    private static void settle() throws InterruptedException {
        Thread.sleep(SETTLE.toMillis());
    }

    /** Runs a bed until {@code SILENT} has been reported offline, then stops the server. */
    private void serverWhereSilentWentOffline() throws Exception {
        SupervisionBed first = open();
        first.enroll(SILENT);
        first.start();
        first.heartbeat(SILENT);
        await().atMost(WITHIN).until(() -> first.notices(SILENT, OFFLINE).size() == 1);
        await().atMost(WITHIN).until(() -> first.supervisor.offlineCount() == 1);
        first.close();
        beds.remove(first);
    }

    @Test
    void deviceThatStopsHeartbeating_getsExactlyOneOfflineNoticeWithinTheWindow() throws Exception {
        SupervisionBed bed = open();
        bed.enroll(SILENT);
        bed.enroll(ALIVE);
        bed.start();
        bed.keepAlive(ALIVE);
        // Before the send: the supervisor sees the frame later than this, never earlier (after the send
        // returns would be too late a bound, since the durable answer may come after the supervisor saw it).
        long lastFrame = System.nanoTime();
        bed.heartbeat(SILENT);

        await().atMost(WITHIN).until(() -> bed.notices(SILENT, OFFLINE).size() == 1);
        settle();

        List<SupervisionBed.Recorded> offline = bed.notices(SILENT, OFFLINE);
        assertEquals(1, offline.size());
        assertTrue(offline.get(0).nanos() - lastFrame >= ALLOWANCE_NANOS, "reported before the allowance ran out");
        assertEquals(List.of(), bed.notices(ALIVE, OFFLINE));
    }

    @Test
    void frameFromOfflineDevice_getsExactlyOneBackOnlineNotice() throws Exception {
        SupervisionBed bed = open();
        bed.enroll(SILENT);
        bed.start();
        await().atMost(WITHIN).until(() -> bed.notices(SILENT, OFFLINE).size() == 1);

        bed.keepAlive(SILENT);
        await().atMost(WITHIN).until(() -> bed.notices(SILENT, BACK_ONLINE).size() == 1);
        settle();

        assertEquals(1, bed.notices(SILENT, BACK_ONLINE).size());
        assertEquals(1, bed.notices(SILENT, OFFLINE).size());
        assertEquals(0, bed.supervisor.offlineCount());
    }

    @Test
    void offlineNotice_isInTheLogCountedAndGaugedWithoutDeviceLabels() throws Exception {
        SupervisionBed bed = open();
        bed.enroll(SILENT);
        bed.start();

        await().atMost(WITHIN).until(() -> bed.gauge(DeviceSupervisor.OFFLINE) == 1.0);

        assertEquals(1.0, bed.noticeCount(OFFLINE));
        assertEquals(1.0, bed.gauge(DeviceSupervisor.SUPERVISED));
        assertEquals(List.of(SILENT), bed.supervisor.offlineDevices());
        assertTrue(bed.registry.getMeters().stream().flatMap(m -> m.getId().getTags().stream())
                .noneMatch(tag -> tag.getValue().contains("a1")), "a device id leaked into a label");
    }

    @Test
    void afterRestart_devicesThatWereFineGetAFullWindowFromTheStart() throws Exception {
        SupervisionBed first = open();
        first.enroll(SILENT);
        first.enroll(ALIVE);
        first.start();
        first.heartbeat(SILENT);
        first.heartbeat(ALIVE);
        first.close();
        beds.remove(first);
        Thread.sleep(ALLOWANCE_NANOS / 1_000_000 + 100); // down longer than the allowance

        SupervisionBed second = open();
        second.start();
        await().atMost(WITHIN).until(() -> second.recorded.size() == 2);
        settle();

        assertEquals(2, second.recorded.size(), "one OFFLINE per device, no storm: " + second.recorded);
        for (SupervisionBed.Recorded r : second.recorded) {
            assertEquals(OFFLINE, r.notice().kind());
            assertTrue(r.nanos() - second.startNanos >= ALLOWANCE_NANOS, "OFFLINE before a full window: " + r);
        }
    }

    @Test
    void afterRestart_devicesThatHeartbeatGetNoNotices() throws Exception {
        SupervisionBed first = open();
        first.enroll(SILENT);
        first.enroll(ALIVE);
        first.start();
        first.heartbeat(SILENT);
        first.heartbeat(ALIVE);
        first.close();
        beds.remove(first);
        Thread.sleep(ALLOWANCE_NANOS / 1_000_000 + 100);

        SupervisionBed second = open();
        second.start();
        second.keepAlive(SILENT);
        second.keepAlive(ALIVE);
        settle();

        assertEquals(List.of(), second.recorded);
    }

    @Test
    void afterRestart_deviceAlreadyOfflineGetsNoSecondOfflineNotice() throws Exception {
        serverWhereSilentWentOffline();

        SupervisionBed second = open();
        assertEquals(1, second.supervisor.offlineCount(), "replay restores what staff were told");
        second.start();
        settle();

        assertEquals(List.of(), second.recorded);
        assertEquals(1.0, second.gauge(DeviceSupervisor.OFFLINE));
    }

    @Test
    void afterRestart_deviceAlreadyOfflineGetsOneBackOnlineWhenItReturns() throws Exception {
        serverWhereSilentWentOffline();
        SupervisionBed second = open();
        second.start();

        second.keepAlive(SILENT);
        await().atMost(WITHIN).until(() -> second.notices(SILENT, BACK_ONLINE).size() == 1);
        settle();

        assertEquals(1, second.recorded.size(), String.valueOf(second.recorded));
    }

    @Test
    void backOnlineOwedWhenTheServerStopped_isRecordedAfterTheRestart() throws Exception {
        SupervisionBed first = open();
        first.enroll(SILENT);
        first.start();
        await().atMost(WITHIN).until(() -> first.supervisor.offlineCount() == 1);
        first.supervisor.close(); // the server dies between the frame and its BACK_ONLINE notice
        first.heartbeat(SILENT);
        first.close();
        beds.remove(first);

        SupervisionBed second = open();
        second.start();
        second.keepAlive(SILENT);
        await().atMost(WITHIN).until(() -> second.notices(SILENT, BACK_ONLINE).size() == 1);
        settle();

        assertEquals(1, second.recorded.size(), String.valueOf(second.recorded));
    }

    @ParameterizedTest(name = "STATUS code {0} -> {1}")
    @CsvSource({"1, LOW_BATTERY", "2, DEVICE_FAULT", "3, TAMPER"})
    void statusFrames_giveOneNoticePerTransitionNotPerFrame(int code, DeviceNoticeKind kind) throws Exception {
        SupervisionBed bed = open();
        bed.enroll(ALIVE);
        bed.start();
        bed.keepAlive(ALIVE);

        bed.status(ALIVE, code, 12);
        bed.status(ALIVE, code, 11);
        await().atMost(WITHIN).until(() -> bed.notices(ALIVE, kind).size() == 1);
        // A sixth of an allowance later: still the same condition, with room for a loaded machine's stalls.
        Thread.sleep(ALLOWANCE_NANOS / 6_000_000);
        bed.status(ALIVE, code, 10);
        settle();

        assertEquals(List.of(new Event.DeviceNotice(ALIVE, kind, 12)),
                bed.notices(ALIVE, kind).stream().map(SupervisionBed.Recorded::notice).toList());
    }

    @Test
    void revokedDevice_isNotSupervised() throws Exception {
        SupervisionBed bed = open();
        bed.enroll(SILENT);
        bed.revoke(SILENT);
        bed.start();
        settle();

        assertEquals(List.of(), bed.recorded);
        assertEquals(0.0, bed.gauge(DeviceSupervisor.SUPERVISED));
    }
}
