package nl.aware.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLSession;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request and the one way to answer it. The body is copied out of Netty's buffer, so the exchange
 * may be answered later from any thread. {@link #respond} writes status, content type, length and
 * keep-alive; the pipeline adds the security headers; the connection is closed after an answer when the
 * client asked for it, or when the request was malformed or the server failed (5xx).
 */
public final class HttpExchange {
    private final ChannelHandlerContext ctx;
    private final HttpMethod method;
    private final String uri;
    private final QueryStringDecoder query;
    private final HttpHeaders headers;
    private final byte[] body;
    private final boolean keepAlive;
    private final String client;
    private final AtomicBoolean answered = new AtomicBoolean();

    HttpExchange(ChannelHandlerContext ctx, HttpMethod method, String uri, HttpHeaders headers, byte[] body,
                 boolean keepAlive, String client) {
        this.ctx = ctx;
        this.method = method;
        this.uri = uri;
        this.query = new QueryStringDecoder(uri);
        this.headers = headers;
        this.body = body;
        this.keepAlive = keepAlive;
        this.client = client;
    }

    public HttpMethod method() {
        return method;
    }

    /** The request target as sent (path and query). */
    public String uri() {
        return uri;
    }

    /** The decoded path, without the query. */
    public String path() {
        return query.path();
    }

    /** The decoded query string. */
    public QueryStringDecoder query() {
        return query;
    }

    public HttpHeaders headers() {
        return headers;
    }

    public byte[] body() {
        return body;
    }

    /** The client's address: the direct peer, or what the configured trusted proxy says (see {@link TrustedProxy}). */
    public String client() {
        return client;
    }

    /**
     * The executor this exchange was served on: continuations run here, never on another component's
     * threads. A worker, or the connection's event loop for a service that never blocks.
     */
    public Executor executor() {
        return ctx.executor();
    }

    /** The TLS session, when the server speaks TLS (the peer's certificates for mutual TLS). */
    public Optional<SSLSession> tlsSession() {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        return tls == null ? Optional.empty() : Optional.of(tls.engine().getSession());
    }

    /**
     * Answers with a Server-Sent Events stream instead of one body: the head is written now and the
     * connection belongs to the returned channel until either side closes it. Counts as the answer.
     */
    public EventStreamChannel openEventStream() {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("exchange answered twice");
        }
        return EventStreamChannel.start(ctx);
    }

    /** Writes the answer; a second answer to the same exchange is a programming error. */
    public void respond(HttpAnswer answer) {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("exchange answered twice");
        }
        write(ctx, keepAlive && answer.status().code() < 500, answer);
    }

    /** The one place a response is built and written; also used for the toolkit's own refusals. */
    static void write(ChannelHandlerContext ctx, boolean keepAlive, HttpAnswer answer) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(),
                Unpooled.wrappedBuffer(answer.body()));
        if (answer.contentType() != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        }
        answer.headers().forEach(response.headers()::set);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
