package nl.aware.simulator.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import io.netty.util.ReferenceCountUtil;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.AdpFrameSplitter;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.DeviceFrameEncoder;
import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.core.protocol.ServerFrameDecoder;
import nl.aware.gateway.netty.TlsContexts;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The client side of connection-scale: many devices, each with its own certificate and key, over
 * ONE client {@link SslContext} (BoringSSL) whose key manager picks the connecting device's key per
 * handshake (a context per device would cost a native SSL_CTX each). Per device the harness keeps
 * only its credential, its channel and a few longs; frames are signed at send time with a signer
 * made for that frame (a heartbeat a minute does not justify a signer held per device).
 */
final class ConnectionScaleClients {
    interface Listener {
        void panicAcked(ServerFrame.Ack ack, long pressNanos, long nowNanos, boolean measured);
    }

    /** One device: its credential, its connection, and at most one PANIC awaiting its ACK. */
    static final class Device {
        final int index;
        final long id;
        final IssuedCredential credential;
        volatile Channel channel;
        private long nextCounter = System.currentTimeMillis() * 1000;
        // event-loop state
        private long panicCounter = -1;
        private long panicPressNanos;
        private boolean panicMeasured;

        Device(int index, long id, IssuedCredential credential) {
            this.index = index;
            this.id = id;
            this.credential = credential;
        }

        boolean connected() {
            Channel ch = channel;
            return ch != null && ch.isActive();
        }

        private DeviceFrame sign(FrameType type) {
            return DeviceFrame.create(type, id, nextCounter++, System.currentTimeMillis(), Frames.payload(type),
                    new FrameSigner(credential.privateKey()));
        }
    }

    final LongAdder connected = new LongAdder();
    final LongAdder handshakes = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder closedAfterHandshake = new LongAdder();
    final LongAdder heartbeatsSent = new LongAdder();
    final LongAdder heartbeatsAcked = new LongAdder();
    final LongAdder nacks = new LongAdder();
    final LongAdder panicsSent = new LongAdder();
    volatile Throwable firstFailure;
    volatile Throwable firstCloseCause;

    private final Device[] devices;
    private final Map<SSLEngine, Device> handshaking = new ConcurrentHashMap<>();
    private final SslContext tls;
    private final EventLoopGroup group;
    private final InetSocketAddress server;
    private final Listener listener;

    ConnectionScaleClients(Device[] devices, X509Certificate trustedCa, EventLoopGroup group, InetSocketAddress server,
                           Listener listener) throws SSLException {
        this.devices = devices;
        this.group = group;
        this.server = server;
        this.listener = listener;
        this.tls = SslContextBuilder.forClient()
                .sslProvider(TlsContexts.provider())
                .protocols(TlsContexts.TLS_1_3)
                .keyManager(new KeyManagerFactoryWrapper(new PerDeviceKeys()))
                .trustManager(trustedCa)
                .build();
        // One context stands for many devices: a session cached for one device must never be resumed by
        // another (the server would take the resumed session's identity), and real devices start cold.
        if (tls.sessionContext() instanceof OpenSslSessionContext openSsl) {
            openSsl.setSessionCacheEnabled(false);
        }
    }

    /** Connects device {@code d} from {@code local}; {@code done} runs once the handshake succeeded or failed. */
    void connect(Device d, InetAddress local, Runnable done) {
        Bootstrap bootstrap = new Bootstrap().group(group).channel(nl.aware.http.Transports.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = tls.newHandler(ch.alloc(), server.getHostString(), server.getPort());
                        handshaking.put(ssl.engine(), d);
                        ch.pipeline().addLast(ssl, new AdpFrameSplitter(), new ServerFrameDecoder(),
                                DeviceFrameEncoder.INSTANCE, new Handler(d, ssl.engine(), done));
                    }
                });
        bootstrap.connect(server, new InetSocketAddress(local, 0)).addListener(f -> {
            if (!f.isSuccess()) {
                fail(f.cause());
                done.run();
            }
        });
    }

    private void fail(Throwable cause) {
        failures.increment();
        if (firstFailure == null) {
            firstFailure = cause;
        }
    }

    /** From any thread: a signed heartbeat on the device's loop (skipped when not connected). */
    void heartbeat(Device d) {
        Channel ch = d.channel;
        if (ch == null || !ch.isActive()) {
            return;
        }
        ch.eventLoop().execute(() -> {
            ch.writeAndFlush(d.sign(FrameType.HEARTBEAT));
            heartbeatsSent.increment();
        });
    }

    /** From any thread: a PANIC pressed at {@code pressNanos}; false when the device is not connected. */
    boolean panic(Device d, long pressNanos, boolean measured) {
        Channel ch = d.channel;
        if (ch == null || !ch.isActive()) {
            return false;
        }
        ch.eventLoop().execute(() -> {
            DeviceFrame frame = d.sign(FrameType.PANIC);
            d.panicCounter = frame.counter();
            d.panicPressNanos = pressNanos;
            d.panicMeasured = measured;
            ch.writeAndFlush(frame);
            panicsSent.increment();
        });
        return true;
    }

    void closeAll() {
        for (Device d : devices) {
            Channel ch = d.channel;
            if (ch != null) {
                ch.close();
            }
        }
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        private final Device device;
        private final Runnable done;
        private SSLEngine engine;

        Handler(Device device, SSLEngine engine, Runnable done) {
            this.device = device;
            this.engine = engine;
            this.done = done;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent handshake) {
                handshaking.remove(engine);
                engine = null;
                if (handshake.isSuccess()) {
                    device.channel = ctx.channel();
                    handshakes.increment();
                    connected.increment();
                } else {
                    fail(handshake.cause());
                    ctx.close();
                }
                done.run();
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            long now = System.nanoTime();
            try {
                if (msg instanceof ServerFrame.Ack ack) {
                    if (ack.counter() == device.panicCounter) {
                        device.panicCounter = -1;
                        listener.panicAcked(ack, device.panicPressNanos, now, device.panicMeasured);
                    } else {
                        heartbeatsAcked.increment();
                    }
                } else if (msg instanceof ServerFrame) {
                    nacks.increment();
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (engine != null) { // closed before the handshake completed
                handshaking.remove(engine);
                engine = null;
                fail(new IllegalStateException("connection closed during the handshake"));
                done.run();
            } else if (device.channel == ctx.channel()) {
                connected.decrement();
                closedAfterHandshake.increment();
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (firstCloseCause == null) {
                firstCloseCause = cause;
            }
            ctx.close();
        }
    }

    /** Chooses, per handshake, the key and certificate of the device the engine belongs to. */
    private final class PerDeviceKeys extends X509ExtendedKeyManager {
        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            Device d = handshaking.get(engine);
            return d == null ? null : Integer.toString(d.index);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            // The device's certificate alone, as TlsContexts.client presents it: the server knows the device CA.
            return new X509Certificate[] {devices[Integer.parseInt(alias)].credential.certificate()};
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return devices[Integer.parseInt(alias)].credential.privateKey();
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
