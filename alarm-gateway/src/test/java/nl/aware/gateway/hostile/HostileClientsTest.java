package nl.aware.gateway.hostile;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.aware.core.event.Event;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.NackReason;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.gateway.netty.GatewayConfig;
import nl.aware.gateway.netty.GatewayMetrics;
import nl.aware.gateway.testing.TestDevice;
import nl.aware.gateway.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise 4 on real sockets, real TLS 1.3 and a real event log: hostile input on one connection is
 * cut off and never disturbs another. In every test a genuine carrier presses PANIC while the hostile
 * client does its worst, and must keep getting an ACK for every press (within a generous 10 s: the
 * bound is a failure detector, not a speed claim; the latencies seen are logged and kept in
 * docs/fault-tests.md).
 */
class HostileClientsTest {
    private static final Logger log = LoggerFactory.getLogger(HostileClientsTest.class);
    private static final long CARRIER = 0x00000000000ca111L;
    private static final long LATE_CARRIER = 0x00000000000ca112L;
    private static final long HOSTILE = 0x000000000000bad1L;
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(10);
    private static final int UNFINISHED_HANDSHAKES = 1_000;
    private static final int FLOOD_FRAMES = 10_000;

    @TempDir
    Path dir;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TestServer server;
    private Carrier carrier;

    /** A short handshake timeout for every test; the idle timeout short only where the test is about it. */
    private void start(Duration idleTimeout) throws Exception {
        GatewayConfig defaults = GatewayConfig.defaults();
        GatewayConfig hostileSettings = new GatewayConfig(defaults.bindAddress(), 0, HANDSHAKE_TIMEOUT, idleTimeout,
                defaults.maxConnections(), defaults.maxInFlightPerConnection(), defaults.ioThreads());
        server = TestServer.create(dir).gateway(hostileSettings).meters(meters).start();
        carrier = new Carrier(server.connect(CARRIER, server.enroll(CARRIER)));
    }

