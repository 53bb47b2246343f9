package nl.aware.simulator.controlroom;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One small HTTPS server (TLS 1.3, client certificate required) shared by every simulated
 * receiver; what it answers is the {@link Route}'s business. It can be taken down and brought up
 * again on the same port, answer late, or answer 503 to a share of requests.
 *
 * <p>Pipeline, in order:
 * <ol>
 *   <li>{@value #TLS}: the handshake; a client certificate not chained to the trusted CA fails here,
 *       before a byte of HTTP is read;</li>
 *   <li>{@value #READ_TIMEOUT}: an idle connection is closed after a minute;</li>
 *   <li>{@value #HTTP}: the HTTP/1.1 codec;</li>
 *   <li>{@value #AGGREGATE}: whole requests, refused with 413 from the declared length when over {@value #MAX_BODY} bytes;</li>
 *   <li>{@value #ROUTES}: failure injection, then the request (its body copied) goes to the route on the
 *       receiver's single route thread, so routes never run on the I/O thread and see requests one at a
 *       time; the answer is written back on the I/O thread, after the response delay.</li>
 * </ol>
 */
final class HttpsReceiver {
    static final String TLS = "tls";
    static final String READ_TIMEOUT = "read-timeout";
    static final String HTTP = "http";
    static final String AGGREGATE = "aggregate";
    static final String ROUTES = "routes";
    static final int MAX_BODY = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(HttpsReceiver.class);

    private final String name;
    private final String bindAddress;
    private final SslContext tls;
    private final Route route;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong injectedFailures = new AtomicLong();
    private final AtomicLong refusedHandshakes = new AtomicLong();
    private final AtomicLong handshakes = new AtomicLong();
    private volatile Duration responseDelay;
    private volatile double failureShare;
    private volatile int failureStatus = 503;

    // guarded by this
    private int port;
    private EventLoopGroup io;
    private ExecutorService routes;
    private ChannelGroup connections;
    private Channel listener;

    HttpsReceiver(ReceiverOptions options, SslContext tls, Route route) {
        this.name = options.name();
        this.bindAddress = options.bindAddress();
        this.port = options.port();
        this.tls = tls;
        this.route = route;
        this.responseDelay = options.responseDelay();
        this.failureShare = options.failureShare();
    }

    /** Starts the threads and listens; after {@link #stop()} it listens on the same port as before. */
    synchronized void start() throws InterruptedException {
        if (io != null) {
            throw new IllegalStateException(name + " is already started");
        }
        io = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        routes = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, name + "-routes");
            thread.setDaemon(true);
            return thread;
        });
        connections = new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE);
        try {
            up();
        } catch (InterruptedException | RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Listens again (no-op when listening). The port is the one of the first start. */
    synchronized void up() throws InterruptedException {
        if (io == null) {
            throw new IllegalStateException(name + " is not started");
        }
        if (listener != null) {
            return;
        }
        listener = new ServerBootstrap().group(io).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(TLS, tls.newHandler(ch.alloc()))
                                .addLast(READ_TIMEOUT, new ReadTimeoutHandler(60, TimeUnit.SECONDS))
                                .addLast(HTTP, new HttpServerCodec())
                                .addLast(AGGREGATE, new HttpObjectAggregator(MAX_BODY))
                                .addLast(ROUTES, new RouteHandler());
                    }
                }).bind(bindAddress, port).sync().channel();
        port = ((InetSocketAddress) listener.localAddress()).getPort();
        log.info("{} listening on {}:{}", name, bindAddress, port);
    }

    /** Closes the listening socket and every open connection; the threads stay for {@link #up()}. */
    synchronized void down() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
            listener = null;
            log.info("{} down: port {} closed, {} connection(s) dropped", name, port, connections.size());
        }
        if (connections != null) {
            connections.close().syncUninterruptibly();
        }
    }

    /** Goes down and ends the threads. May be called more than once. */
    synchronized void stop() {
        down();
        if (io != null) {
            io.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            routes.shutdownNow(); // a request still queued has lost its connection anyway
            io = null;
            routes = null;
        }
    }

    synchronized boolean listening() {
        return listener != null;
    }

    /** The bound port (the configured one before the first start). */
    synchronized int port() {
        return port;
    }

    long requests() {
        return requests.get();
    }

    long handshakes() {
        return handshakes.get();
    }

    long injectedFailures() {
        return injectedFailures.get();
    }

    long refusedHandshakes() {
        return refusedHandshakes.get();
    }

    void responseDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        this.responseDelay = delay;
    }

    /** The status the failure share is answered with (503 unless a test wants a refusal, e.g. 400). */
    void failureStatus(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("failure status must be 4xx or 5xx, was " + status);
        }
        this.failureStatus = status;
    }

    void failureShare(double share) {
        if (!(share >= 0.0 && share <= 1.0)) {
            throw new IllegalArgumentException("failureShare must be within 0.0..1.0, was " + share);
        }
        this.failureShare = share;
    }

    /** On the I/O thread: counts, injects failures, hands the request to the route thread. */
    private final class RouteHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            requests.incrementAndGet();
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (!request.decoderResult().isSuccess()) {
                answer(ctx, keepAlive, Route.Reply.error(400, "malformed HTTP request"));
                return;
            }
            if (failureShare > 0 && ThreadLocalRandom.current().nextDouble() < failureShare) {
                injectedFailures.incrementAndGet();
                answer(ctx, keepAlive, Route.Reply.error(failureStatus, "simulated failure"));
                return;
            }
            Route.Request parsed = new Route.Request(request.method().name(),
                    new QueryStringDecoder(request.uri()).path(), request.headers().get("Idempotency-Key"),
                    ByteBufUtil.getBytes(request.content()));
            try {
                routes.execute(() -> answer(ctx, keepAlive, handle(parsed)));
            } catch (RejectedExecutionException e) {
                answer(ctx, keepAlive, Route.Reply.error(503, "shutting down"));
            }
        }

        /** On the route thread. */
        private Route.Reply handle(Route.Request request) {
            try {
                return route.handle(request);
            } catch (RuntimeException e) {
                log.error("{}: {} {} failed in the simulator itself", name, request.method(), request.path(), e);
                return Route.Reply.error(500, "simulator error");
            }
        }

        /** From any thread: writes the answer on the I/O thread after the response delay. */
        private void answer(ChannelHandlerContext ctx, boolean keepAlive, Route.Reply reply) {
            Duration delay = responseDelay;
            try {
                if (delay.isZero()) {
                    ctx.executor().execute(() -> write(ctx, keepAlive, reply));
                } else {
                    ctx.executor().schedule(() -> write(ctx, keepAlive, reply), delay.toNanos(), TimeUnit.NANOSECONDS);
                }
            } catch (RejectedExecutionException e) {
                log.debug("{}: answer dropped, the receiver is stopping", name);
            }
        }

        private void write(ChannelHandlerContext ctx, boolean keepAlive, Route.Reply reply) {
            byte[] body = reply.body().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            HttpUtil.setContentLength(response, body.length);
            HttpUtil.setKeepAlive(response, keepAlive);
            var written = ctx.writeAndFlush(response);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess()) {
                handshakes.incrementAndGet();
            }
            if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
                refusedHandshakes.incrementAndGet();
                log.warn("{}: TLS handshake from {} refused: {}", name, ctx.channel().remoteAddress(),
                        handshake.cause().toString());
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("{}: connection from {} closed after an error", name, ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }
}
