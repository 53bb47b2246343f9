package nl.aware.redis;

import nl.aware.core.store.EmbeddedStore;
import nl.aware.core.store.EventStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.store.FrameResult;
import nl.aware.core.log.VerifyResult;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.state.ServerState;
import nl.aware.redis.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Redis store against a real redis-server: the counter rules across nodes, the chain, durability checks. */
class RedisStoreTest {
    /** Receive times: any instant in the location keys' range (frames are sealed under a month key). */
    private static final long T0 = java.time.Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
    @TempDir
    static Path dir;
    static RedisServer redis;
    static EventCodec codec;
    static FrameSigner signer;

    private final List<RedisStore> stores = new ArrayList<>();
    private String prefix;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start(dir.resolve("redis"));
        codec = new EventCodec(DataKeyRing.create(dir.resolve("keys")));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        signer = new FrameSigner(generator.generateKeyPair().getPrivate());
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void ownKeys() {
        prefix = "t" + UUID.randomUUID() + ":"; // each test its own log in the shared server
    }

    @org.junit.jupiter.api.AfterEach
    void closeStores() {
        stores.forEach(RedisStore::close);
    }

    private RedisStore node(ServerState state) throws Exception {
        RedisStore store = RedisStore.open(RedisStoreOptions.of(redis.uri()).withPrefix(prefix), codec, state,
                new SimpleMeterRegistry());
        stores.add(store);
        return store;
    }

    private static DeviceFrame frame(long device, long counter, FrameType type) {
        byte[] payload = type == FrameType.HEARTBEAT ? new byte[] {80, 0} : new byte[14];
        return DeviceFrame.create(type, device, counter, System.currentTimeMillis(), payload, signer);
    }

