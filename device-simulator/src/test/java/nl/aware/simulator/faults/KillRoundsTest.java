package nl.aware.simulator.faults;

import com.fasterxml.jackson.databind.JsonNode;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.NackReason;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.gateway.testing.DispatchFixture;
import nl.aware.gateway.testing.LogContents;
import nl.aware.gateway.testing.ServerProcess;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import nl.aware.simulator.controlroom.ArrivalListener;
import nl.aware.simulator.controlroom.ReceivedAlert;
import nl.aware.simulator.controlroom.SimulatedControlRoom;
import nl.aware.simulator.controlroom.SimulatedPolice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promises 1 and 3 under repeated crashes: the server runs as a real process with the simulated
 * police in the loop; several devices send a mixed workload (PANIC, LOCATION, HEARTBEAT, TEST), and
 * the process is killed with kill -9 at a random moment, then restarted, round after round. Devices
 * behave as ADP/1 says: a frame without an answer is sent again, unchanged, over the new connection.
 *
 * <p>After every kill the log (read as an auditor would) verifies and holds every ACKed frame exactly
 * once; after every restart every ACKed PANIC and TEST reached a control room (a new alert, or a
 * repeated press on the open one) and the police saw nothing twice.
 *
 * <p>3 rounds by default; {@code -Daware.long=true} runs 20. {@code -Daware.seed=N} repeats a run.
 */
class KillRoundsTest {
    private static final Logger log = LoggerFactory.getLogger(KillRoundsTest.class);
    private static final int ROUNDS = Boolean.getBoolean("aware.long") ? 20 : 3;
    private static final int DEVICES = 6;
    private static final Duration DELIVERY_BOUND = Duration.ofSeconds(60);
    private static final java.util.concurrent.atomic.AtomicInteger RETRANSMITTED_ACKS = new java.util.concurrent.atomic.AtomicInteger();

    @TempDir
    Path dir;

    /** What one device knows: its next counter, the frame still awaiting an answer, what was ACKed. */
    private static final class Device {
        final long id;
        final IssuedCredential credential;
        long nextCounter = 1;
        DeviceFrame unanswered;
        boolean ackedPanic;

        Device(long id, IssuedCredential credential) {
            this.id = id;
            this.credential = credential;
        }
    }

    /** One ACKed frame, and whether it came after an ACKed PANIC of its device (so an alert was open). */
    private record Acked(long deviceId, long counter, FrameType type, boolean alertOpen) {
    }

    @Test
    void killDashNineAtRandomPointsOfAMixedWorkload_losesNoAckedFrame_andPoliceGetEachPressOnce() throws Exception {
        long seed = Long.getLong("aware.seed", System.nanoTime());
        Random random = new Random(seed);
        log.info("kill rounds: {} rounds, seed {} (-Daware.seed={} repeats the kill points)", ROUNDS, seed, seed);

        TestServer setup = TestServer.create(dir).start();
        List<Device> devices = new ArrayList<>();
        for (long i = 1; i <= DEVICES; i++) {
            long id = 0x00000000f0110000L + i;
            devices.add(new Device(id, setup.enroll(id, i % 2 == 0 ? Region.TWENTE : Region.IJSSELLAND)));
        }
        setup.close();

        Map<UUID, Acked> acked = new ConcurrentHashMap<>();
        try (SimulatedPolice police = SimulatedPolice.start(setup.ca(), 0, ArrivalListener.NONE)) {
            Path dispatch = new DispatchFixture()
                    .police(Region.IJSSELLAND, police.room(Region.IJSSELLAND).baseUrl().toString(), null)
                    .police(Region.TWENTE, police.room(Region.TWENTE).baseUrl().toString(), null)
                    .kadera(police.kadera().baseUrl().toString())
                    .write(dir.resolve("dispatch"), setup.ca());

            for (int round = 1; round <= ROUNDS; round++) {
                long started = System.nanoTime();
                int ackedBefore = acked.size();
                long killAfterMs = random.nextInt(1_500);
                try (ServerProcess server = ServerProcess.start(setup, dispatch, dir)) {
                    awaitDelivered(police, acked, "after restart " + (round - 1));
                    runWorkloadAndKill(server, setup, devices, acked, random.nextLong(), killAfterMs);
                }
                checkLog(setup.log(), acked, "after kill " + round);
                log.info("round {}: killed {} ms after the round's first ACK; {} frames ACKed this round ({} in all, {} of"
                                + " them answered with status 1: retransmissions of a frame already durable), round took {} ms", round, killAfterMs,
                        acked.size() - ackedBefore, acked.size(), RETRANSMITTED_ACKS.get(),
                        (System.nanoTime() - started) / 1_000_000);
            }
            try (ServerProcess server = ServerProcess.start(setup, dispatch, dir)) {
                awaitDelivered(police, acked, "after the last restart");
                server.stop(); // SIGTERM: the JVM exits 143 after its shutdown hook closed the log
            }
            checkLog(setup.log(), acked, "after the orderly stop");
            assertEquals(0, police.duplicates(), "no press reached the police twice");
            log.info("kill rounds done: {} frames ACKed, {} alerts at the control rooms, {} replays of in-flight requests",
                    acked.size(), police.alertCount(),
                    police.room(Region.IJSSELLAND).replays() + police.room(Region.TWENTE).replays());
        }
    }

