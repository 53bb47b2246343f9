package nl.aware.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.EventCodec;
import nl.aware.core.store.FrameResult;
import nl.aware.core.log.VerifyResult;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.state.ServerState;
import nl.aware.redis.testing.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Redis store through Sentinel, with real processes: a primary, a replica, a sentinel. WAIT durability
 * is confirmed by the replica; after the primary is killed the sentinel promotes the replica and the store
 * carries on against it, found through the same redis-sentinel:// URI.
 */
class RedisSentinelTest {
    /** Receive times: any instant in the location keys' range (frames are sealed under a month key). */
    private static final long T0 = java.time.Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
    @TempDir
    Path dir;

    @Test
    void primaryKilled_sentinelPromotesTheReplica_andTheStoreCarriesOnWithTheAcknowledgedPress() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        FrameSigner signer = new FrameSigner(generator.generateKeyPair().getPrivate());
        EventCodec codec = new EventCodec(DataKeyRing.create(dir.resolve("keys")));
        try (RedisServer primary = RedisServer.start(dir.resolve("primary"));
             RedisServer replica = RedisServer.replicaOf(primary, dir.resolve("replica"));
             RedisServer sentinel = RedisServer.sentinel(dir.resolve("sentinel"), primary, "aware")) {
            String uri = "redis-sentinel://127.0.0.1:" + sentinel.port() + "#aware";
            RedisStoreOptions options = RedisStoreOptions.of(uri);
            // Acknowledged only once the replica has it: what survives the failover below.
            try (RedisStore replicated = RedisStore.open(options.withDurability(
                    RedisStoreOptions.Durability.replicas(1, Duration.ofSeconds(2))), codec, new ServerState(),
                    new SimpleMeterRegistry())) {
                FrameResult first = replicated.acceptFrame(frame(signer, 1), T0 + 1000).join();
                assertInstanceOf(FrameResult.Appended.class, first, "WAIT 1 confirmed by the real replica");
            }
            RedisStore store = RedisStore.open(options, codec, new ServerState(), new SimpleMeterRegistry());
            try {
                primary.killDashNine();
                await("the sentinel promotes the replica").atMost(Duration.ofSeconds(30))
                        .until(() -> masterPort(sentinel) == replica.port());
                AtomicReference<FrameResult> second = new AtomicReference<>();
                await("the store appends to the new primary").atMost(Duration.ofSeconds(30)).until(() -> {
                    second.set(store.acceptFrame(frame(signer, 2), T0 + 2000).join());
                    return second.get() instanceof FrameResult.Appended;
                });
                VerifyResult verified = RedisLog.verify(uri, RedisStoreOptions.DEFAULT_PREFIX);
                assertTrue(verified.intact(), String.valueOf(verified.problem()));
                assertEquals(2, verified.records(), "the press acknowledged before the failover is still there");
            } finally {
                store.close();
            }
        }
    }

    private static DeviceFrame frame(FrameSigner signer, long counter) {
        return DeviceFrame.create(FrameType.HEARTBEAT, 0x51, counter, System.currentTimeMillis(), new byte[] {80, 0},
                signer);
    }

    private static int masterPort(RedisServer sentinel) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + sentinel.port());
        try (var connection = client.connectSentinel()) {
            RedisSentinelCommands<String, String> commands = connection.sync();
            return ((InetSocketAddress) commands.getMasterAddrByName("aware")).getPort();
        } finally {
            client.shutdown();
        }
    }
}