    @AfterEach
    void stop() {
        if (carrier != null) {
            carrier.device.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void thousandConnectionsThatNeverFinishTheHandshake_areCutOffAtTheHandshakeTimeout_whileACarrierIsAcked()
            throws Exception {
        start(GatewayConfig.defaults().idleTimeout());
        InetSocketAddress address = server.server().address();
        List<Socket> stalled = Collections.synchronizedList(new ArrayList<>());
        ExecutorService opener = Executors.newSingleThreadExecutor();
        try {
            Future<?> storm = opener.submit(() -> {
                for (int i = 0; i < UNFINISHED_HANDSHAKES; i++) {
                    Socket socket = new Socket();
                    socket.connect(address, (int) ANSWER_BOUND.toMillis());
                    stalled.add(socket);
                    if (i % 2 == 1) { // half say nothing at all, half start a ClientHello and stop
                        socket.getOutputStream().write(partialClientHello(i));
                    }
                }
                return null;
            });
            carrier.pressUntilDone(storm);
            storm.get();
            // A carrier that connects while they are all hanging still gets through the handshake.
            try (TestDevice late = server.connect(LATE_CARRIER, server.enroll(LATE_CARRIER))) {
                new Carrier(late).press();
            }
            // The carrier goes on pressing until the server has cut every stalled handshake off.
            ExecutorService watcher = Executors.newSingleThreadExecutor();
            try {
                carrier.pressUntilDone(watcher.submit(() -> await("every stalled handshake cut off")
                        .atMost(HANDSHAKE_TIMEOUT.plus(ANSWER_BOUND))
                        .until(() -> handshakeFailures() >= UNFINISHED_HANDSHAKES)));
            } finally {
                watcher.shutdown();
            }
            assertTrue(handshakeFailures() >= UNFINISHED_HANDSHAKES, "every stalled handshake counted as failed");
            for (Socket socket : stalled) {
                assertTrue(seesEndOfStream(socket), "the server closed the stalled connection from " + socket.getLocalPort());
            }
            await("only the carrier is still connected").atMost(ANSWER_BOUND)
                    .until(() -> meters.get(GatewayMetrics.CONNECTIONS).gauge().value() == 1.0);
            log.info("{} unfinished handshakes: carrier {}", UNFINISHED_HANDSHAKES, carrier.summary());
        } finally {
            opener.shutdownNow();
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    @Test
    void clientHelloTrickledOneBytePer100ms_isCutOffAtTheHandshakeTimeout() throws Exception {
        start(GatewayConfig.defaults().idleTimeout());
        try (Socket socket = new Socket()) {
            socket.connect(server.server().address(), (int) ANSWER_BOUND.toMillis());
            long started = System.nanoTime();
            byte[] hello = partialClientHello(7);
            CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; ; i = (i + 1) % hello.length) { // never finishes: it is not a whole record
                        socket.getOutputStream().write(hello[i]);
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException closed) {
                    // the server hung up on us: that is the point
                }
            });
            carrier.pressUntilDone(trickle);
            assertTrue(seesEndOfStream(socket), "the trickling handshake was closed");
            log.info("trickled ClientHello closed after {} ms; carrier {}",
                    Duration.ofNanos(System.nanoTime() - started).toMillis(), carrier.summary());
        }
        assertTrue(handshakeFailures() >= 1);
    }

    @Test
    void validFrameSentOneBytePerSecond_doesNotHoldUpOthers_andIsClosedAtTheFrameDeadline() throws Exception {
        start(GatewayConfig.defaults().idleTimeout()); // 5 min: only the frame deadline can end the trickle
        try (TestDevice slow = server.connect(HOSTILE, server.enroll(HOSTILE))) {
            byte[] frame = slow.heartbeat(1).wireBytes();
            long started = System.nanoTime();
            CompletableFuture<Boolean> trickle = CompletableFuture.supplyAsync(() -> {
                try {
                    for (int i = 0; i < frame.length - 1 && slow.isOpen(); i++) {
                        slow.sendRaw(new byte[] {frame[i]});
                        sleep(1000);
                    }
                } catch (Exception closedWhileSending) {
                    // the server hung up between two bytes: that is the point
                }
                return slow.awaitClosed(ANSWER_BOUND);
            });
            carrier.pressUntilDone(trickle);
            assertTrue(trickle.join(), "the trickling connection was closed");
            log.info("frame trickled at 1 B/s closed after {} ms (frame deadline {}); carrier {}",
                    Duration.ofNanos(System.nanoTime() - started).toMillis(), GatewayConfig.DEFAULT_FRAME_DEADLINE,
                    carrier.summary());
            assertNull(slow.poll(), "half a frame is never answered");
        }
        assertEquals(1.0, meters.get(GatewayMetrics.CLOSED).tag("cause", "frame-deadline").counter().count(),
                "closed by the frame deadline");
        carrier.press();
    }

    @Test
    void deviceThatFallsSilent_isClosedByTheIdleTimeout() throws Exception {
        start(IDLE_TIMEOUT);
        try (TestDevice silent = server.connect(HOSTILE, server.enroll(HOSTILE))) {
            silent.send(silent.heartbeat(1));
            silent.nextAck();
            CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(
                    () -> silent.awaitClosed(IDLE_TIMEOUT.plus(ANSWER_BOUND)));
            carrier.pressUntilDone(closed); // the carrier's own presses keep it from being idle
            assertTrue(closed.join(), "the silent connection was closed");
        }
        await("counted as idle").atMost(ANSWER_BOUND)
                .until(() -> meters.get(GatewayMetrics.CLOSED).tag("cause", "idle").counter().count() >= 1.0);
        carrier.press();
    }

    @Test
    void garbageFloodAfterAValidHandshake_closesThatConnection_andOthersKeepGettingAcks() throws Exception {
        start(GatewayConfig.defaults().idleTimeout());
        try (TestDevice flooder = server.connect(HOSTILE, server.enroll(HOSTILE))) {
            Random random = new Random(0x6a7ba6eL);
            CompletableFuture<Integer> flood = CompletableFuture.supplyAsync(() -> {
                int sent = 0;
                try {
                    while (sent < 16 * 1024 * 1024 && flooder.isOpen()) {
                        byte[] garbage = new byte[4096];
                        random.nextBytes(garbage);
                        if (sent == 0) { // a plausible length, so that the garbage reaches the decoder
                            garbage[0] = 0x00;
                            garbage[1] = 0x60;
                        }
                        flooder.sendRaw(garbage);
                        sent += garbage.length;
                    }
                } catch (Exception closed) { // Netty rethrows the ClosedChannelException unchecked
                    // the write failed because the server closed the connection
                }
                return sent;
            });
            carrier.pressUntilDone(flood);
            assertTrue(flooder.awaitClosed(ANSWER_BOUND), "the flooding connection was closed");
            log.info("garbage flood closed after {} bytes; carrier {}", flood.join(), carrier.summary());
            ServerFrame answer = flooder.poll();
            if (answer != null) {
                ServerFrame.Nack nack = assertInstanceOf(ServerFrame.Nack.class, answer, "garbage is never ACKed");
                assertTrue(nack.reason().closesConnection());
            }
        }
        await("the refusal is audited").atMost(ANSWER_BOUND).until(() -> server.log().violations().stream()
                .anyMatch(violation -> violation.tlsDeviceId() == HOSTILE));
        carrier.press();
    }

    @Test
    void authenticatedDeviceFlooding10000PipelinedFrames_getsAnAnswerToEach_andOthersKeepGettingAcks()
            throws Exception {
        start(GatewayConfig.defaults().idleTimeout());
        try (TestDevice flooder = server.connect(HOSTILE, server.enroll(HOSTILE))) {
            List<byte[]> chunks = new ArrayList<>(); // signed beforehand, so that the flood is as fast as the socket
            ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            for (int counter = 1; counter <= FLOOD_FRAMES; counter++) {
                chunk.writeBytes(flooder.panic(counter).wireBytes());
                if (counter % 64 == 0 || counter == FLOOD_FRAMES) {
                    chunks.add(chunk.toByteArray());
                    chunk.reset();
                }
            }
            long heapBefore = usedHeapAfterGc();
            long started = System.nanoTime();
            BitSet answered = new BitSet(FLOOD_FRAMES + 1);
            long[] overloadedAndSentNanos = new long[2];
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
                chunks.forEach(flooder::sendRaw);
                overloadedAndSentNanos[1] = System.nanoTime() - started;
                for (int i = 0; i < FLOOD_FRAMES; i++) {
                    ServerFrame answer = nextWithinBound(flooder);
                    assertNotNull(answer, "frame answer " + (i + 1) + " of " + FLOOD_FRAMES + " did not come");
                    if (answer instanceof ServerFrame.Nack nack) {
                        assertEquals(NackReason.OVERLOADED, nack.reason(), "only 'overloaded, retry' may refuse a valid frame");
                        overloadedAndSentNanos[0]++;
                        answered.set((int) nack.counter());
                    } else {
                        answered.set((int) ((ServerFrame.Ack) answer).counter());
                    }
                }
            });
            carrier.pressUntilDone(flood); // the carrier presses until the last flooded frame is answered
            flood.join();
            long answeredNanos = System.nanoTime() - started;
            long overloaded = overloadedAndSentNanos[0];
            long sentNanos = overloadedAndSentNanos[1];
            assertEquals(FLOOD_FRAMES, answered.cardinality(), "every counter answered once");
            assertTrue(flooder.isOpen(), "a valid if excessive device is slowed down, not cut off");
            long heapAfter = usedHeapAfterGc();
            double pauses = meters.get(GatewayMetrics.READ_PAUSES).counter().count();
            log.info("flood of {} frames: sent in {} ms, all answered in {} ms ({} NACK 7), {} read pauses, heap after GC"
                            + " {} MB -> {} MB; carrier {}", FLOOD_FRAMES, sentNanos / 1_000_000, answeredNanos / 1_000_000,
                    overloaded, (long) pauses, heapBefore >> 20, heapAfter >> 20, carrier.summary());
            assertTrue(pauses >= 1, "the flooder's connection stopped being read at its in-flight limit");
            assertTrue(heapAfter - heapBefore < 256L << 20, "heap grew by " + ((heapAfter - heapBefore) >> 20) + " MB");
        }
        carrier.press();
        assertEquals(FLOOD_FRAMES, server.log().accepted().stream()
                .filter(accepted -> accepted.frame().deviceId() == HOSTILE).count()
                + (long) meters.get(GatewayMetrics.REJECTIONS).tag("reason", "overloaded").counter().count(),
                "each flooded frame is either in the log or was refused as overloaded");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private double handshakeFailures() {
        return meters.get(GatewayMetrics.HANDSHAKE_FAILURES).counter().count();
    }

