package nl.aware.gateway.netty;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import nl.aware.core.intake.Intake;
import nl.aware.core.protocol.AdpFrameSplitter;
import nl.aware.core.protocol.DeviceFrameDecoder;
import nl.aware.core.protocol.ServerFrameEncoder;
import nl.aware.core.state.DeviceRegistry;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** The device pipeline, in order. Each line says why the handler sits where it does. */
public final class DeviceChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final SslContext sslContext;
    private final GatewayConfig config;
    private final ConnectionLimiter connectionLimiter;
    private final DeviceRegistry registry;
    private final Intake intake;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final Rejections rejections;
    private final DeviceConnections connections;

    public DeviceChannelInitializer(SslContext sslContext, GatewayConfig config, DeviceRegistry registry,
                                    Intake intake, GatewayMetrics metrics, Clock clock) {
        this.sslContext = sslContext;
        this.config = config;
        this.registry = registry;
        this.intake = intake;
        this.metrics = metrics;
        this.clock = clock;
        this.connectionLimiter = new ConnectionLimiter(config.maxConnections());
        this.rejections = new Rejections(intake, metrics, clock);
        this.connections = new DeviceConnections(registry);
        metrics.connections(connectionLimiter::open);
    }

    /** The open device connections, by device id (closed by {@link DeviceGateway} when a device's standing changes). */
    DeviceConnections connections() {
        return connections;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        // First, so that the excess is dropped before it costs a handshake.
        pipeline.addLast(HandlerNames.CONNECTION_LIMIT, connectionLimiter);
        // TLS 1.3 with a required client certificate that must be the device's current one (DeviceTrust):
        // a revoked or superseded certificate never gets a session. A slow handshake is cut off.
        SslHandler tls = sslContext.newHandler(channel.alloc());
        tls.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
        pipeline.addLast(HandlerNames.TLS, tls);
        // Pins the certificate's device id to the channel, then removes itself.
        pipeline.addLast(HandlerNames.IDENTITY, new DeviceIdentityHandler(rejections, connections, registry));
        // A device that stays silent past a few heartbeat intervals is gone: free its connection.
        pipeline.addLast(HandlerNames.IDLE, new IdleStateHandler(config.idleTimeout().toSeconds(), 0, 0, TimeUnit.SECONDS));
        // Length-capped framing, checked from the header before any body is buffered; a frame begun must
        // be complete within the frame deadline (one byte every 20 s is activity, but no frame).
        AdpFrameSplitter splitter = new AdpFrameSplitter();
        pipeline.addLast(HandlerNames.FRAME_DEADLINE, new FrameDeadline(splitter, rejections, config.frameDeadline()));
        pipeline.addLast(HandlerNames.FRAME_SPLITTER, splitter);
        // Bytes to typed frames; nothing else.
        pipeline.addLast(HandlerNames.FRAME_DECODER, new DeviceFrameDecoder());
        pipeline.addLast(HandlerNames.FRAME_ENCODER, ServerFrameEncoder.INSTANCE);
        // Identity, signature, counter rules, durable intake, late ACK.
        pipeline.addLast(HandlerNames.FRAMES, new FrameHandler(registry, intake, rejections, metrics, clock, config.maxInFlightPerConnection()));
    }
}
