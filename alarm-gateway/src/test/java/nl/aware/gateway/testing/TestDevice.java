package nl.aware.gateway.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.protocol.AdpFrameSplitter;
import nl.aware.core.protocol.DeviceFrame;
import nl.aware.core.protocol.DeviceFrameEncoder;
import nl.aware.core.protocol.FrameSigner;
import nl.aware.core.protocol.FrameType;
import nl.aware.core.protocol.Location;
import nl.aware.core.protocol.ServerFrame;
import nl.aware.core.protocol.ServerFrameDecoder;
import nl.aware.gateway.netty.TlsContexts;
import nl.aware.http.Transports;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A scripted device on a real mutual-TLS connection: sends what the test says, queues what it gets. */
public final class TestDevice implements AutoCloseable {
    public static final Location ZWOLLE = new Location(525_168_000, 60_830_000, 8, 2, Location.SOURCE_GNSS, 90);

    private final EventLoopGroup group;
    private final Channel channel;
    private final long deviceId;
    private final FrameSigner signer;
    private final BlockingQueue<ServerFrame> received;

    private TestDevice(EventLoopGroup group, Channel channel, long deviceId, FrameSigner signer,
                       BlockingQueue<ServerFrame> received) {
        this.received = received;
        this.group = group;
        this.channel = channel;
        this.deviceId = deviceId;
        this.signer = signer;
    }

    public static TestDevice connect(InetSocketAddress server, long deviceId, IssuedCredential credential,
                                     X509Certificate trustedCa) throws Exception {
        SslContext tls = TlsContexts.client(credential.privateKey(), credential.certificate(), trustedCa);
        EventLoopGroup group = Transports.group(1);
        BlockingQueue<ServerFrame> inbox = new LinkedBlockingQueue<>();
        try {
            Channel channel = new Bootstrap().group(group).channel(Transports.clientChannel())
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), server.getHostString(), server.getPort()),
                                    new AdpFrameSplitter(), new ServerFrameDecoder(), DeviceFrameEncoder.INSTANCE,
                                    new SimpleChannelInboundHandler<ServerFrame>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, ServerFrame frame) {
                                            inbox.add(frame);
                                        }

                                        @Override
                                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                            ctx.close(); // the server refused us; the test looks at what arrived
                                        }
                                    });
                        }
                    }).connect(server).sync().channel();
            channel.pipeline().get(SslHandler.class).handshakeFuture().sync();
            return new TestDevice(group, channel, deviceId, new FrameSigner(credential.privateKey()), inbox);
        } catch (Exception e) {
            group.shutdownGracefully();
            throw e;
        }
    }

    public DeviceFrame panic(long counter) {
        return frame(FrameType.PANIC, deviceId, counter, location(ZWOLLE));
    }

    /** A PANIC whose device clock says {@code deviceTimeMs} (a wrong clock, in a test). */
    public DeviceFrame panicAt(long counter, long deviceTimeMs) {
        return DeviceFrame.create(FrameType.PANIC, deviceId, counter, deviceTimeMs, location(ZWOLLE), signer);
    }

    public DeviceFrame heartbeat(long counter) {
        return frame(FrameType.HEARTBEAT, deviceId, counter, new byte[] {80, 0});
    }

    /** A frame signed with this device's key; {@code claimedDeviceId} may name another device. */
    public DeviceFrame frame(FrameType type, long claimedDeviceId, long counter, byte[] payload) {
        return DeviceFrame.create(type, claimedDeviceId, counter, System.currentTimeMillis(), payload, signer);
    }

    public static byte[] location(Location location) {
        ByteBuf buf = Unpooled.buffer(Location.BYTES);
        location.write(buf);
        return ByteBufUtil.getBytes(buf);
    }

    public void send(DeviceFrame frame) {
        channel.writeAndFlush(frame).syncUninterruptibly();
    }

    /**
     * Sends, or returns false when the server closed the connection before the write: with TLS 1.3 the client's
     * handshake completes before the server has judged its certificate, so a refused device may see its first
     * write fail (Netty rethrows the engine's SSLException unchecked, hence the broad catch).
     */
    public boolean sendUnlessClosed(DeviceFrame frame) {
        try {
            send(frame);
            return true;
        } catch (Exception closedByTheServer) {
            if (channel.isActive() && !(closedByTheServer instanceof SSLException)) {
                throw closedByTheServer instanceof RuntimeException r ? r : new IllegalStateException(closedByTheServer);
            }
            return false;
        }
    }

    public void sendRaw(byte[] bytes) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).syncUninterruptibly();
    }

    /** The next frame from the server, or an AssertionError when none comes within the timeout. */
    public ServerFrame next() throws InterruptedException {
        ServerFrame frame = received.poll(10, TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("no answer from the server within 10 s");
        }
        return frame;
    }

    /** The next frame from the server, or null when none comes within the timeout. */
    public ServerFrame nextWithin(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A frame already received, or null. */
    public ServerFrame poll() {
        return received.poll();
    }

    public ServerFrame.Ack nextAck() throws InterruptedException {
        ServerFrame frame = next();
        if (frame instanceof ServerFrame.Ack ack) {
            return ack;
        }
        throw new AssertionError("expected an ACK, got " + frame);
    }

    public boolean awaitClosed(Duration timeout) {
        return channel.closeFuture().awaitUninterruptibly(timeout.toMillis());
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    public long deviceId() {
        return deviceId;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