    /** Every device sends its mixed workload until the process dies under it. */
    private static void runWorkloadAndKill(ServerProcess server, TestServer setup, List<Device> devices,
                                           Map<UUID, Acked> acked, long seed, long killAfterMs) throws Exception {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
        CountDownLatch finished = new CountDownLatch(devices.size());
        CountDownLatch firstAck = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            Device device = devices.get(i);
            Random random = new Random(seed + i);
            Thread thread = new Thread(() -> {
                try (TestDevice connection = TestDevice.connect(address, device.id, device.credential,
                        setup.ca().certificate())) {
                    sendUntilClosed(connection, device, random, acked, firstAck);
                } catch (Throwable t) {
                    if (!(t instanceof AssertionError)) {
                        return; // the process died under the connection: the point of the exercise
                    }
                    failure.compareAndSet(null, t);
                } finally {
                    finished.countDown();
                }
            }, "kill-rounds-device-" + i);
            threads.add(thread);
            thread.start();
        }
        // The clock starts at the round's first ACK, so that the kill falls into the workload rather than into
        // the fresh JVM's first handshakes.
        assertTrue(firstAck.await(30, TimeUnit.SECONDS), "the restarted server ACKed a frame");
        Thread.sleep(killAfterMs);
        server.killDashNine();
        assertTrue(finished.await(30, TimeUnit.SECONDS), "every device noticed the crash");
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a device saw a wrong answer", failure.get());
        }
    }

    private static void sendUntilClosed(TestDevice connection, Device device, Random random,
                                        Map<UUID, Acked> acked, CountDownLatch firstAck) throws InterruptedException {
        while (connection.isOpen()) {
            if (device.unanswered == null) {
                device.unanswered = nextFrame(connection, device, random);
            }
            DeviceFrame frame = device.unanswered;
            try {
                connection.send(frame);
            } catch (Exception closed) { // Netty rethrows the ClosedChannelException unchecked
                return;
            }
            ServerFrame answer = connection.nextWithin(Duration.ofSeconds(3)); // ADP/1: retransmit after 3 s
            while (answer != null && counterOf(answer) < frame.counter()) {
                answer = connection.nextWithin(Duration.ofSeconds(3)); // a late answer to an earlier retransmission
            }
            if (answer == null) {
                continue; // resend unchanged (or notice the closed connection)
            }
            assertEquals(frame.counter(), counterOf(answer), "the answer is to the frame sent");
            if (answer instanceof ServerFrame.Nack nack) {
                assertEquals(NackReason.OVERLOADED, nack.reason(), "a valid frame may only be told to retry");
                continue;
            }
            ServerFrame.Ack ack = (ServerFrame.Ack) answer;
            Acked previous = acked.putIfAbsent(ack.eventId(),
                    new Acked(device.id, frame.counter(), frame.type(), device.ackedPanic));
            firstAck.countDown();
            if (ack.duplicate()) {
                RETRANSMITTED_ACKS.incrementAndGet();
            }
            if (previous != null) {
                assertTrue(ack.duplicate() && previous.counter() == frame.counter(),
                        "an event id is only given again to a retransmission of the same frame");
            }
            device.ackedPanic |= frame.type() == FrameType.PANIC;
            device.unanswered = null;
            Thread.sleep(random.nextInt(20));
        }
    }

    private static DeviceFrame nextFrame(TestDevice connection, Device device, Random random) {
        long counter = device.nextCounter++;
        int dice = random.nextInt(100);
        byte[] location = TestDevice.location(TestDevice.ZWOLLE);
        if (dice < 15) {
            return connection.panic(counter);
        } else if (dice < 50) {
            return connection.frame(FrameType.LOCATION, device.id, counter, location);
        } else if (dice < 85) {
            return connection.heartbeat(counter);
        }
        return connection.frame(FrameType.TEST, device.id, counter, location);
    }

    private static long counterOf(ServerFrame answer) {
        return answer instanceof ServerFrame.Ack ack ? ack.counter() : ((ServerFrame.Nack) answer).counter();
    }

    /** The log verifies, and each ACKed frame is in it exactly once with its event id. */
    private static void checkLog(LogContents contents, Map<UUID, Acked> acked, String when) {
        assertNull(contents.verification().problem(), "the log verifies " + when);
        Map<UUID, Long> byEventId = contents.accepted().stream()
                .collect(Collectors.groupingBy(Event.FrameAccepted::eventId, Collectors.counting()));
        Set<String> frames = new HashSet<>();
        for (Event.FrameAccepted accepted : contents.accepted()) {
            assertTrue(frames.add(accepted.frame().deviceId() + "/" + accepted.frame().counter()),
                    "frame " + accepted.frame().counter() + " of a device accepted twice " + when);
        }
        for (Map.Entry<UUID, Acked> entry : acked.entrySet()) {
            assertEquals(1L, byEventId.getOrDefault(entry.getKey(), 0L),
                    "ACKed " + entry.getValue() + " is in the log exactly once " + when);
        }
    }

    /**
     * Every ACKed PANIC reached a control room as a new alert or as a repeated press on the open one,
     * every ACKed TEST as a test alert, every LOCATION ACKed after an ACKed PANIC as an update; no duplicates.
     */
    private static void awaitDelivered(SimulatedPolice police, Map<UUID, Acked> acked, String when) {
        await("every ACKed press at a control room " + when).atMost(DELIVERY_BOUND)
                .pollInterval(Duration.ofMillis(200)).until(() -> undelivered(police, acked).isEmpty());
        assertEquals(0, police.duplicates(), "no press reached the police twice " + when);
    }

    private static List<Acked> undelivered(SimulatedPolice police, Map<UUID, Acked> acked) {
        Map<String, ReceivedAlert> alerts = new HashMap<>();
        Set<String> updates = new HashSet<>();
        for (Region region : Region.values()) {
            SimulatedControlRoom room = police.room(region);
            Map<String, ReceivedAlert> roomAlerts = room.alerts();
            alerts.putAll(roomAlerts);
            for (String alertId : roomAlerts.keySet()) {
                for (JsonNode update : room.updates(alertId)) {
                    updates.add(update.path("updateId").asText());
                }
            }
        }
        List<Acked> missing = new ArrayList<>();
        for (Map.Entry<UUID, Acked> entry : acked.entrySet()) {
            String id = entry.getKey().toString();
            Acked frame = entry.getValue();
            boolean delivered = switch (frame.type()) {
                case PANIC -> alerts.containsKey(id) && !alerts.get(id).test() || updates.contains(id);
                case TEST -> alerts.containsKey(id) && alerts.get(id).test();
                case LOCATION -> !frame.alertOpen() || updates.contains(id);
                default -> true;
            };
            if (!delivered) {
                missing.add(frame);
            }
        }
        return missing;
    }
}
