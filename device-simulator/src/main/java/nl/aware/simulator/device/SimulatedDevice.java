package nl.aware.simulator.device;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.AdpFrameSplitter;
import nl.aware.core.protocol.AudioChunk;
import nl.aware.core.protocol.CommandResult;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.DeviceFrameEncoder;
import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.Location;
import nl.aware.core.protocol.NackReason;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.core.protocol.ServerFrameDecoder;
import nl.aware.gateway.netty.TlsContexts;
import nl.aware.http.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One simulated alarm device on one mutual-TLS connection, behaving as ADP/1 asks of a device:
 * heartbeats while connected; a press sends a PANIC, then LOCATION updates; every frame is kept
 * until ACKed and retransmitted byte for byte when no ACK comes in time, also over a new connection
 * after a reconnect.
 *
 * <p>Threading: all state below is owned by one event loop of the shared group (the loop the
 * connection lives on). Public methods only hand work to that loop and never block it.
 */
public final class SimulatedDevice {
    private static final Logger log = LoggerFactory.getLogger(SimulatedDevice.class);
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    /** A sent frame awaiting its ACK. */
    private static final class Pending {
        final DeviceFrame frame;
        /** When the frame was made (a PANIC: the press); the start of the press → ACK latency. */
        final long createdNanos;
        int writes;
        ScheduledFuture<?> timer;

        Pending(DeviceFrame frame, long createdNanos) {
            this.frame = frame;
            this.createdNanos = createdNanos;
        }

