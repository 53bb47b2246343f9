package nl.aware.simulator.faults;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.event.Event;
import nl.aware.core.log.EventLog;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.NackReason;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.gateway.netty.GatewayMetrics;
import nl.aware.gateway.testing.LogContents;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import nl.aware.monitoring.health.HealthCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Promise 1 when the disk fills up: the event log lives on a 2 MiB tmpfs that the test fills. A press
 * the log cannot make durable is answered NACK 7 (retry), never ACKed; readiness goes down and an ERROR
 * is logged; once space returns the same presses are ACKed and the log is whole. Needs root (mount);
 * skipped elsewhere. CI runs as root.
 */
class DiskFullTest {
    private static final Logger log = LoggerFactory.getLogger(DiskFullTest.class);
    private static final long CARRIER = 0x00000000d15cf011L;
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(10);
    /** Presses that may still fit in the page tmpfs already gave the segment file before the disk ran out. */
    /** The log's zeroed room ahead is already allocated, so presses fill it before the disk refuses one. */
    private static final int MAX_PRESSES_BEFORE_FULL = 200 + EventLog.ROOM_AHEAD_BYTES / 64;

    @TempDir
    Path dir;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> errors = new ListAppender<>();
    private TestServer server;
    private Path mountPoint;

    @BeforeEach
    void mountTinyDisk() throws Exception {
        server = TestServer.create(dir).meters(meters);
        mountPoint = server.data().log();
        Files.createDirectories(mountPoint);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        boolean mounted = mount.waitFor(20, TimeUnit.SECONDS) && mount.exitValue() == 0;
        if (!mounted) {
            mountPoint = null;
        }
        assumeTrue(mounted, "cannot mount a tmpfs for the event log (needs root; CI runs as root): " + output);
        ch.qos.logback.classic.Logger logLogger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(EventLog.class);
        errors.start();
        logLogger.addAppender(errors);
    }

