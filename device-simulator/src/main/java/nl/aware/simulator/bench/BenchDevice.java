package nl.aware.simulator.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import nl.aware.core.event.Region;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.AdpFrameSplitter;
import nl.aware.core.protocol.AudioChunk;
import nl.aware.core.protocol.CommandResult;
import nl.aware.core.protocol.DeviceCommand;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.DeviceFrameEncoder;
import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameSigning;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.core.protocol.ServerFrameDecoder;
import nl.aware.gateway.netty.TlsContexts;
import nl.aware.http.Transports;

import javax.net.ssl.SSLException;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bare benchmark device: one mutual-TLS 1.3 connection, frames signed with the device key, any
 * number of frames in flight (pipelined), no retransmission (a benchmark counts what the server
 * answers; it does not hide a lost answer). Every frame remembers its press time; the listener is
 * told of each answer on the connection's event loop.
 */
final class BenchDevice {
    /** A frame awaiting its answer. {@code pressNanos} is the press (intended send) time. */
    record Sent(DeviceFrame frame, long pressNanos, boolean measured) {
    }

    interface Listener {
        void answered(BenchDevice device, Sent sent, ServerFrame answer, long nowNanos);
    }

    private final long deviceId;
    private final Region region;
    private final IssuedCredential credential;
    private volatile FrameSigning signer;
    private final Listener listener;
    private final SslContext tls;
    private long nextCounter = System.currentTimeMillis() * 1000;
    private Channel channel;
    private volatile boolean answersCommands;
    private final AtomicLong resultsAcked = new AtomicLong();
    private final AtomicLong resultsRefused = new AtomicLong();
    // event-loop state
    private final Set<Long> resultsInFlight = new HashSet<>();
    private final Map<Long, Sent> pending = new HashMap<>();

    BenchDevice(long deviceId, Region region, IssuedCredential credential, X509Certificate trustedCa, Listener listener)
            throws SSLException {
        this.deviceId = deviceId;
        this.region = region;
        this.credential = credential;
        this.signer = new FrameSigner(credential.privateKey());
        this.listener = listener;
        this.tls = TlsContexts.client(credential.privateKey(), credential.certificate(), trustedCa);
    }

    long deviceId() {
        return deviceId;
    }

    Region region() {
        return region;
    }

    IssuedCredential credential() {
        return credential;
    }

    /** Connects; completes when the TLS handshake is done. */
    CompletableFuture<Void> connect(EventLoopGroup group, String host, int port) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap().group(group).channel(Transports.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port), new AdpFrameSplitter(),
                                new ServerFrameDecoder(), DeviceFrameEncoder.INSTANCE, new Handler(ready));
                    }
                });
        bootstrap.connect(host, port).addListener(f -> {
            if (!f.isSuccess()) {
                ready.completeExceptionally(f.cause());
            }
        });
        return ready;
    }

    boolean connected() {
        Channel ch = channel;
        return ch != null && ch.isActive();
    }

    /** From now on signs with nonces made before the run, when it is their time (see {@link PresignedNonces}). */
    void signWith(PresignedNonces nonces) {
        signer = new PresignedSigner(credential.privateKey(), nonces);
    }

    /** Signs a frame of this device with the next counter (any thread that owns the signer: see {@link #press}). */
    DeviceFrame sign(FrameType type) {
        return DeviceFrame.create(type, deviceId, nextCounter++, System.currentTimeMillis(), Frames.payload(type), signer);
    }

    /** From any thread: on the device's loop, signs and sends an AUDIO frame made at {@code pressNanos}. */
    void sendAudio(AudioChunk chunk, long pressNanos, boolean measured) {
        channel.eventLoop().execute(() -> sendNow(DeviceFrame.create(FrameType.AUDIO, deviceId, nextCounter++,
                System.currentTimeMillis(), chunk.payload(), signer), pressNanos, measured));
    }

    /** From any thread: on the device's loop, signs and sends a frame pressed at {@code pressNanos}. */
    void press(FrameType type, long pressNanos, boolean measured) {
        channel.eventLoop().execute(() -> sendNow(sign(type), pressNanos, measured));
    }

    /** On the device's event loop only: sends an already signed frame. */
    void sendNow(DeviceFrame frame, long pressNanos, boolean measured) {
        pending.put(frame.counter(), new Sent(frame, pressNanos, measured));
        channel.writeAndFlush(frame);
    }

    /** From any thread: sends on the device's loop. */
    void send(DeviceFrame frame, long pressNanos, boolean measured) {
        channel.eventLoop().execute(() -> sendNow(frame, pressNanos, measured));
    }

    Channel channel() {
        return channel;
    }

    /**
     * From now on answers every COMMAND with a COMMAND_RESULT, as a real device does (docs/protocol.md), so the server
     * records an answer instead of a "no answer" 10 s later. Off by default: a scenario that signs its frames ahead
     * (ingest) must not have a counter taken in between.
     */
    void answerCommands() {
        answersCommands = true;
    }

    /** On the device's loop. A bench device has no microphone: LISTEN is not supported, anything else is done. */
    private void answer(ServerFrame.Command command) {
        CommandResult.Outcome outcome = command.command().filter(c -> c != DeviceCommand.LISTEN).isPresent()
                ? CommandResult.Outcome.DONE : CommandResult.Outcome.NOT_SUPPORTED;
        // Not in pending: its ACK measures no press and is not counted as one.
        long counter = nextCounter++;
        resultsInFlight.add(counter);
        channel.writeAndFlush(DeviceFrame.create(FrameType.COMMAND_RESULT, deviceId, counter,
                System.currentTimeMillis(), new CommandResult(command.commandId(), outcome).payload(), signer));
    }

    /** COMMAND_RESULTs the server ACKed. */
    long commandResultsAcked() {
        return resultsAcked.get();
    }

    /** COMMAND_RESULTs the server NACKed (none expected). */
    long commandResultsRefused() {
        return resultsRefused.get();
    }

    void close() {
        if (channel != null) {
            channel.close();
        }
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<Void> ready;

        Handler(CompletableFuture<Void> ready) {
            this.ready = ready;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent handshake) {
                if (handshake.isSuccess()) {
                    channel = ctx.channel();
                    ready.complete(null);
                } else {
                    ready.completeExceptionally(handshake.cause());
                    ctx.close();
                }
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            long now = System.nanoTime();
            try {
                if (msg instanceof ServerFrame.Command command) {
                    if (answersCommands) {
                        answer(command);
                    }
                } else if (msg instanceof ServerFrame answer && resultsInFlight.remove(answer.counter())) {
                    (answer instanceof ServerFrame.Ack ? resultsAcked : resultsRefused).incrementAndGet();
                } else if (msg instanceof ServerFrame answer) {
                    Sent sent = pending.remove(answer.counter());
                    if (sent != null) {
                        listener.answered(BenchDevice.this, sent, answer, now);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ready.completeExceptionally(new IllegalStateException("connection closed"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
