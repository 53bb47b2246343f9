package nl.aware.core.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import nl.aware.core.crypto.DataKeyRing;
import nl.aware.core.event.Event;
import nl.aware.core.event.EventCodec;
import nl.aware.core.event.EventFormatException;
import nl.aware.core.protocol.AudioChunk;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.Location;
import nl.aware.core.state.CounterWindow;
import nl.aware.core.state.ServerState;
import nl.aware.core.store.EmbeddedStore;
import nl.aware.core.store.FrameResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device frames through the embedded store while the writer holds a backlog of sound: a PANIC is written before
 * the sound queued ahead of it, and a replay of that order keeps the counter rules.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AudioLaneTest {
    private static final long DEVICE = 0x1234L;
    private static final int AUDIO_BACKLOG = 1_000;

    @TempDir
    Path dir;

    private FrameSigner signer;
    private EventCodec codec;
    private final CountDownLatch writerHeld = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        signer = new FrameSigner(generator.generateKeyPair().getPrivate());
        codec = new EventCodec(DataKeyRing.create(dir.resolve("keys")));
    }

    private EventLog openHeldOnFirstBatch(ServerState state) throws Exception {
        WriterHooks hold = new WriterHooks() {
            @Override
            public void beforeBatch(int size) {
                writerHeld.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        return EventLog.open(EventLogOptions.defaults(dir.resolve("log")), new SimpleMeterRegistry(),
                record -> state.apply(record, decode(record)), hold);
    }

    private Event decode(LogRecord record) {
        try {
            return codec.decode(record);
        } catch (EventFormatException e) {
            throw new AssertionError("record " + record.sequence() + " does not decode", e);
        }
    }

    private DeviceFrame audio(long counter, long seq) {
        AudioChunk chunk = new AudioChunk(counter, seq, AudioChunk.CODEC_G711_ULAW, 0, 100, new byte[800]);
        return DeviceFrame.create(FrameType.AUDIO, DEVICE, counter, 1_000, chunk.payload(), signer);
    }

    private DeviceFrame panic(long counter) {
        ByteBuf payload = Unpooled.buffer(Location.BYTES);
        new Location(524_111_111, 60_123_456, 10, 2, Location.SOURCE_GNSS, 90).write(payload);
        return DeviceFrame.create(FrameType.PANIC, DEVICE, counter, 1_000, ByteBufUtil.getBytes(payload), signer);
    }

    /** Holds the writer on audio counter 1, queues audio counters 2..1001, then submits a PANIC (counter 1002). */
    private List<CompletableFuture<FrameResult>> submitPanicBehindAudio(EmbeddedStore store,
                                                                        DeviceFrame panic) throws Exception {
        long now = System.currentTimeMillis(); // sealed under the key of the current month
        List<CompletableFuture<FrameResult>> results = new ArrayList<>();
        results.add(store.acceptFrame(audio(1, 0), now));
        assertEquals(true, writerHeld.await(10, TimeUnit.SECONDS));
        for (int i = 2; i <= AUDIO_BACKLOG + 1; i++) {
            results.add(store.acceptFrame(audio(i, i - 1), now));
        }
        results.add(store.acceptFrame(panic, now));
        release.countDown();
        for (CompletableFuture<FrameResult> result : results) {
            assertInstanceOf(FrameResult.Appended.class, result.get(10, TimeUnit.SECONDS));
        }
        return results;
    }

    @Test
    void panicSubmittedBehindAnAudioBacklog_isWrittenBeforeThatBacklog() throws Exception {
        ServerState state = new ServerState();
        List<Event.FrameAccepted> logOrder = new ArrayList<>();
        try (EventLog log = openHeldOnFirstBatch(state)) {
            submitPanicBehindAudio(new EmbeddedStore(log, codec, state), panic(AUDIO_BACKLOG + 2));
        }

        EventLog.read(dir.resolve("log"), record -> logOrder.add((Event.FrameAccepted) decode(record)));

        assertEquals(AUDIO_BACKLOG + 2, logOrder.size());
        assertEquals(FrameType.AUDIO, logOrder.get(0).frame().type(), "the frame the writer was busy with");
        assertEquals(FrameType.PANIC, logOrder.get(1).frame().type(), "then the PANIC, ahead of the backlog");
        assertEquals(AUDIO_BACKLOG + 2, logOrder.get(1).frame().counter());
    }

    @Test
    void soundWrittenAfterItsDevicesLaterPanic_isStillARetransmissionAfterARestart() throws Exception {
        DeviceFrame lastAudio = audio(AUDIO_BACKLOG + 1, AUDIO_BACKLOG);
        try (EventLog log = openHeldOnFirstBatch(new ServerState())) {
            ServerState live = new ServerState();
            submitPanicBehindAudio(new EmbeddedStore(log, codec, live), panic(AUDIO_BACKLOG + 2));
        }
        ServerState replayed = new ServerState();
        EventLog.read(dir.resolve("log"), record -> replayed.apply(record, decode(record)));

        CounterWindow.Verdict verdict = replayed.counters(DEVICE).classify(lastAudio.counter(), lastAudio.digest());

        assertInstanceOf(CounterWindow.Verdict.Retransmission.class, verdict,
                "its ACK may have been lost: the device sends it again and must get status 1, not NACK 2");
    }
}