    @AfterEach
    void unmount() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(EventLog.class)).detachAppender(errors);
        server.close();
        if (mountPoint != null) {
            Process umount = new ProcessBuilder("umount", mountPoint.toString()).inheritIO().start();
            if (!umount.waitFor(20, TimeUnit.SECONDS) || umount.exitValue() != 0) {
                new ProcessBuilder("umount", "-l", mountPoint.toString()).inheritIO().start().waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void fullDisk_pressesAreNackedToRetry_readinessDown_andAckedOnceSpaceReturns() throws Exception {
        server.start();
        Map<Long, UUID> acked = new HashMap<>(); // counter -> event id
        List<DeviceFrame> refused = new ArrayList<>();
        try (TestDevice device = server.connect(CARRIER, server.enroll(CARRIER))) {
            long counter = 0;
            DeviceFrame before = device.panic(++counter);
            acked.put(counter, ack(device, before).eventId());
            assertTrue(eventLogCheck().check().up(), "ready while there is space");

            Path filler = fill(mountPoint.resolve("filler"));

            // Presses that still fit in the log's zeroed room ahead and the segment's last page (tmpfs allocates
            // whole pages) are written, durably, and rightly ACKed. The first that needs a new page must be refused.
            int ackedWhileFilling = 0;
            ServerFrame.Nack firstRefusal = null;
            while (firstRefusal == null && counter < MAX_PRESSES_BEFORE_FULL) {
                DeviceFrame press = device.panic(++counter);
                ServerFrame answer = answer(device, press);
                if (answer instanceof ServerFrame.Ack ack) {
                    acked.put(counter, ack.eventId());
                    ackedWhileFilling++;
                } else {
                    firstRefusal = assertInstanceOf(ServerFrame.Nack.class, answer);
                    refused.add(press);
                }
            }
            assertNotNull(firstRefusal, "a press was refused within " + MAX_PRESSES_BEFORE_FULL + " presses of a full disk");
            assertEquals(NackReason.OVERLOADED, firstRefusal.reason(), "a full disk means 'retry', never a false ACK");
            assertTrue(device.isOpen(), "NACK 7 keeps the connection");
            for (int i = 0; i < 5; i++) { // while the disk stays full, every press is refused
                DeviceFrame press = device.panic(++counter);
                ServerFrame.Nack nack = assertInstanceOf(ServerFrame.Nack.class, answer(device, press),
                        "no ACK while the disk is full");
                assertEquals(NackReason.OVERLOADED, nack.reason());
                refused.add(press);
            }
            DeviceFrame retried = device.panic(++counter);
            refused.add(retried);
            assertInstanceOf(ServerFrame.Nack.class, answer(device, retried));
            assertFalse(eventLogCheck().check().up(), "readiness reports the event log not writable");
            assertTrue(errors.list.stream().anyMatch(e -> e.getLevel() == Level.ERROR), "an ERROR was logged");
            assertTrue(meters.get("aware.eventlog.append.failures").counter().count() >= refused.size(),
                    "append failures counted (alert AwareEventLogAppendFailures)");
            assertTrue(meters.get(GatewayMetrics.REJECTIONS).tag("reason", "overloaded").counter().count() >= refused.size(),
                    "refusals counted (alert AwareDevicesTurnedAway)");
            log.info("disk full: {} presses still fitted the room ahead and were ACKed, then {} NACK 7", ackedWhileFilling,
                    refused.size());

            Files.delete(filler);
            assertTrue(eventLogCheck().check().up(), "ready again as soon as there is room, before any new write");

            // The device retransmits its last refused press unchanged: now it is accepted afresh.
            ServerFrame.Ack retriedAck = ack(device, retried);
            assertFalse(retriedAck.duplicate(), "a refused press was never accepted, so its retry is not a duplicate");
            acked.put(retried.counter(), retriedAck.eventId());
            refused.remove(retried);
            DeviceFrame after = device.panic(++counter);
            acked.put(counter, ack(device, after).eventId());
            assertTrue(eventLogCheck().check().up(), "ready again once a batch was durable");
        }
        server.restart(); // the server starts on this log again: nothing torn, nothing to repair
        assertEquals(0, server.server().eventLog().recovery().truncatedBytes(), "failed batches were truncated away");

        LogContents contents = server.log();
        assertNull(contents.verification().problem(), "the log verifies");
        assertEquals(0, contents.verification().tornTailBytes(), "failed batches were truncated away");
        Map<Long, List<Event.FrameAccepted>> logged = contents.accepted().stream()
                .collect(Collectors.groupingBy(accepted -> accepted.frame().counter()));
        for (Map.Entry<Long, UUID> ack : acked.entrySet()) {
            List<Event.FrameAccepted> entries = logged.getOrDefault(ack.getKey(), List.of());
            assertEquals(1, entries.size(), "ACKed press " + ack.getKey() + " is in the log exactly once");
            assertEquals(ack.getValue(), entries.get(0).eventId());
        }
        for (DeviceFrame press : refused) {
            assertFalse(logged.containsKey(press.counter()), "refused press " + press.counter() + " left nothing in the log");
        }
    }

    private HealthCheck eventLogCheck() {
        return server.server().healthChecks().stream().filter(check -> check.name().equals("event-log"))
                .findFirst().orElseThrow();
    }

    private static ServerFrame.Ack ack(TestDevice device, DeviceFrame press) throws InterruptedException {
        return assertInstanceOf(ServerFrame.Ack.class, answer(device, press), "press " + press.counter() + " ACKed");
    }

    private static ServerFrame answer(TestDevice device, DeviceFrame press) throws InterruptedException {
        device.send(press);
        ServerFrame answer = device.nextWithin(ANSWER_BOUND);
        assertNotNull(answer, "press " + press.counter() + " got no answer within " + ANSWER_BOUND);
        return answer;
    }

    /** Writes until the file system says it is full (ENOSPC), in page-sized steps so that no page is left. */
    private static Path fill(Path filler) throws IOException {
        byte[] page = new byte[4096];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(page);
                written += page.length;
            }
        } catch (IOException full) {
            log.info("disk filled after {} KiB of filler: {}", written / 1024, full.getMessage());
        }
        return filler;
    }
}
