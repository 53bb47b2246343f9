package nl.aware.simulator.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.Region;
import nl.aware.core.log.VerifyResult;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.redis.RedisKeys;
import nl.aware.redis.RedisLog;
import nl.aware.redis.RedisStoreOptions;
import nl.aware.redis.testing.RedisServer;
import nl.aware.gateway.testing.DispatchFixture;
import nl.aware.gateway.testing.ServerProcess;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import nl.aware.simulator.controlroom.ArrivalListener;
import nl.aware.simulator.controlroom.SimulatedPolice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6's must-show with real processes: two `aware server` nodes (each a gateway and a dispatch
 * worker) on one real redis-server, the simulated police behind them.
 */
class RedisScaleOutTest {
    private static final int DEVICES = 16;
    /** Devices that press only in the Redis outage test, while Redis is away. */
    private static final int LATE_DEVICES = 16;

    @TempDir
    Path dir;
    private RedisServer redis;
    private TestServer deployment;
    private SimulatedPolice police;
    private Path dispatch;
    private final Map<Long, IssuedCredential> credentials = new LinkedHashMap<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void deployment() throws Exception {
        redis = RedisServer.start(dir.resolve("redis"));
        deployment = TestServer.create(dir.resolve("deployment")).startOnRedis(RedisStoreOptions.of(redis.uri()));
        for (long i = 1; i <= DEVICES + LATE_DEVICES; i++) {
            long id = 0x00000000006e0000L + i;
            credentials.put(id, deployment.enroll(id, i % 2 == 0 ? Region.TWENTE : Region.IJSSELLAND));
        }
        deployment.close();
        police = SimulatedPolice.start(deployment.ca(), 0, ArrivalListener.NONE);
        for (Region region : Region.values()) {
            police.room(region).responseDelay(Duration.ofMillis(800)); // alerts in flight when a node dies
        }
        dispatch = new DispatchFixture()
                .police(Region.IJSSELLAND, police.room(Region.IJSSELLAND).baseUrl().toString(), null)
                .police(Region.TWENTE, police.room(Region.TWENTE).baseUrl().toString(), null)
                .kadera(police.kadera().baseUrl().toString())
                .write(dir.resolve("dispatch"), deployment.ca());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        police.close();
        redis.close();
    }

    private ServerProcess node() throws Exception {
        ServerProcess node = ServerProcess.start(deployment, dispatch, dir, List.of("--redis", redis.uri(),
                "--metrics-port", "0", "--redis-claim-after", "1s", "--redis-timeout", "500ms",
                "--redis-fallback-log", dir.resolve("fallback-" + toClose.size()).toString()));
        toClose.add(node);
        return node;
    }

    private TestDevice device(ServerProcess node, long id) throws Exception {
        TestDevice device = TestDevice.connect(node.address(), id, credentials.get(id), deployment.ca().certificate());
        toClose.add(device);
        return device;
    }

