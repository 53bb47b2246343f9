package nl.aware.redis;

import nl.aware.dispatch.work.DispatchItem;
import nl.aware.dispatch.work.DispatchProjection;
import nl.aware.dispatch.work.WorkKind;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.Region;
import nl.aware.core.store.FrameResult;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.Location;
import nl.aware.core.state.ServerState;
import nl.aware.redis.RedisStore;
import nl.aware.redis.RedisStoreOptions;
import nl.aware.redis.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dispatch workers' consumer group on a real redis-server. */
class RedisWorkQueueTest {
    private static final CertificateAuthority CA = CertificateAuthority.create("Work queue test CA", Duration.ofDays(2));
    private static final long DEVICE = 0x42;

    @TempDir
    Path dir;
    private RedisServer redis;
    private RedisStoreOptions options;
    private RedisStore store;
    private RedisWorkQueue queue;
    private DispatchProjection projection;
    private FrameSigner signer;
    private RedisClient client;
    private RedisCommands<String, String> raw;
    private final List<DispatchItem> handed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start(dir.resolve("redis"));
        options = RedisStoreOptions.of(redis.uri()).withClaimAfter(Duration.ofMillis(300));
        ServerState state = new ServerState();
        projection = new DispatchProjection(state.devices(), state.openAlarms());
        state.register(projection);
        store = RedisStore.open(options, new EventCodec(DataKeyRing.create(dir.resolve("keys"))), state,
                new SimpleMeterRegistry());
        queue = new RedisWorkQueue(options, projection, store::lastSequence);
        state.register(queue);
        IssuedCredential credential = CA.issueDevice(DEVICE, Duration.ofDays(1));
        store.append(new Event.DeviceEnrolled(DEVICE, Region.IJSSELLAND, credential.certificate().getEncoded())).join();
        signer = new FrameSigner(credential.privateKey());
        client = RedisClient.create(redis.uri());
        StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8);
        raw = connection.sync();
        for (String stream : RedisWorkQueue.STREAMS) { // the group exists before the worker joins it
            raw.xgroupCreate(XReadArgs.StreamOffset.from("aware:work:" + stream, "0-0"), RedisWorkQueue.GROUP,
                    XGroupCreateArgs.Builder.mkstream());
        }
    }

    @AfterEach
    void stop() {
        queue.close();
        store.close();
        client.shutdown();
        redis.close();
    }

    private UUID press(FrameType type, long counter) {
        var buffer = Unpooled.buffer(Location.BYTES);
        new Location(525_168_000, 60_830_000, 10, 2, Location.SOURCE_GNSS, 80).write(buffer);
        byte[] location = ByteBufUtil.getBytes(buffer);
        DeviceFrame frame = DeviceFrame.create(type, DEVICE, counter, System.currentTimeMillis(), location, signer);
        return ((FrameResult.Appended) store.acceptFrame(frame, System.currentTimeMillis()).join()).eventId();
    }

    @Test
    void entryOfAWorkerThatDied_isClaimedAfterTheTimeout_andAcknowledgedOnceDelivered() {
        UUID alert = press(FrameType.PANIC, 1);
        // A worker reads the entry and dies without acknowledging it.
        var taken = raw.xreadgroup(Consumer.from(RedisWorkQueue.GROUP, "dead-worker"), XReadArgs.Builder.count(10),
                XReadArgs.StreamOffset.lastConsumed("aware:work:panic"));
        assertEquals(1, taken.size());

        queue.start(handed::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> !handed.isEmpty());
        assertEquals(alert, handed.get(0).itemId(), "the dead worker's PANIC went to dispatch");
        assertEquals(WorkKind.NEW_ALERT, handed.get(0).kind());
        assertEquals(1, raw.xpending("aware:work:panic", RedisWorkQueue.GROUP).getCount(), "held until delivered");

        store.append(new Event.Delivered(alert, "ijsselland/primary", 1, "IJS-1")).join();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> raw.xpending("aware:work:panic", RedisWorkQueue.GROUP).getCount() == 0);
        assertEquals(1, handed.size(), "handed out once");
    }

    @Test
    void panicWork_isHandedOutBeforeOlderTestWork() {
        UUID test = press(FrameType.TEST, 1);
        UUID panic = press(FrameType.PANIC, 2);
        queue.start(handed::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> handed.size() == 2);
        assertEquals(panic, handed.get(0).itemId(), "PANIC first");
        assertEquals(test, handed.get(1).itemId());
        assertTrue(queue.heldCount() == 2);
    }
}