    @Test
    void freshFrame_isAccepted_andReachesThisNodesState() throws Exception {
        ServerState state = new ServerState();
        RedisStore store = node(state);
        FrameResult outcome = store.acceptFrame(frame(7, 1, FrameType.HEARTBEAT), T0 + 1000).join();
        assertInstanceOf(FrameResult.Appended.class, outcome);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> store.lastSequence() == 1);
        assertEquals(1, state.counters(7).highWater(), "applied to this node's state");
    }

    @Test
    void retransmissionToAnotherNode_getsTheOriginalEventIdWithStatus1() throws Exception {
        RedisStore first = node(new ServerState());
        RedisStore second = node(new ServerState());
        DeviceFrame frame = frame(8, 5, FrameType.HEARTBEAT);
        UUID original = ((FrameResult.Appended) first.acceptFrame(frame, T0 + 1000).join()).eventId();
        FrameResult again = second.acceptFrame(frame, T0 + 2000).join();
        assertEquals(new FrameResult.Retransmission(original), again);
        assertEquals(1, RedisLog.verify(redis.uri(), prefix).records(), "nothing new was appended");
    }

    @Test
    void sameCounterWithOtherBytes_isARefusedReplay() throws Exception {
        RedisStore store = node(new ServerState());
        store.acceptFrame(frame(9, 5, FrameType.HEARTBEAT), T0 + 1000).join();
        DeviceFrame forged = frame(9, 5, FrameType.PANIC); // same counter, other bytes
        assertEquals(FrameResult.REPLAYED, store.acceptFrame(forged, T0 + 1000).join());
    }

    @Test
    void counterBelowTheHighWaterMark_isARefusedReplay() throws Exception {
        RedisStore store = node(new ServerState());
        store.acceptFrame(frame(10, 5, FrameType.HEARTBEAT), T0 + 1000).join();
        assertEquals(FrameResult.REPLAYED,
                store.acceptFrame(frame(10, 4, FrameType.HEARTBEAT), T0 + 1000).join());
    }

    @Test
    void countersCompareUnsigned_aboveTheSignBitIsStillHigher() throws Exception {
        RedisStore store = node(new ServerState());
        store.acceptFrame(frame(11, 5, FrameType.HEARTBEAT), T0 + 1000).join();
        assertInstanceOf(FrameResult.Appended.class, store.acceptFrame(frame(11, 0x8000_0000_0000_0001L,
                FrameType.HEARTBEAT), T0 + 1000).join());
        assertEquals(FrameResult.REPLAYED,
                store.acceptFrame(frame(11, 6, FrameType.HEARTBEAT), T0 + 1000).join());
    }

    private static final nl.aware.core.pki.CertificateAuthority CA =
            nl.aware.core.pki.CertificateAuthority.create("Redis store test CA", Duration.ofDays(2));

    /** Enrols the device with a new certificate through the store and waits until this node applied it. */
    private static void enrol(EventStore store, long device) throws Exception {
        byte[] der = CA.issueDevice(device, Duration.ofDays(1)).certificate().getEncoded();
        store.append(new Event.DeviceEnrolled(device, nl.aware.core.event.Region.IJSSELLAND, der)).join();
    }

    @Test
    void newEnrolment_startsANewCounterEpoch_evenAfterTheCounterReachedItsMaximum() throws Exception {
        RedisStore store = node(new ServerState());
        enrol(store, 12);
        assertInstanceOf(FrameResult.Appended.class, store.acceptFrame(frame(12, -1L, FrameType.HEARTBEAT), T0).join());
        assertEquals(FrameResult.REPLAYED,
                store.acceptFrame(frame(12, 1, FrameType.HEARTBEAT), T0 + 1000).join(), "2^64-1 is the last counter");

        enrol(store, 12); // a new certificate: a new counter epoch
        FrameResult afterReEnrolment = store.acceptFrame(frame(12, 1, FrameType.HEARTBEAT), T0 + 2000).join();
        assertInstanceOf(FrameResult.Appended.class, afterReEnrolment);
        assertEquals(FrameResult.REPLAYED,
                store.acceptFrame(frame(12, 1, FrameType.PANIC), T0 + 3000).join(), "the new epoch has its own rules");
    }

    @Test
    void sameFrameAcceptedByTwoNodesThatCannotReachEachOther_getsOneEventId() throws Exception {
        // One node on the shared Redis log, one cut off and keeping frames in its own embedded log (as a
        // degraded node does): the same frame gets the same id on both, so the police see one alert.
        long device = 13;
        byte[] der = CA.issueDevice(device, Duration.ofDays(1)).certificate().getEncoded();
        Event.DeviceEnrolled enrolled = new Event.DeviceEnrolled(device, nl.aware.core.event.Region.IJSSELLAND, der);
        RedisStore connected = node(new ServerState());
        connected.append(enrolled).join();
        ServerState cutOffState = new ServerState();
        try (nl.aware.core.log.EventLog log = nl.aware.core.log.EventLog.open(
                nl.aware.core.log.EventLogOptions.defaults(dir.resolve("cut-off-" + prefix.hashCode())),
                new SimpleMeterRegistry(), record -> { })) {
            EmbeddedStore cutOff = new EmbeddedStore(log, codec, cutOffState);
            cutOff.append(enrolled).join();
            DeviceFrame press = frame(device, 42, FrameType.PANIC);
            UUID there = ((FrameResult.Appended) connected.acceptFrame(press, T0).join()).eventId();
            UUID here = ((FrameResult.Appended) cutOff.acceptFrame(press, T0 + 3000).join()).eventId();
            assertEquals(there, here, "one press, one id, whichever node took it");
        }
    }

    @Test
    void twoNodesOfferedEveryFrameAtOnce_neverBothAcceptOneCounter() throws Exception {
        ServerState stateA = new ServerState();
        ServerState stateB = new ServerState();
        RedisStore a = node(stateA);
        RedisStore b = node(stateB);
        int devices = 20;
        // A repeat is known as a retransmission within the last REMEMBERED accepted frames (protocol.md section 6):
        // with more counters than that in flight, the second offer of an early one can come after it has left the
        // window and be a replay, which is the rule working, not a double acceptance.
        int counters = nl.aware.core.state.CounterRules.REMEMBERED;
        Map<DeviceFrame, List<CompletableFuture<FrameResult>>> answers = new HashMap<>();
        for (int counter = 1; counter <= counters; counter++) {
            for (long device = 100; device < 100 + devices; device++) {
                DeviceFrame frame = frame(device, counter, FrameType.HEARTBEAT);
                answers.put(frame, List.of(a.acceptFrame(frame, T0 + 1), b.acceptFrame(frame, T0 + 2)));
            }
        }
        for (var entry : answers.entrySet()) {
            FrameResult first = entry.getValue().get(0).join();
            FrameResult second = entry.getValue().get(1).join();
            assertEquals(1, java.util.stream.Stream.of(first, second).filter(FrameResult.Appended.class::isInstance)
                    .count(), "exactly one node accepted it afresh: " + first + ", " + second);
            assertEquals(eventId(first), eventId(second), "one event for both answers");
        }
        VerifyResult verified = RedisLog.verify(redis.uri(), prefix);
        assertTrue(verified.intact(), String.valueOf(verified.problem()));
        assertEquals(devices * counters, verified.records(), "one record per frame");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> a.lastSequence() == devices * counters && b.lastSequence() == devices * counters);
        for (long device = 100; device < 100 + devices; device++) {
            assertEquals(counters, stateA.counters(device).highWater());
            assertEquals(counters, stateB.counters(device).highWater());
        }
    }

    @Test
    void reopenedStore_replaysTheLogIntoAFreshState() throws Exception {
        RedisStore store = node(new ServerState());
        store.acceptFrame(frame(12, 3, FrameType.HEARTBEAT), T0 + 1000).join();
        store.append(new Event.DeviceRevoked(12, "lost")).join(); // an append completes once applied here
        ServerState later = new ServerState();
        RedisStore reopened = node(later);
        assertEquals(3, later.counters(12).highWater());
        assertEquals(2, reopened.lastSequence());
    }

    @Test
    void verify_namesAForgedRecord_andTheOneAfterARemovedRecord() throws Exception {
        RedisStore store = node(new ServerState());
        for (int i = 1; i <= 4; i++) {
            store.append(new Event.DeviceRevoked(i, "r" + i)).join();
        }
        assertTrue(RedisLog.verify(redis.uri(), prefix).intact());
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
            byte[] events = (prefix + "events").getBytes(StandardCharsets.UTF_8);
            List<StreamMessage<byte[], byte[]>> all = c.sync().xrange(events, io.lettuce.core.Range.unbounded());
            // A forged record 5 appended directly, bypassing the chain (its hash is not the chain's).
            Map<byte[], byte[]> forged = new java.util.LinkedHashMap<>();
            for (String[] field : new String[][] {{"seq", "5"}, {"ts", "1"}, {"type", "2"}, {"payload", "x"}}) {
                forged.put(field[0].getBytes(StandardCharsets.UTF_8), field[1].getBytes(StandardCharsets.UTF_8));
            }
            forged.put("hash".getBytes(StandardCharsets.UTF_8), new byte[32]);
            c.sync().xadd(events, forged);
            VerifyResult altered = RedisLog.verify(redis.uri(), prefix);
            assertFalse(altered.intact());
            assertEquals(5, altered.problem().sequence());
            assertTrue(altered.problem().description().contains("hash chain broken"), altered.problem().description());
            c.sync().xdel(events, all.get(1).getId());
            VerifyResult removed = RedisLog.verify(redis.uri(), prefix);
            assertFalse(removed.intact());
            assertEquals(2, removed.problem().sequence(), removed.problem().description());
            assertTrue(removed.problem().description().contains("removed or reordered"));
        } finally {
            client.shutdown();
        }
    }

    @Test
    void redisWithoutAof_isRefusedWithAClearReason() throws Exception {
        try (RedisServer volatileRedis = RedisServer.start(dir.resolve("no-aof"), "--appendonly", "no")) {
            StoreUnavailableException refused = assertThrows(StoreUnavailableException.class, () -> RedisStore.open(
                    RedisStoreOptions.of(volatileRedis.uri()), codec, new ServerState(), new SimpleMeterRegistry()));
            assertTrue(refused.getMessage().contains("appendonly=no"), refused.getMessage());
        }
    }

    @Test
    void replicaDurability_withoutReplicas_tellsTheDeviceToRetry() throws Exception {
        RedisStore store = RedisStore.open(RedisStoreOptions.of(redis.uri()).withPrefix(prefix)
                        .withDurability(RedisStoreOptions.Durability.replicas(1, Duration.ofMillis(100))), codec,
                new ServerState(), new SimpleMeterRegistry());
        stores.add(store);
        assertEquals(FrameResult.NOT_DURABLE,
                store.acceptFrame(frame(13, 1, FrameType.HEARTBEAT), T0 + 1000).join());
        assertFalse(store.writable(), "not ready while replicas do not confirm");
    }

    private static UUID eventId(FrameResult result) {
        if (result instanceof FrameResult.Appended appended) {
            return appended.eventId();
        }
        return assertInstanceOf(FrameResult.Retransmission.class, result, "an ACK").eventId();
    }
}