    /** A TLS record header announcing a 512-byte ClientHello, and only the first bytes of it. */
    private static byte[] partialClientHello(int seed) {
        byte[] bytes = new byte[48];
        new Random(seed).nextBytes(bytes);
        byte[] header = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
        System.arraycopy(header, 0, bytes, 0, header.length);
        return bytes;
    }

    /** True when the peer closed: end of stream or a reset, after whatever alert it may have sent. */
    private static boolean seesEndOfStream(Socket socket) throws IOException {
        socket.setSoTimeout((int) ANSWER_BOUND.toMillis());
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[512];
        try {
            for (int total = 0; total < 64 * 1024; ) {
                int n = in.read(buffer);
                if (n < 0) {
                    return true;
                }
                total += n;
            }
            return false;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    private static ServerFrame nextWithinBound(TestDevice device) {
        try {
            return device.nextWithin(ANSWER_BOUND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A genuine carrier: presses PANIC and must get an ACK for each; remembers how long each ACK took. */
    private static final class Carrier {
        private final TestDevice device;
        private final List<Long> latencyNanos = new ArrayList<>();
        private long counter;

        Carrier(TestDevice device) {
            this.device = device;
        }

        void press() throws InterruptedException {
            long press = ++counter;
            long sent = System.nanoTime();
            device.send(device.panic(press));
            ServerFrame answer = device.nextWithin(ANSWER_BOUND);
            latencyNanos.add(System.nanoTime() - sent);
            assertNotNull(answer, "the carrier's press " + press + " got no answer within " + ANSWER_BOUND);
            ServerFrame.Ack ack = assertInstanceOf(ServerFrame.Ack.class, answer, "the carrier's press was refused");
            assertEquals(press, ack.counter());
            assertFalse(ack.duplicate());
        }

        /** Presses every 100 ms until the hostile work is done (at least three presses). */
        void pressUntilDone(Future<?> hostile) throws InterruptedException {
            for (int presses = 0; presses < 3 || !hostile.isDone(); presses++) {
                press();
                Thread.sleep(100);
            }
        }

        String summary() {
            List<Long> sorted = new ArrayList<>(latencyNanos);
            Collections.sort(sorted);
            return String.format("%d presses ACKed, median %.1f ms, max %.1f ms", sorted.size(),
                    sorted.get(sorted.size() / 2) / 1e6, sorted.get(sorted.size() - 1) / 1e6);
        }
    }
}