    @Test
    void oneNodeKilledMidBurst_everyAcknowledgedPressReachesThePoliceOnce() throws Exception {
        ServerProcess a = node();
        ServerProcess b = node();
        List<Long> ids = new ArrayList<>(credentials.keySet()).subList(0, DEVICES);
        Map<Long, DeviceFrame> presses = new LinkedHashMap<>();
        Map<Long, TestDevice> onA = new LinkedHashMap<>();
        Map<Long, UUID> acked = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) { // devices spread over both nodes press in a burst
            long id = ids.get(i);
            TestDevice device = device(i % 2 == 0 ? a : b, id);
            DeviceFrame press = device.panic(1);
            presses.put(id, press);
            device.send(press);
            if (i % 2 == 0) {
                onA.put(id, device);
            } else {
                acked.put(id, device.nextAck().eventId());
            }
        }
        // Node A (gateway and worker) dies once its first answers are out: some presses ACKed, alerts in flight.
        ServerFrame first = onA.values().iterator().next().next();
        a.killDashNine();
        int answeredByA = 0;
        for (var entry : onA.entrySet()) {
            ServerFrame answer = entry.getValue() == onA.values().iterator().next() ? first : entry.getValue().poll();
            if (answer instanceof ServerFrame.Ack ack) {
                acked.put(entry.getKey(), ack.eventId());
                answeredByA++;
                continue;
            }
            // No answer from A: the device retransmits the same frame, over a new connection, to node B.
            TestDevice retry = device(b, entry.getKey());
            retry.send(presses.get(entry.getKey()));
            acked.put(entry.getKey(), retry.nextAck().eventId());
        }
        assertTrue(answeredByA >= 1, "node A answered before it was killed");
        await().atMost(Duration.ofSeconds(60)).until(() -> acked.values().stream().allMatch(this::atPolice));
        Thread.sleep(2000); // anything sent twice would arrive now
        assertTrue(b.output().contains("took over"), "node B's worker claimed the work node A's worker held");
        assertEquals(DEVICES, police.alertCount(), "one alert per acknowledged press");
        assertEquals(0, police.duplicates(), "no press reached the police twice");
        assertEquals(DEVICES, framesInLog(), "each press once in the Redis log");
        VerifyResult verified = RedisLog.verify(redis.uri(), RedisStoreOptions.DEFAULT_PREFIX);
        assertTrue(verified.intact(), String.valueOf(verified.problem()));
    }

    @Test
    void frameRetransmittedToTheOtherNode_isOneAlert_withAckStatus1() throws Exception {
        ServerProcess a = node();
        ServerProcess b = node();
        long id = credentials.keySet().iterator().next();
        TestDevice toA = device(a, id);
        DeviceFrame press = toA.panic(1);
        toA.send(press);
        ServerFrame.Ack original = toA.nextAck();
        assertTrue(!original.duplicate());
        TestDevice toB = device(b, id);
        toB.send(press);
        ServerFrame.Ack again = assertInstanceOf(ServerFrame.Ack.class, toB.next());
        assertTrue(again.duplicate(), "status 1: a duplicate of an accepted frame");
        assertEquals(original.eventId(), again.eventId());
        await().atMost(Duration.ofSeconds(30)).until(() -> atPolice(original.eventId()));
        Thread.sleep(1500);
        assertEquals(1, police.alertCount());
        assertEquals(0, police.duplicates());
        assertEquals(1, framesInLog());
    }

    @Test
    void redisKilledAndRestartedDuringABurst_panicsKeepBeingAckedAndReachThePolice_thenTheLogHoldsEachOnce()
            throws Exception {
        ServerProcess a = node();
        ServerProcess b = node();
        List<Long> ids = new ArrayList<>(credentials.keySet());
        List<UUID> acked = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) { // a first burst on Redis
            TestDevice device = device(i % 2 == 0 ? a : b, ids.get(i));
            device.send(device.panic(1));
            acked.add(device.nextAck().eventId());
        }
        List<TestDevice> late = new ArrayList<>();
        List<DeviceFrame> latePresses = new ArrayList<>();
        for (int i = DEVICES; i < DEVICES + LATE_DEVICES; i++) {
            TestDevice device = device(i % 2 == 0 ? a : b, ids.get(i));
            late.add(device);
            latePresses.add(device.panic(1));
        }
        for (int i = 0; i < LATE_DEVICES; i++) { // the second burst: Redis dies half-way through it
            if (i == LATE_DEVICES / 2) {
                redis.killDashNine();
            }
            late.get(i).send(latePresses.get(i));
        }
        for (int i = 0; i < LATE_DEVICES; i++) {
            acked.add(ackOf(late.get(i), latePresses.get(i)));
        }
        await("every acknowledged press at the police while Redis is down").atMost(Duration.ofSeconds(60))
                .until(() -> acked.stream().allMatch(this::atPolice));
        assertTrue(a.output().contains("DEGRADED") && b.output().contains("DEGRADED"), "both nodes said they degraded");

        redis.restart();
        await("both nodes reconciled and back on Redis").atMost(Duration.ofSeconds(60)).until(() ->
                a.output().contains("back on the shared log") && b.output().contains("back on the shared log"));
        Thread.sleep(3000); // anything sent twice would arrive now
        assertEquals(DEVICES + LATE_DEVICES, police.alertCount(), "one alert per acknowledged press");
        assertEquals(0, police.duplicates(), "no press reached the police twice");
        assertEquals(DEVICES + LATE_DEVICES, framesInLog(), "each press once in the Redis log");
        VerifyResult verified = RedisLog.verify(redis.uri(), RedisStoreOptions.DEFAULT_PREFIX);
        assertTrue(verified.intact(), String.valueOf(verified.problem()));
    }

    /** The ACK of a press, retransmitting the same frame on NACK 7 (retry) or silence, as a device does. */
    private static UUID ackOf(TestDevice device, DeviceFrame press) throws InterruptedException {
        for (int attempt = 1; attempt <= 5; attempt++) {
            ServerFrame answer = device.nextWithin(Duration.ofSeconds(3));
            if (answer instanceof ServerFrame.Ack ack) {
                return ack.eventId();
            }
            device.send(press);
        }
        throw new AssertionError("no ACK for device " + Long.toHexString(device.deviceId()) + " after 5 attempts");
    }

    private boolean atPolice(UUID alert) {
        for (Region region : Region.values()) {
            if (police.room(region).alerts().containsKey(alert.toString())) {
                return true;
            }
        }
        return false;
    }

    private int framesInLog() throws Exception {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            AtomicInteger frames = new AtomicInteger();
            RedisLog.readFrom(connection.sync(), new RedisKeys(RedisStoreOptions.DEFAULT_PREFIX), new RedisLog.Cursor(),
                    record -> {
                        if (record.type() == EventCodec.FRAME_ACCEPTED) {
                            frames.incrementAndGet();
                        }
                    });
            return frames.get();
        } finally {
            client.shutdown();
        }
    }
}
