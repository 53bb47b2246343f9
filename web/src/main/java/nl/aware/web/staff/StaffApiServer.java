package nl.aware.web.staff;

import io.micrometer.core.instrument.MeterRegistry;
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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import nl.aware.core.event.Event;
import nl.aware.core.staff.PasswordHasher;
import nl.aware.core.state.ServerState;
import nl.aware.records.history.AlertIndex;
import nl.aware.monitoring.supervision.DeviceSupervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The staff API: HTTPS (TLS 1.3, the deployment's server certificate; staff authenticate with a
 * password and a bearer token, not a client certificate), JSON, on its own address and port.
 * Low volume: one event loop for TLS and HTTP, two worker threads for the routes, which also bounds
 * how many Argon2 hashes (19 MiB each) run at once.
 */
public final class StaffApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StaffApiServer.class);

    /** Pipeline handler names, in order. */
    static final class Names {
        /** TLS first: nothing is parsed before the handshake. */
        static final String TLS = "tls";
        /** A client that sends nothing for a minute is dropped (slowloris). */
        static final String READ_TIMEOUT = "read-timeout";
        /** HTTP/1.1 with capped line and header sizes. */
        static final String HTTP = "http";
        /** Whole requests, capped: bodies are small JSON objects. */
        static final String AGGREGATOR = "aggregator";
        /** Authentication, authorisation, audit, routes: on the worker group. */
        static final String ROUTES = "routes";

        private Names() {
        }
    }

    static final int MAX_REQUEST_BODY = 16 * 1024;
    static final int READ_TIMEOUT_SECONDS = 60;
    static final int WORKER_THREADS = 2;

    private final EventLoopGroup group;
    private final EventExecutorGroup worker;
    private final Channel channel;
    private final StaffSessions sessions;
    private final MoreRoutes controlRoom; // null: no control room served

    private StaffApiServer(EventLoopGroup group, EventExecutorGroup worker, Channel channel, StaffSessions sessions,
                           MoreRoutes controlRoom) {
        this.controlRoom = controlRoom;
        this.group = group;
        this.worker = worker;
        this.channel = channel;
        this.sessions = sessions;
    }

    /**
     * Binds and serves.
     *
     * @param tls        a TLS 1.3 server context with the deployment's server certificate
     * @param state      the projections: staff directory, devices, carriers
     * @param supervisor device supervision (last seen, battery)
     * @param recorder   appends an event to the log; its future completes once durable
     * @param index      every alert as a list row (a projection registered before the log was replayed)
     * @param alerts     one alert's full record and evidence, read from the log
     * @param clock      session expiry and trail times
     */
    public static StaffApiServer start(StaffApiSettings settings, SslContext tls, ServerState state,
                                       DeviceSupervisor supervisor, Function<Event, CompletableFuture<?>> recorder,
                                       AlertIndex index, AlertRecords alerts, Clock clock, MeterRegistry registry) throws IOException {
        return start(settings, tls, state, supervisor, recorder, index, alerts, clock, registry, null);
    }

    /** As above, also serving the control-room API under /control/v1/ ({@code controlRoom} may be null). */
    public static StaffApiServer start(StaffApiSettings settings, SslContext tls, ServerState state,
                                       DeviceSupervisor supervisor, Function<Event, CompletableFuture<?>> recorder,
                                       AlertIndex index, AlertRecords alerts, Clock clock, MeterRegistry registry,
                                       MoreRoutes controlRoom) throws IOException {
        StaffSessions sessions = new StaffSessions(state.staff(), clock, settings.idleTimeout(), settings.absoluteTimeout());
        EventExecutorGroup worker = new DefaultEventExecutorGroup(WORKER_THREADS);
        StaffAudit audit = new StaffAudit(recorder, worker, clock, registry);
        PasswordHasher hasher = new PasswordHasher();
        LoginThrottle throttle = new LoginThrottle(clock);
        RouteTable routes = StaffRoutes.table(
                new SessionRoutes(state.staff(), sessions, hasher, throttle, audit, settings.idleTimeout()),
                new AccountRoutes(state.staff(), sessions, hasher, throttle, audit, clock),
                new DeviceRoutes(state.devices(), state.carriers(), supervisor),
                new CarrierRoutes(state.carriers()),
                new TrailRoutes(state.staff()),
                new AlertRoutes(index, alerts, clock));
        if (controlRoom != null) {
            RouteTable.Builder both = RouteTable.builder();
            routes.routes().forEach(both::add);
            controlRoom.serve(sessions, audit).forEach(both::add);
            routes = both.build();
        }
        StaffRequestHandler handler = new StaffRequestHandler(routes, sessions, audit);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 64)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(Names.TLS, tls.newHandler(ch.alloc()))
                                .addLast(Names.READ_TIMEOUT, new ReadTimeoutHandler(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                                .addLast(Names.HTTP, new HttpServerCodec(4096, 8192, 8192))
                                .addLast(Names.AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST_BODY))
                                .addLast(worker, Names.ROUTES, handler);
                    }
                });
        try {
            Channel channel = bootstrap.bind(settings.bindAddress(), settings.port()).syncUninterruptibly().channel();
            StaffApiServer server = new StaffApiServer(group, worker, channel, sessions, controlRoom);
            log.info("staff API listening on https://{}:{}", settings.bindAddress().getHostAddress(),
                    server.address().getPort());
            return server;
        } catch (RuntimeException e) {
            if (controlRoom != null) {
                controlRoom.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            worker.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("cannot bind the staff API to " + settings.bindAddress().getHostAddress() + ":"
                    + settings.port() + ": " + e.getMessage(), e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Live sessions (for tests and a gauge). */
    public int sessions() {
        return sessions.size();
    }

    @Override
    public void close() {
        if (controlRoom != null) {
            controlRoom.close(); // live streams end cleanly before their connections are cut
        }
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        worker.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
