package nl.aware.dispatch.police;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import nl.aware.http.Transports;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP/1.1 over TLS on Netty with kept-alive connections: a request takes an idle connection to its
 * host or opens one (TCP and the TLS handshake), and gives it back when the answer came and the
 * receiver keeps it open. One request per connection at a time; as many connections as requests in
 * flight (the dispatcher bounds those). A request that finds its reused connection closed under it
 * before any answer is sent once more on a new connection: receivers may close idle connections at
 * any time, and every request carries an idempotency key.
 */
final class KeptAliveClient implements AutoCloseable {
    /** Largest answer body read (receipts are small; anything larger is not a receipt). */
    private static final int MAX_ANSWER_BYTES = 1 << 20;

    /** A receiver's answer. */
    record Answer(int status, byte[] body) {
    }

    private final SslContext tls;
    private final Duration timeout;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Map<String, Deque<Channel>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    KeptAliveClient(SslContext tls, Duration timeout, EventLoopGroup group, boolean ownsGroup) {
        this.tls = tls;
        this.timeout = timeout;
        this.group = group;
        this.ownsGroup = ownsGroup;
    }

    /** Sends one request; completes with the answer, or exceptionally (connection, TLS, timeout). */
    CompletableFuture<Answer> exchange(URI uri, HttpMethod method, String idempotencyKey, byte[] body) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        send(uri, method, idempotencyKey, body, answer, true);
        return answer;
    }

    private void send(URI uri, HttpMethod method, String idempotencyKey, byte[] body, CompletableFuture<Answer> answer,
                      boolean mayRetry) {
        if (closed) {
            answer.completeExceptionally(new IllegalStateException("HTTPS client closed"));
            return;
        }
        String key = key(uri);
        Channel reused = takeIdle(key);
        if (reused != null) {
            exchangeOn(reused, uri, method, idempotencyKey, body, answer, mayRetry);
            return;
        }
        connect(uri).whenComplete((fresh, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(failure);
            } else {
                exchangeOn(fresh, uri, method, idempotencyKey, body, answer, false);
            }
        });
    }

    private void exchangeOn(Channel channel, URI uri, HttpMethod method, String idempotencyKey, byte[] body,
                            CompletableFuture<Answer> answer, boolean retryOnClose) {
        channel.eventLoop().execute(() -> {
            AnswerHandler handler = channel.pipeline().get(AnswerHandler.class);
            if (handler == null || !channel.isActive()) {
                retryOrFail(uri, method, idempotencyKey, body, answer, retryOnClose, new ClosedChannelException());
                return;
            }
            CompletableFuture<Received> current = new CompletableFuture<>();
            handler.expect(current);
            ScheduledFuture<?> deadline = channel.eventLoop().schedule(() -> {
                if (current.completeExceptionally(new TimeoutException("no answer within " + timeout.toMillis() + " ms"))) {
                    channel.close();
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
            current.whenComplete((a, failure) -> {
                deadline.cancel(false);
                handler.expect(null);
                if (failure == null) {
                    if (a.keepAlive() && channel.isActive() && !closed) {
                        idle.computeIfAbsent(key(uri), k -> new ConcurrentLinkedDeque<>()).offerFirst(channel);
                    } else {
                        channel.close();
                    }
                    answer.complete(new Answer(a.status(), a.body()));
                } else if (failure instanceof ClosedChannelException && a == null) {
                    retryOrFail(uri, method, idempotencyKey, body, answer, retryOnClose, failure);
                } else {
                    channel.close();
                    answer.completeExceptionally(failure);
                }
            });
            channel.writeAndFlush(request(uri, method, idempotencyKey, body)).addListener(written -> {
                if (!written.isSuccess()) {
                    current.completeExceptionally(written.cause() instanceof ClosedChannelException
                            ? written.cause() : new ClosedChannelException());
                }
            });
        });
    }

    private void retryOrFail(URI uri, HttpMethod method, String idempotencyKey, byte[] body,
                             CompletableFuture<Answer> answer, boolean mayRetry, Throwable failure) {
        if (mayRetry) {
            send(uri, method, idempotencyKey, body, answer, false);
        } else {
            answer.completeExceptionally(failure);
        }
    }

    private Channel takeIdle(String key) {
        Deque<Channel> channels = idle.get(key);
        if (channels == null) {
            return null;
        }
        for (Channel channel; (channel = channels.pollFirst()) != null; ) {
            if (channel.isActive()) {
                return channel;
            }
        }
        return null;
    }

    /** Opens a connection; completes once the TLS handshake is done. */
    private CompletableFuture<Channel> connect(URI uri) {
        String host = uri.getHost();
        int port = port(uri);
        CompletableFuture<Channel> ready = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap().group(group).channel(Transports.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = tls.newHandler(ch.alloc(), host, port);
                        SSLEngine engine = ssl.engine();
                        SSLParameters parameters = engine.getSSLParameters();
                        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the receiver's name must match
                        engine.setSSLParameters(parameters);
                        ssl.setHandshakeTimeoutMillis(timeout.toMillis());
                        ch.pipeline().addLast(ssl, new HttpClientCodec(), new HttpObjectAggregator(MAX_ANSWER_BYTES),
                                new AnswerHandler());
                    }
                });
        bootstrap.connect(host, port).addListener(connected -> {
            if (!connected.isSuccess()) {
                ready.completeExceptionally(connected.cause());
                return;
            }
            Channel channel = ((io.netty.channel.ChannelFuture) connected).channel();
            channel.pipeline().get(SslHandler.class).handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    ready.complete(channel);
                } else {
                    channel.close();
                    ready.completeExceptionally(handshake.cause());
                }
            });
        });
        return ready;
    }

    private static FullHttpRequest request(URI uri, HttpMethod method, String idempotencyKey, byte[] body) {
        String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            target += "?" + uri.getRawQuery();
        }
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, target,
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        request.headers().set(HttpHeaderNames.HOST, uri.getHost() + ":" + port(uri));
        if (body != null) {
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        if (idempotencyKey != null) {
            request.headers().set("Idempotency-Key", idempotencyKey);
        }
        return request;
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : 443;
    }

    private static String key(URI uri) {
        return uri.getHost() + ":" + port(uri);
    }

    @Override
    public void close() {
        closed = true;
        idle.values().forEach(channels -> channels.forEach(Channel::close));
        idle.clear();
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** What the connection's handler hands back: the answer, and whether the connection may be reused. */
    private record Received(int status, byte[] body, boolean keepAlive) {
    }

    /** On the connection's event loop: completes the request in flight with its answer. */
    private static final class AnswerHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private CompletableFuture<Received> pending;

        void expect(CompletableFuture<Received> next) {
            pending = next;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            CompletableFuture<Received> waiting = pending;
            if (waiting == null) {
                ctx.close(); // an answer nobody asked for: the connection is out of step
                return;
            }
            waiting.complete(new Received(response.status().code(), ByteBufUtil.getBytes(response.content()),
                    HttpUtil.isKeepAlive(response)));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            CompletableFuture<Received> waiting = pending;
            if (waiting != null) {
                waiting.completeExceptionally(new ClosedChannelException());
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            CompletableFuture<Received> waiting = pending;
            if (waiting != null) {
                waiting.completeExceptionally(cause);
            }
            ctx.close();
        }
    }
}