        void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }
    }

    private final long deviceId;
    private final String host;
    private final int port;
    private final EventLoop loop;
    private final SslContext tls;
    private final FrameSigner signer;
    private final LocationWalk walk;
    private final DeviceSettings settings;
    private final FleetStats stats;
    private final SplittableRandom jitter;
    private final Bootstrap bootstrap;

    // ---- event-loop state
    /**
     * The next counter. It starts at the wall clock in microseconds and grows by one per frame, so a
     * rebooted device starts above every counter it used before, as long as the clock is sane (never
     * set back) and the device sends fewer than 1000 frames per millisecond on average. A real device
     * would also persist its last counter and take the larger of the two.
     */
    private long nextCounter = System.currentTimeMillis() * 1000;
    /** Unacknowledged frames by counter, in counter order (insertion order). */
    private final Map<Long, Pending> unacked = new LinkedHashMap<>();
    private Channel channel;
    private boolean connected;
    private boolean started;
    private boolean stopped;
    private long reconnectDelayMs;
    private ScheduledFuture<?> heartbeatTask;
    private ScheduledFuture<?> trackingTask;
    private long trackingUntilNanos;
    // ---- listen-in (ADP/1 additions), event-loop state too
    /** The carrier agreed at intake that the device records after a press. */
    private boolean recordsAfterPress;
    private AudioStream pressStream;
    private AudioStream listenStream;
    private int alertFeedbacks;
    // ---- test hooks (event-loop state too)
    private int acksToIgnore;
    private Consumer<DeviceFrame> writeListener = frame -> { };

    /**
     * @param credential the device's certificate and key (CN = its id)
     * @param trustedCa  the CA the server's certificate must chain to
     * @param host       server host; also the name its certificate must carry ("127.0.0.1" or "localhost")
     * @param group      the fleet's shared event loop group; the device takes one loop of it
     */
    public SimulatedDevice(long deviceId, IssuedCredential credential, X509Certificate trustedCa, String host, int port,
                           City city, EventLoopGroup group, DeviceSettings settings, FleetStats stats) throws SSLException {
        this.deviceId = deviceId;
        this.host = host;
        this.port = port;
        this.loop = group.next();
        this.tls = TlsContexts.client(credential.privateKey(), credential.certificate(), trustedCa);
        this.signer = new FrameSigner(credential.privateKey());
        this.walk = new LocationWalk(city, deviceId ^ System.nanoTime());
        this.settings = settings;
        this.stats = stats;
        this.jitter = new SplittableRandom(deviceId * 31 + System.nanoTime());
        this.reconnectDelayMs = settings.reconnectMin().toMillis();
        this.bootstrap = new Bootstrap().group(loop).channel(Transports.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // TLS (verifies the server's name), then the length-prefix framer, then the codecs.
                        ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port), new AdpFrameSplitter(),
                                new ServerFrameDecoder(), DeviceFrameEncoder.INSTANCE, new ConnectionHandler());
                    }
                });
    }

    public long deviceId() {
        return deviceId;
    }

    public City city() {
        return walk.city();
    }

    /** Connects (and keeps reconnecting) and starts the heartbeat. */
    public void start() {
        loop.execute(() -> {
            if (started || stopped) {
                return;
            }
            started = true;
            long interval = settings.heartbeatInterval().toMillis();
            // A random phase, so that a fleet started at once does not beat in step.
            heartbeatTask = loop.scheduleAtFixedRate(this::heartbeat, jitter.nextLong(interval) + 1, interval,
                    TimeUnit.MILLISECONDS);
            connect();
        });
    }

    /** The carrier presses the button: a PANIC now, then LOCATION updates for the tracking duration. */
    public void press() {
        loop.execute(() -> {
            if (stopped) {
                return;
            }
            stats.pressed();
            send(FrameType.PANIC, location()); // recording starts at its ACK (see answered)
            trackingUntilNanos = System.nanoTime() + settings.trackingDuration().toNanos();
            if (trackingTask == null && !settings.trackingDuration().isZero()) {
                long interval = settings.locationInterval().toMillis();
                trackingTask = loop.scheduleAtFixedRate(this::track, interval, interval, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Stops sending, drops the connection and forgets unacknowledged frames. */
    public Future<?> stop() {
        return loop.submit(() -> {
            stopped = true;
            cancel(heartbeatTask);
            cancel(trackingTask);
            unacked.values().forEach(Pending::cancelTimer);
            if (channel != null) {
                channel.close();
            }
        });
    }

    // ------------------------------------------------------------------ test hooks (package-private)

    /** Acts as if the next {@code n} ACKs were lost on the way, so the device must retransmit. */
    void ignoreNextAcks(int n) {
        loop.execute(() -> acksToIgnore += n);
    }

    /** Called on the event loop with every frame written to a connection (first sends and retransmissions). */
    void onWrite(Consumer<DeviceFrame> listener) {
        loop.execute(() -> writeListener = listener);
    }

    /** Closes the current connection as if the network dropped it; the device reconnects. */
    void dropConnection() {
        loop.execute(() -> {
            if (channel != null) {
                channel.close();
            }
        });
    }

    // ------------------------------------------------------------------ event loop only

    private void connect() {
        if (stopped) {
            return;
        }
        ChannelFuture future = bootstrap.connect(host, port);
        channel = future.channel();
        Channel ch = channel;
        ch.closeFuture().addListener(f -> disconnected(ch));
        future.addListener(f -> {
            if (!f.isSuccess()) {
                log.debug("device {} cannot connect: {}", DeviceIds.format(deviceId), f.cause().toString());
                ch.close();
            }
        });
    }

    private void connectedAndVerified(Channel ch) {
        if (stopped || ch != channel) {
            ch.close();
            return;
        }
        connected = true;
        stats.connectionUp();
        reconnectDelayMs = settings.reconnectMin().toMillis();
        // Everything not yet ACKed goes again, unchanged and in counter order, over the new connection.
        for (Pending pending : new ArrayList<>(unacked.values())) {
            transmit(pending);
        }
    }

    private void disconnected(Channel ch) {
        if (ch != channel) {
            return;
        }
        channel = null;
        if (connected) {
            connected = false;
            stats.connectionDown();
        }
        unacked.values().forEach(Pending::cancelTimer); // they go again on the next connection
        if (!stopped) {
            long delay = reconnectDelayMs / 2 + jitter.nextLong(reconnectDelayMs / 2 + 1);
            reconnectDelayMs = Math.min(reconnectDelayMs * 2, settings.reconnectMax().toMillis());
            loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        }
    }

    private void heartbeat() {
        if (connected) { // a heartbeat says "reachable now"; one made while offline would say nothing
            send(FrameType.HEARTBEAT, new byte[] {(byte) walk.battery(), 0});
        }
    }

    private void track() {
        if (System.nanoTime() - trackingUntilNanos > 0) {
            cancel(trackingTask);
            trackingTask = null;
            return;
        }
        send(FrameType.LOCATION, location());
    }

    private byte[] location() {
        Location location = walk.next();
        byte[] payload = new byte[Location.BYTES];
        location.write(Unpooled.wrappedBuffer(payload).writerIndex(0));
        return payload;
    }

    /** @return the frame's counter */
    private long send(FrameType type, byte[] payload) {
        long counter = nextCounter++;
        DeviceFrame frame = DeviceFrame.create(type, deviceId, counter, System.currentTimeMillis(), payload, signer);
        Pending pending = new Pending(frame, System.nanoTime());
        unacked.put(counter, pending);
        if (connected) {
            transmit(pending);
        } // else it waits for the connection: connectedAndVerified sends it
        return counter;
    }

    /** Writes the frame (its original bytes) and arms the ACK timeout. */
    private void transmit(Pending pending) {
        pending.cancelTimer();
        if (!connected || stopped) {
            return;
        }
        if (pending.writes++ > 0) {
            stats.retransmitted();
        }
        stats.sent();
        writeListener.accept(pending.frame);
        channel.writeAndFlush(pending.frame);
        pending.timer = loop.schedule(() -> ackTimedOut(pending), settings.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void ackTimedOut(Pending pending) {
        pending.timer = null;
        if (unacked.get(pending.frame.counter()) == pending) {
            transmit(pending);
        }
    }

    private void answered(ServerFrame answer) {
        if (answer.deviceId() != deviceId) {
            log.warn("device {} got an answer for another device; ignored", DeviceIds.format(deviceId));
            return;
        }
        if (answer instanceof ServerFrame.Command command) {
            obey(command);
            return;
        }
        Pending pending = unacked.get(answer.counter());
        if (answer instanceof ServerFrame.Ack ack) {
            if (acksToIgnore > 0) {
                acksToIgnore--;
                return;
            }
            stats.acked(ack.duplicate());
            if (pending == null) {
                return; // a second ACK for a frame sent twice
            }
            unacked.remove(ack.counter());
            pending.cancelTimer();
            if (pending.frame.type() == FrameType.PANIC) {
                stats.panicAcked(new FleetStats.AckedPanic(deviceId, ack.counter(), ack.eventId()),
                        System.nanoTime() - pending.createdNanos);
                if (recordsAfterPress && pressStream == null) {
                    // Sound of a press is sent once its PANIC is durable: before that the server knows no alert
                    // for the stream and would answer NACK 8.
                    pressStream = startStream(ack.counter(), RECORD_AFTER_PRESS_MS);
                }
            }
        } else if (answer instanceof ServerFrame.Nack nack) {
            stats.nacked(nack.reason());
            if (pending == null) {
                return;
            }
            pending.cancelTimer();
            if (nack.reason() == NackReason.OVERLOADED) {
                long base = settings.overloadRetryDelay().toMillis();
                pending.timer = loop.schedule(() -> {
                    pending.timer = null;
                    if (unacked.get(pending.frame.counter()) == pending) {
                        transmit(pending);
                    }
                }, base / 2 + jitter.nextLong(base + 1), TimeUnit.MILLISECONDS);
            } else {
                unacked.remove(nack.counter());
                if (nack.reason() == NackReason.NOT_EXPECTED && pending.frame.type() == FrameType.AUDIO) {
                    endStream(pending.frame.audio().streamId()); // the server will not take this stream: stop it
                }
                boolean panic = pending.frame.type() == FrameType.PANIC;
                stats.droppedFrame(panic);
                if (panic) {
                    log.warn("device {}: PANIC counter {} refused with NACK {} ({}), dropped", DeviceIds.format(deviceId),
                            nack.counter(), nack.reason().code(), nack.reason());
                }
            }
        }
    }

    // ------------------------------------------------------------------ listen-in (event loop only)

    /** Sound a device records after a press when its carrier agreed to it (ADP/1 additions). */
    static final long RECORD_AFTER_PRESS_MS = 30_000;
    private static final int FRAME_MS = SpeechClip.PACKETS_PER_FRAME * SpeechClip.PACKET_MS;
    private static final SpeechClip SPEECH = SpeechClip.load();

    /** One stream of AUDIO frames, sent in real time. */
    private final class AudioStream {
        final long streamId;
        final long untilNanos;
        long seq;
        long nextPacket;
        ScheduledFuture<?> task;

        AudioStream(long streamId, long durationMs) {
            this.streamId = streamId;
            this.untilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMs);
        }

        void next() {
            boolean last = System.nanoTime() - untilNanos >= 0;
            List<byte[]> packets = SPEECH.frame(nextPacket);
            nextPacket += packets.size();
            send(FrameType.AUDIO, AudioChunk.opus(streamId, seq++, last, packets.size() * SpeechClip.PACKET_MS,
                    packets).payload());
            if (last) {
                endStream(streamId);
            }
        }
    }

    private AudioStream startStream(long streamId, long durationMs) {
        AudioStream stream = new AudioStream(streamId, durationMs);
        stream.task = loop.scheduleAtFixedRate(() -> {
            try {
                stream.next();
            } catch (RuntimeException e) { // a failing periodic task would otherwise stop without a word
                log.error("device {}: audio stream {} stopped: {}", DeviceIds.format(deviceId), streamId, e.toString());
                endStream(streamId);
            }
        }, 0, FRAME_MS, TimeUnit.MILLISECONDS);
        return stream;
    }

    private void endStream(long streamId) {
        if (pressStream != null && pressStream.streamId == streamId) {
            cancel(pressStream.task);
            pressStream = null;
        }
        if (listenStream != null && listenStream.streamId == streamId) {
            cancel(listenStream.task);
            listenStream = null;
        }
    }

    /** A COMMAND from the server: do it, and answer every one with COMMAND_RESULT. */
    private void obey(ServerFrame.Command command) {
        if (command.command().isEmpty()) { // a command this device does not know
            send(FrameType.COMMAND_RESULT, new CommandResult(command.commandId(),
                    CommandResult.Outcome.NOT_SUPPORTED).payload());
            return;
        }
        CommandResult.Outcome outcome = switch (command.command().get()) {
            case LOCATE -> {
                send(FrameType.LOCATION, location());
                yield CommandResult.Outcome.DONE;
            }
            case LISTEN -> {
                if (listenStream != null) {
                    endStream(listenStream.streamId);
                }
                listenStream = startStream(command.commandId(), command.argument() * 1000L);
                yield CommandResult.Outcome.STARTED;
            }
            case STOP -> {
                if (listenStream != null) {
                    endStream(listenStream.streamId);
                }
                yield CommandResult.Outcome.DONE;
            }
            case ALERT_STATUS -> {
                alertFeedbacks++; // a real device vibrates: never a sound or a light
                yield CommandResult.Outcome.DONE;
            }
        };
        send(FrameType.COMMAND_RESULT, new CommandResult(command.commandId(), outcome).payload());
    }

    /** Whether the carrier agreed at intake to recording after a press (what the carrier's record says). */
    public void recordsAfterPress(boolean consent) {
        loop.execute(() -> recordsAfterPress = consent);
    }

    /** How many ALERT_STATUS vibrations the device has made (for tests and the demo's summary). */
    public Future<Integer> alertFeedbacks() {
        return loop.submit(() -> alertFeedbacks);
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** The device end of one connection. One instance per connection, on the device's loop. */
    private final class ConnectionHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent handshake) {
                if (handshake.isSuccess()) {
                    connectedAndVerified(ctx.channel());
                } else {
                    log.debug("device {}: TLS handshake failed: {}", DeviceIds.format(deviceId),
                            handshake.cause().toString());
                    ctx.close();
                }
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof ServerFrame frame) {
                    answered(frame);
                } else if (msg instanceof AdpFrameSplitter.OversizeFrame oversize) {
                    log.warn("device {}: server sent a frame of declared length {}; reconnecting",
                            DeviceIds.format(deviceId), oversize.declaredLength());
                    ctx.close();
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("device {}: connection error, reconnecting: {}", DeviceIds.format(deviceId), cause.toString());
            ctx.close();
        }
    }
}
