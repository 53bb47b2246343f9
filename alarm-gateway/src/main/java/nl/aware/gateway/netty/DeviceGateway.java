package nl.aware.gateway.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import nl.aware.core.intake.Intake;
import nl.aware.core.state.DeviceRegistry;
import nl.aware.gateway.netty.DeviceChannelInitializer;
import nl.aware.http.Transports;

import java.net.InetSocketAddress;
import java.time.Clock;

/** The Netty server devices connect to. */
public final class DeviceGateway implements AutoCloseable {
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    private final AutoCloseable revocations;
    private final DeviceConnections connections;

    private DeviceGateway(EventLoopGroup acceptor, EventLoopGroup workers, Channel serverChannel,
                          AutoCloseable revocations, DeviceConnections connections) {
        this.connections = connections;
        this.acceptor = acceptor;
        this.workers = workers;
        this.serverChannel = serverChannel;
        this.revocations = revocations;
    }

    /** Binds and lets devices in; the last step of a server's start. */
    public static DeviceGateway start(GatewayConfig config, SslContext sslContext, DeviceRegistry registry,
                                      Intake intake, GatewayMetrics metrics, Clock clock) throws InterruptedException {
        EventLoopGroup acceptor = Transports.group(1);
        EventLoopGroup workers = Transports.group(config.ioThreads());
        DeviceChannelInitializer initializer = new DeviceChannelInitializer(sslContext, config, registry, intake, metrics,
                clock);
        try {
            Channel serverChannel = new ServerBootstrap()
                    .group(acceptor, workers)
                    .channel(Transports.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8 * 1024, 32 * 1024))
                    .childHandler(initializer)
                    .bind(config.bindAddress(), config.port()).sync().channel();
            // A revoked or re-enrolled device's open connections close as soon as the event is applied here.
            AutoCloseable revocations = registry.onStandingChanged(initializer.connections()::standingChanged);
            return new DeviceGateway(acceptor, workers, serverChannel, revocations, initializer.connections());
        } catch (Exception e) { // also the BindException Netty throws undeclared from sync()
            new DeviceGateway(acceptor, workers, null, null, null).close();
            throw e;
        }
    }

    /** The open device connections: where {@link DeviceCommands} sends. */
    DeviceConnections connections() {
        return connections;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    @Override
    public void close() {
        if (revocations != null) {
            try {
                revocations.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop listening for revocations", e);
            }
        }
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        acceptor.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
