package nl.aware.monitoring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import nl.aware.monitoring.health.HealthCheck;
import nl.aware.monitoring.health.Readiness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The operations HTTP endpoint: {@code GET /metrics} (Prometheus text exposition), {@code GET
 * /health/live} and {@code GET /health/ready}. Plain HTTP/1.1 on its own port, loopback by default: it
 * carries no personal data (bounded labels only), and is meant for a Prometheus on the same host or a
 * private management network, never the device-facing interface.
 *
 * <p>Threads: one event loop accepts and parses; the handler (scrape, health checks) runs on one
 * separate worker thread, so a slow gauge or probe never stalls the event loop.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

    /** Pipeline handler names, in order. */
    static final class Names {
        /** Closes connections that sent nothing for a while: a scraper reconnects cheaply. */
        static final String IDLE = "idle";
        /** HTTP/1.1 request decoder and response encoder, with capped line and header sizes. */
        static final String HTTP = "http";
        /** Whole requests only; our requests have no body, so the cap is small. */
        static final String AGGREGATOR = "aggregator";
        /** Routing and responses; runs on the worker group, off the event loop. */
        static final String ROUTES = "routes";

        private Names() {
        }
    }

    /** 1 while a readiness check is up, 0 while down; tag {@code check} is the check's name. */
    public static final String HEALTH_UP = "aware.health.up";

    static final int MAX_REQUEST_BODY = 1024;
    static final int IDLE_SECONDS = 60;

    private final EventLoopGroup group;
    private final EventExecutorGroup worker;
    private final Channel serverChannel;

    private MetricsServer(EventLoopGroup group, EventExecutorGroup worker, Channel serverChannel) {
        this.group = group;
        this.worker = worker;
        this.serverChannel = serverChannel;
    }

    /**
     * Binds and starts serving.
     *
     * @param bindAddress where to listen: loopback unless a private management network scrapes it
     * @param port        TCP port, 0 for any free port (see {@link #address()})
     * @param registry    the registry every module registers its meters on
     * @param checks      readiness conditions; ready when all are up (and when there are none). Each is
     *                    also exposed as gauge {@value #HEALTH_UP}{check=name} on the registry
     * @throws IOException when the address cannot be bound
     */
    public static MetricsServer start(InetAddress bindAddress, int port, PrometheusMeterRegistry registry,
                                      List<HealthCheck> checks) throws IOException {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(registry, "registry");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventExecutorGroup worker = new DefaultEventExecutorGroup(1);
        Readiness readiness = new Readiness(checks);
        for (HealthCheck check : readiness.checks()) {
            Gauge.builder(HEALTH_UP, check, c -> Readiness.run(c).up() ? 1 : 0)
                    .description("Readiness check state: 1 up, 0 down (see GET /health/ready for the reason)")
                    .tag("check", check.name()).register(registry);
        }
        OpsRequestHandler routes = new OpsRequestHandler(registry, readiness);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 64)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(Names.IDLE, new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
                                .addLast(Names.HTTP, new HttpServerCodec(4096, 8192, 8192))
                                .addLast(Names.AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST_BODY))
                                .addLast(worker, Names.ROUTES, routes);
                    }
                });
        try {
            Channel channel = bootstrap.bind(bindAddress, port).syncUninterruptibly().channel();
            MetricsServer server = new MetricsServer(group, worker, channel);
            log.info("metrics and health endpoint listening on http://{}", format(server.address()));
            return server;
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            worker.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("cannot bind the metrics endpoint to " + bindAddress.getHostAddress() + ":" + port, e);
        }
    }

    /** The bound address (with the real port when started with port 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        worker.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
