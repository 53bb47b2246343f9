package nl.aware.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A small HTTP(S) server: one event loop for accepting, TLS and HTTP; a worker group for the service
 * (which may block briefly: hashing, reading the log, rendering a report), or none for a service that
 * never blocks and runs on the loop; the pipeline of {@link HttpPipeline}; orderly close (stop accepting,
 * then let the loops and workers finish).
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    /** How long a stopping group waits for more work (a connection's last hops) before it ends. */
    private static final long QUIET_MS = 100;

    private final String name;
    private final EventLoopGroup loop;
    /** Null when the service runs on the event loop. */
    private final EventExecutorGroup workers;
    private final Channel channel;
    private final ConnectionLimiter limiter;
    private final LongAdder expired;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private volatile MeterRegistry meteredIn;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private HttpServer(String name, EventLoopGroup loop, EventExecutorGroup workers, Channel channel,
                       ConnectionLimiter limiter, LongAdder expired) {
        this.name = name;
        this.loop = loop;
        this.workers = workers;
        this.channel = channel;
        this.limiter = limiter;
        this.expired = expired;
    }

    /**
     * Binds and serves.
     *
     * @param services builds the service, given the group it will run on (the workers, or the event loop
     *                 when {@link HttpServerSettings#workerThreads} is 0), for continuations that must not run
     *                 on other components' threads
     * @throws IOException when the address cannot be bound
     */
    public static HttpServer start(HttpServerSettings settings, Function<EventExecutorGroup, HttpService> services)
            throws IOException {
        EventLoopGroup loop = Transports.group(1);
        EventExecutorGroup workers = settings.workerThreads() == 0 ? null
                : new DefaultEventExecutorGroup(settings.workerThreads());
        ConnectionLimiter limiter = new ConnectionLimiter(settings.name(), settings.maxConnections());
        LongAdder expired = new LongAdder();
        try {
            ServiceHandler service = new ServiceHandler(settings.name(),
                    services.apply(workers == null ? loop : workers), settings.proxy());
            ServerBootstrap bootstrap = new ServerBootstrap().group(loop).channel(Transports.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 128)
                    .handler(limiter)
                    .childHandler(new HttpPipeline(settings, service, workers, expired));
            Channel channel = bootstrap.bind(settings.bindAddress(), settings.port()).syncUninterruptibly().channel();
            HttpServer server = new HttpServer(settings.name(), loop, workers, channel, limiter, expired);
            log.info("{} listening on {}://{}", settings.name(), settings.tls() == null ? "http" : "https",
                    format(server.address()));
            return server;
        } catch (RuntimeException e) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (workers != null) {
                workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
            throw new IOException("cannot bind the " + settings.name() + " to "
                    + settings.bindAddress().getHostAddress() + ":" + settings.port(), e);
        }
    }

    /** The bound address (with the real port when started on port 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Connections open now. */
    public int openConnections() {
        return limiter.open();
    }

    /** Connections refused at the cap since start. */
    public long refusedConnections() {
        return limiter.refused();
    }

    /** Connections closed because a request (or handshake) was not complete within the deadline. */
    public long expiredRequests() {
        return expired.sum();
    }

    /**
     * Exports this server's connection meters, tagged {@code server}: open connections, those refused at
     * the cap and those closed at the request deadline (a flood or a slow client shows here first). Removed
     * again on {@link #close}. The tag is a fixed name such as {@code staff-api}, never a client's address.
     */
    public HttpServer meteredIn(MeterRegistry registry, String server) {
        Tags tags = Tags.of("server", server);
        meters.add(Gauge.builder("aware.http.connections.open", limiter, ConnectionLimiter::open).tags(tags)
                .description("Connections open now").register(registry));
        meters.add(FunctionCounter.builder("aware.http.connections.refused", limiter, ConnectionLimiter::refused)
                .tags(tags).description("Connections refused at the connection cap").register(registry));
        meters.add(FunctionCounter.builder("aware.http.requests.expired", expired, LongAdder::sum).tags(tags)
                .description("Connections closed because a request was not complete within the deadline")
                .register(registry));
        meteredIn = registry;
        return this;
    }

    /** Stops accepting, lets the loops and workers finish, removes the meters. A second close does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        MeterRegistry registry = meteredIn;
        if (registry != null) {
            meters.forEach(registry::remove);
        }
        channel.close().syncUninterruptibly();
        limiter.closeAll(java.time.Duration.ofSeconds(2));
        // Together, each with a quiet period: a closed connection's pipeline is taken down in hops between the
        // loop and the workers, and a group that stopped at once refused the next hop (Netty logged each).
        Future<?> loopStopped = loop.shutdownGracefully(QUIET_MS, 2000, TimeUnit.MILLISECONDS);
        Future<?> workersStopped = workers == null ? null
                : workers.shutdownGracefully(QUIET_MS, 2000, TimeUnit.MILLISECONDS);
        loopStopped.syncUninterruptibly();
        if (workersStopped != null) {
            workersStopped.syncUninterruptibly();
        }
        log.info("{} closed", name);
    }

    private static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
